import { decodeJwtClaims } from "../shared/jwt.js";

// Values above this are read as a Unix time (after September 2001), below it
// as a lifetime in seconds: a lifetime of 31 years is not a session token.
const EPOCH_THRESHOLD_SECONDS = 1_000_000_000;

/**
 * When a token expires. The JWT's `exp` claim is authoritative. Without it,
 * DevRev's `expires_in` is used, which DevRev documents as seconds since the
 * epoch while OAuth uses a lifetime in seconds; large values are read as the
 * former, small ones as the latter. Undefined when the source it reads is not
 * a number, or names a time a Date cannot hold (`exp: 1e20`).
 */
export function tokenExpiry(token: string, expiresIn: number | undefined, now: number): Date | undefined {
  const exp = decodeJwtClaims(token)?.exp;
  if (exp !== undefined) return typeof exp === "number" ? dateAt(exp * 1000) : undefined;
  if (typeof expiresIn !== "number" || expiresIn < 0) return undefined;
  return dateAt(expiresIn >= EPOCH_THRESHOLD_SECONDS ? expiresIn * 1000 : now + expiresIn * 1000);
}

function dateAt(ms: number): Date | undefined {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
