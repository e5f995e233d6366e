const REDACTED = "[REDACTED]";

/**
 * Secrets at least this long are removed wherever they appear, even inside a
 * longer run of characters. Shorter ones (test tokens such as `"any"`) are
 * removed only where they stand alone, so they cannot rewrite DevRev's words
 * (`too_many_requests`). Real access tokens are JWTs, hundreds of characters long.
 */
const ALWAYS_REDACTED_LENGTH = 16;

/** The forms of a token that can be echoed back: as given, and as sent (HTTP trims header values). */
export function tokenForms(token: string): string[] {
  const trimmed = token.trim();
  return trimmed === token ? [token] : [token, trimmed];
}

/**
 * Removes every occurrence of each secret from a string. Used on anything an
 * error might carry (messages, DevRev's `detail`, causes' messages) so the
 * access token cannot surface in logs even if an upstream echoes it.
 */
export function redact(text: string, secrets: readonly string[]): string {
  let result = text;
  // Longest first, so a token's trimmed form cannot split its untrimmed one.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (!secret) continue;
    if (secret.length >= ALWAYS_REDACTED_LENGTH) {
      result = result.split(secret).join(REDACTED);
    } else {
      const escaped = secret.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      result = result.replace(new RegExp(`(?<![\\w-])${escaped}(?![\\w-])`, "g"), REDACTED);
    }
  }
  return result;
}

/** A cause safe to keep: same class name and redacted message and stack, down the whole chain, and no other properties that could hold secrets. */
export function safeCause(cause: unknown, secrets: readonly string[]): unknown {
  if (!(cause instanceof Error)) return typeof cause === "string" ? redact(cause, secrets) : undefined;
  const copy = new Error(redact(cause.message, secrets));
  copy.name = cause.name;
  copy.stack = cause.stack === undefined ? undefined : redact(cause.stack, secrets);
  if (cause.cause !== undefined) copy.cause = safeCause(cause.cause, secrets);
  return copy;
}
