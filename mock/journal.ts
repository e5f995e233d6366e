/** One thing wrong with a proxied or replayed exchange, as the spec sees it. */
export interface Violation {
  /** Which message breaks the spec. */
  side: "request" | "response";
  /** Where, as a dotted path from the side: `body.token_type`, `status`, `headers.content-type`. */
  path: string;
  message: string;
}

/** One API request the mock received, as `GET /__mock/requests` lists it. */
export interface JournalEntry {
  method: string;
  /** The path, without the query. */
  path: string;
  /** Lower-cased names; credentials such as `authorization` read `[REDACTED]`. */
  headers: Record<string, string>;
  /**
   * The parsed JSON body, the raw text when it is not JSON, or null without
   * one. A body larger than 64 KiB, or nested deeper than 64 levels, is kept
   * as the start of its text (`JOURNAL_BODY_LIMIT`, `JOURNAL_BODY_DEPTH`).
   */
  body: unknown;
  /** Set when `body` is cut: the size of the whole body, in bytes. */
  bodyBytes?: number;
  /** The status answered, or null when a fault dropped or held the connection. */
  status: number | null;
  /** When the request arrived, as an ISO 8601 time. */
  receivedAt: string;
  /** With `proxy` or `replay`: where the request or the answer breaks the spec. */
  violations?: Violation[];
}

/** The journal keeps the latest requests only, so a long-running mock stays small. */
export const JOURNAL_LIMIT = 1000;
/** The most the journal's bodies hold in all: older entries go first. @unit bytes */
export const JOURNAL_BYTES = 16 * 1024 * 1024;
/** A body larger than this is kept as its first this many bytes of text. @unit bytes */
export const JOURNAL_BODY_LIMIT = 64 * 1024;
/** A body nested deeper than this is kept as text, so listing it never overflows a stack. */
export const JOURNAL_BODY_DEPTH = 64;

const CREDENTIAL_HEADERS = new Set(["authorization", "proxy-authorization", "cookie"]);

export interface JournalInput extends Omit<JournalEntry, "headers" | "body" | "bodyBytes"> {
  headers: Record<string, string | string[] | undefined>;
  /** The parsed body, or the raw text when it is not JSON, or null. */
  body: unknown;
  /** The body's bytes as received, or null without one. */
  raw: Buffer | null;
}

export class Journal {
  #entries: { entry: JournalEntry; bytes: number }[] = [];
  #bytes = 0;

  record({ raw, ...input }: JournalInput): void {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(input.headers)) {
      if (value === undefined) continue;
      headers[name] = CREDENTIAL_HEADERS.has(name) ? "[REDACTED]" : Array.isArray(value) ? value.join(", ") : value;
    }
    const size = raw?.length ?? 0;
    const whole = size <= JOURNAL_BODY_LIMIT && depthAtMost(input.body, JOURNAL_BODY_DEPTH);
    const entry: JournalEntry = whole
      ? { ...input, headers }
      : { ...input, headers, body: cutText(raw), bodyBytes: size };
    const bytes = Math.min(size, JOURNAL_BODY_LIMIT) + 512;
    this.#entries.push({ entry, bytes });
    this.#bytes += bytes;
    while (this.#entries.length > JOURNAL_LIMIT || this.#bytes > JOURNAL_BYTES) {
      this.#bytes -= this.#entries.shift()?.bytes ?? 0;
    }
  }

  /** Oldest first. */
  list(): JournalEntry[] {
    return this.#entries.map(({ entry }) => entry);
  }

  clear(): void {
    this.#entries = [];
    this.#bytes = 0;
  }
}

/** The start of the body's text, cut on a character boundary. */
function cutText(raw: Buffer | null): string {
  if (raw === null) return "";
  // A cut through a multi-byte character decodes to U+FFFD: drop it.
  return raw
    .subarray(0, JOURNAL_BODY_LIMIT)
    .toString("utf8")
    .replace(/\uFFFD$/, "");
}

/** Whether `value` nests no deeper than `limit`, checked without recursion. */
function depthAtMost(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop() as [unknown, number];
    if (typeof item !== "object" || item === null) continue;
    if (depth >= limit) return false;
    for (const child of Object.values(item)) stack.push([child, depth + 1]);
  }
  return true;
}
