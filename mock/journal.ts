/** One API request the mock received, as `GET /__mock/requests` lists it. */
export interface JournalEntry {
  method: string;
  /** The path, without the query. */
  path: string;
  /** Lower-cased names; credentials such as `authorization` read `[REDACTED]`. */
  headers: Record<string, string>;
  /** The parsed JSON body, the raw text when it is not JSON, or null without one. */
  body: unknown;
  /** The status answered, or null when a fault dropped or held the connection. */
  status: number | null;
  /** When the request arrived, as an ISO 8601 time. */
  receivedAt: string;
}

/** The journal keeps the latest requests only, so a long-running mock stays small. */
export const JOURNAL_LIMIT = 1000;

const CREDENTIAL_HEADERS = new Set(["authorization", "proxy-authorization"]);

export class Journal {
  #entries: JournalEntry[] = [];

  record(entry: Omit<JournalEntry, "headers"> & { headers: Record<string, string | string[] | undefined> }): void {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(entry.headers)) {
      if (value === undefined) continue;
      headers[name] = CREDENTIAL_HEADERS.has(name) ? "[REDACTED]" : Array.isArray(value) ? value.join(", ") : value;
    }
    this.#entries.push({ ...entry, headers });
    if (this.#entries.length > JOURNAL_LIMIT) this.#entries.shift();
  }

  /** Oldest first. */
  list(): JournalEntry[] {
    return [...this.#entries];
  }

  clear(): void {
    this.#entries = [];
  }
}
