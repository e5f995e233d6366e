import type { IPrismDiagnostic } from "@stoplight/prism-core";
import { createRedactor } from "../src/server/redact.js";
import type { Violation } from "./journal.js";

/** One message of a recorded exchange: its body is JSON when it round-trips byte for byte, else text. */
export interface RecordedMessage {
  headers: Record<string, string>;
  /** The body, when its text is exactly this value's `JSON.stringify`. */
  body?: unknown;
  /** The body's text otherwise (absent without a body). */
  bodyText?: string;
}

/** One request and its answer, as a recording (`mock --record FILE`) holds it, one per line. */
export interface RecordedExchange {
  /** When the exchange ended, as an ISO 8601 time. */
  recordedAt: string;
  request: RecordedMessage & { method: string; path: string; query?: string };
  response: RecordedMessage & { status: number };
  /** Where the request or the answer broke the spec when recorded. */
  violations: Violation[];
}

/** Request headers a recording keeps: none that can carry a credential or identify the machine. */
const RECORDED_REQUEST_HEADERS = new Set(["content-type", "accept", "prefer", "x-request-id"]);
/** Request headers whose presence matters to the spec (security), kept with the value removed. */
const CREDENTIAL_HEADERS = new Set(["authorization", "proxy-authorization", "cookie"]);
/** Answer headers a recording drops: per connection, recomputed, or a credential of their own. */
const UNRECORDED_RESPONSE_HEADERS = new Set([
  "connection",
  "keep-alive",
  "transfer-encoding",
  "content-length",
  "set-cookie",
  "proxy-authenticate",
]);

export const REMOVED = "[REDACTED]";
/** What replaces a JWT's signature in a recording: the token stays readable, but cannot be used. */
export const REMOVED_SIGNATURE = "signature-removed";

/** A JWT: three base64url parts, the first one a JSON object (`eyJ`). */
const JWT = /\beyJ[\w-]*\.[\w-]*\.[\w-]+/g;

/**
 * The forms of the credential a request carried that an answer could echo:
 * as sent, without a `Bearer ` prefix, percent-encoded (a redirect's
 * `Location`) and JSON-escaped (inside a body's string).
 */
export function credentialForms(authorization: string | undefined): string[] {
  if (!authorization) return [];
  const bare = authorization.replace(/^bearer\s+/i, "").trim();
  const forms = new Set<string>();
  for (const form of [authorization, authorization.trim(), bare]) {
    forms.add(form);
    forms.add(encodeURIComponent(form));
    const escaped = JSON.stringify(form).slice(1, -1);
    forms.add(escaped);
    forms.add(escaped.replaceAll("/", "\\/"));
  }
  return [...forms].filter((form) => form.length > 0);
}

/** Removes the credentials and every JWT's signature from recorded text. */
export function sanitizer(authorization: string | undefined): (text: string) => string {
  const redact = createRedactor(credentialForms(authorization));
  return (text) =>
    redact(text).replace(JWT, (token) => `${token.slice(0, token.lastIndexOf("."))}.${REMOVED_SIGNATURE}`);
}

/** A body as a recording holds it: the JSON value when it round-trips exactly, else its text. */
export function recordedBody(text: string | null): Pick<RecordedMessage, "body" | "bodyText"> {
  if (text === null || text === "") return {};
  try {
    const value: unknown = JSON.parse(text);
    if (JSON.stringify(value) === text) return { body: value };
  } catch {
    // Not JSON: kept as text.
  }
  return { bodyText: text };
}

/** The exact text of a recorded body, or null without one. */
export function bodyTextOf(message: Pick<RecordedMessage, "body" | "bodyText">): string | null {
  if (message.bodyText !== undefined) return message.bodyText;
  return message.body === undefined ? null : JSON.stringify(message.body);
}

/** The request headers a recording keeps, credentials present but removed. */
export function recordedRequestHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    if (CREDENTIAL_HEADERS.has(name)) kept[name] = REMOVED;
    else if (RECORDED_REQUEST_HEADERS.has(name)) kept[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return kept;
}

/** The answer headers a recording keeps, values sanitised. */
export function recordedResponseHeaders(
  headers: Record<string, string | string[] | undefined>,
  sanitize: (text: string) => string,
): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || UNRECORDED_RESPONSE_HEADERS.has(name)) continue;
    kept[name] = sanitize(Array.isArray(value) ? value.join(", ") : value);
  }
  return kept;
}

/** Prism's diagnostics for one side, as the journal and the recording list them. */
export function violationsOf(
  side: Violation["side"],
  diagnostics: readonly IPrismDiagnostic[],
  sanitize: (text: string) => string,
): Violation[] {
  return diagnostics.map(({ path, message }) => ({
    side,
    path: (path ?? []).join("."),
    message: sanitize(message),
  }));
}

/** The body Prism validates: parsed JSON for a JSON media type, else the text. */
export function parsedBody(text: string | null, contentType: string | undefined): unknown {
  if (text === null) return undefined;
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType ?? "")) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A violation as one line of text: `response body.token_type: must have required property`. */
export function describeViolation({ side, path, message }: Violation): string {
  return `${side}${path ? ` ${path}` : ""}: ${message}`;
}
