import { PlugError } from "./plug-error.js";

/**
 * The default `getSessionToken`: asks this site's backend (the server entry's
 * `createSessionTokenHandler`) at `POST /api/plug/session`, sending cookies.
 */
export async function fetchSessionToken(): Promise<string> {
  const response = await fetch("/api/plug/session", { method: "POST", credentials: "same-origin" });
  const body = await response.json().catch(() => undefined);
  if (response.ok && typeof body?.session_token === "string") return body.session_token;
  const reason = body?.error ? ` (${body.error})` : "";
  throw new PlugError(
    "session_failed",
    `POST /api/plug/session answered ${response.status}${reason}`,
    response.status,
    body,
  );
}
