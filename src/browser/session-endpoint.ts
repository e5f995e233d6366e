import { BROWSER_DEFAULTS } from "./defaults.js";
import { PlugError } from "./plug-error.js";

/**
 * What `createSessionTokenHandler` answers on success, and this entry reads:
 * the server entry's handler is typed by this same interface.
 */
export interface SessionTokenResponseBody {
  session_token: string;
  /** ISO 8601. */
  expires_at: string;
}

/**
 * The default `getSessionToken`: asks this site's backend (the server entry's
 * `createSessionTokenHandler`) at `POST /api/plug/session`, sending cookies.
 */
export async function fetchSessionToken(): Promise<string> {
  const path = BROWSER_DEFAULTS.sessionPath;
  const response = await fetch(path, { method: "POST", credentials: "same-origin" });
  const body: Partial<SessionTokenResponseBody> & { error?: unknown } = await response.json().catch(() => ({}));
  if (response.ok && typeof body.session_token === "string") return body.session_token;
  const reason = typeof body.error === "string" ? ` (${body.error})` : "";
  throw new PlugError("session_failed", `POST ${path} answered ${response.status}${reason}`, response.status, body);
}
