import type { IncomingMessage, ServerResponse } from "node:http";
import { isIP } from "node:net";

// Who may call the mock from a web page: the API, from any origin (apps under
// test call it from their pages); the controls, from none.

/**
 * Whether `Host` names this mock rather than a domain a web page controls:
 * a DNS-rebinding page reaches a loopback port under its own name.
 */
export function isOwnHost(header: string | undefined, bound: string): boolean {
  if (header === undefined) return true;
  let name: string;
  try {
    name = new URL(`http://${header}`).hostname.toLowerCase();
  } catch {
    return false;
  }
  return (
    name === bound.toLowerCase() ||
    name === "localhost" ||
    name.endsWith(".localhost") ||
    isIP(name.replace(/^\[|\]$/g, "")) !== 0
  );
}

/** The same CORS headers Prism's server sets on the API: the mock is for tests, any origin may call it. */
export function setCorsHeaders(req: IncomingMessage, res: ServerResponse): void {
  res.setHeader("Access-Control-Allow-Origin", req.headers.origin ?? "*");
  res.setHeader("Access-Control-Allow-Headers", req.headers["access-control-request-headers"] ?? "*");
  res.setHeader("Access-Control-Allow-Credentials", "true");
  res.setHeader("Access-Control-Expose-Headers", "*");
}
