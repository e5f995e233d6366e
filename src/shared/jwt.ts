import { fromBase64url } from "./base64url.js";

const decoder = new TextDecoder();

/**
 * Reads a JWT's claims without verifying its signature: the server entry reads
 * the expiry of a token that came straight from DevRev over TLS, and the mock
 * reads the claims of tokens it is shown. Returns undefined for anything that
 * is not a JWT with a JSON object payload.
 */
export function decodeJwtClaims(token: string): Record<string, unknown> | undefined {
  const [, payload] = token.split(".");
  if (!payload) return undefined;
  try {
    const claims: unknown = JSON.parse(decoder.decode(fromBase64url(payload)));
    return typeof claims === "object" && claims !== null && !Array.isArray(claims)
      ? (claims as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
