import type { PrismHttpComponents } from "@stoplight/prism-http";
import type { IHttpOperation } from "@stoplight/types";
import { bodyTextOf, describeViolation, type RecordedExchange } from "./exchange.js";
import { checkExchanges, recordedAnswer } from "./exchange-check.js";
import { MockServerError } from "./mock-api.js";
import { type RecordingLine, readRecording } from "./recording.js";
import type { ForwardedBytes } from "./upstream.js";

/**
 * What varies between two runs of the same request and is ignored when
 * matching one to a recording: tokens (a subject token's signature is
 * removed from the recording, and its claims hold times) and timestamps.
 */
const VARYING: [RegExp, string][] = [
  [/\beyJ[\w-]*\.[\w-]*\.[\w-]+/g, "<token>"],
  [/\b\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:\d\d)?/g, "<time>"],
];

/** Reads a recording for `mock --replay`, failing on any exchange the spec now judges worse than when recorded. */
export async function loadReplay(file: string, operations: IHttpOperation[]): Promise<RecordingLine[]> {
  const lines = await readRecording(file);
  const problems: string[] = [];
  for (const { line, exchange, violations } of await checkExchanges(operations, lines)) {
    const known = new Set(exchange.violations.map(describeViolation));
    for (const found of violations.map(describeViolation)) {
      if (!known.has(found)) problems.push(`${file}:${line} (${title(exchange)}): ${found}`);
    }
  }
  if (problems.length > 0) {
    const shown = problems.slice(0, 20).join("\n  ");
    const more = problems.length > 20 ? `\n  ... and ${problems.length - 20} more` : "";
    throw new MockServerError(
      `the spec contradicts ${problems.length} recorded answer(s) from the real API, beyond what was flagged when recorded:\n  ${shown}${more}`,
    );
  }
  return lines;
}

/**
 * Prism's `forward` component for `--replay`: answers each request with the
 * recorded answer, byte for byte, matching on method, path, query and body
 * (tokens and timestamps aside). The same request recorded several times
 * gets its answers in recorded order, the last one repeating. A request
 * nothing matches gets a 404 naming the closest recorded exchange.
 */
export function replayForward(
  file: string,
  lines: readonly RecordingLine[],
  bytes: ForwardedBytes,
): PrismHttpComponents["forward"] {
  const byKey = new Map<string, { answers: RecordedExchange[]; next: number }>();
  for (const { exchange } of lines) {
    const key = keyOf(
      exchange.request.method,
      exchange.request.path,
      exchange.request.query,
      bodyTextOf(exchange.request),
    );
    const entry = byKey.get(key) ?? { answers: [], next: 0 };
    entry.answers.push(exchange);
    byKey.set(key, entry);
  }
  return ({ data }) =>
    () =>
    async () => {
      const received = bytes.receivedFor(data);
      const method = data.method.toUpperCase();
      const [path = "/", query] = (received?.target ?? data.url.path).split(/\?(.*)/s);
      const text = received?.raw ? received.raw.toString("utf8") : null;
      const found = byKey.get(keyOf(method, path, query, text));
      if (found) {
        const exchange = found.answers[Math.min(found.next, found.answers.length - 1)] as RecordedExchange;
        found.next += 1;
        return { _tag: "Right", right: bytes.respond(recordedAnswer(exchange)) };
      }
      const failure = `no exchange recorded in ${file} matches ${method} ${path}${closest(lines, method, path, text)}`;
      const body = JSON.stringify({ type: "not_found", message: `${failure}.` });
      const answer = { status: 404, headers: { "content-type": "application/json" }, raw: Buffer.from(body), failure };
      return { _tag: "Right", right: bytes.respond(answer) };
    };
}

function title({ request, response }: RecordedExchange): string {
  return `${request.method} ${request.path} -> ${response.status}`;
}

function keyOf(method: string, path: string, query: string | undefined, body: string | null): string {
  return `${method.toUpperCase()} ${path}?${query ?? ""}\n${normalised(body)}`;
}

/** The body with what varies replaced, and JSON in one canonical form (keys sorted). */
function normalised(body: string | null): string {
  if (body === null) return "";
  let text = body;
  for (const [pattern, placeholder] of VARYING) text = text.replace(pattern, placeholder);
  try {
    return JSON.stringify(JSON.parse(text), (_key, value: unknown) =>
      typeof value === "object" && value !== null && !Array.isArray(value)
        ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
        : value,
    );
  } catch {
    return text;
  }
}

/** `; the closest is line 3 (POST /auth-tokens.create -> 201), whose body differs at rev_info.user_ref`. */
function closest(lines: readonly RecordingLine[], method: string, path: string, body: string | null): string {
  let best: { line: RecordingLine; score: number; how: string } | undefined;
  const mine = parsed(normalised(body));
  for (const line of lines) {
    const { request } = line.exchange;
    const differs = bodyDifferences(mine, parsed(normalised(bodyTextOf(request))));
    const score =
      (request.method.toUpperCase() === method ? 0 : 1000) + (request.path === path ? 0 : 100) + differs.length;
    const how =
      request.method.toUpperCase() !== method
        ? "whose method differs"
        : request.path !== path
          ? "whose path differs"
          : differs.length === 0
            ? "whose query differs"
            : `whose body differs at ${differs[0] || "its root"}`;
    if (!best || score < best.score) best = { line, score, how };
  }
  return best ? `; the closest is line ${best.line.line} (${title(best.line.exchange)}), ${best.how}` : "";
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The paths where two JSON values differ (at most 100), `a.b[0]` style; "" is the root. */
function bodyDifferences(a: unknown, b: unknown, path = "", found: string[] = []): string[] {
  if (found.length >= 100) return found;
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;
  if (!isObject(a) || !isObject(b) || Array.isArray(a) !== Array.isArray(b)) {
    if (JSON.stringify(a) !== JSON.stringify(b)) found.push(path);
    return found;
  }
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const child = Array.isArray(a) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
    bodyDifferences(a[key], b[key], child, found);
  }
  return found;
}
