import type { SessionTokenResponseBody } from "../shared/session-token-response.js";
import { BROWSER_DEFAULTS } from "./defaults.js";
import { asPlugError, PlugError } from "./plug-error.js";

export type { SessionTokenResponseBody };

export interface SessionEndpointOptions {
  /** The route `createSessionTokenHandler` serves, on this origin. @default "/api/plug/session" */
  path?: string;
  /** How long the endpoint may take to answer, body included. @default 10000 @unit milliseconds */
  timeoutMs?: number;
}

/**
 * Asks this site's backend (the server entry's `createSessionTokenHandler`)
 * for a session token with a `POST`, sending cookies (fetch's default, same
 * origin), and resolves with its whole answer, `{ session_token, expires_at }`.
 * `initPlug` uses it unless given `getSessionToken`; pass it to `switchUser`.
 */
export async function fetchSessionToken({
  path = BROWSER_DEFAULTS.sessionPath,
  timeoutMs = BROWSER_DEFAULTS.sessionTimeoutMs,
}: SessionEndpointOptions = {}): Promise<SessionTokenResponseBody> {
  let response: Response;
  let body: { session_token?: unknown; error?: unknown } | null | undefined;
  // The timeout covers the body too: an endpoint that never answers must not leave initPlug pending.
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    response = await fetch(path, { method: "POST", signal });
    // A body that is no JSON is no body, unless time ran out reading it.
    body = await response.json().catch(() => signal.throwIfAborted());
  } catch (error) {
    // A timeout's cause is a TimeoutError ("signal timed out").
    throw asPlugError(error, "session_failed", `POST ${path} failed`);
  }
  if (response.ok && typeof body?.session_token === "string") return body as SessionTokenResponseBody;
  const reason = typeof body?.error === "string" ? ` (${body.error})` : "";
  throw new PlugError("session_failed", `POST ${path} answered ${response.status}${reason}`, response.status, body);
}
