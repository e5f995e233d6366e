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
  return createRedactor(secrets)(text);
}

/**
 * `redact` with the secrets prepared once, for hot paths that clean every
 * response: the matching is built here, not per string.
 */
export function createRedactor(secrets: readonly string[]): (text: string) => string {
  // Longest first, so a token's trimmed form cannot split its untrimmed one.
  const steps = [...secrets]
    .filter((secret) => secret !== "")
    .sort((a, b) => b.length - a.length)
    .map((secret) => {
      if (secret.length >= ALWAYS_REDACTED_LENGTH) {
        return { secret, apply: (text: string) => text.split(secret).join(REDACTED) };
      }
      const escaped = secret.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      const standalone = new RegExp(`(?<![\\w-])${escaped}(?![\\w-])`, "g");
      return { secret, apply: (text: string) => text.replace(standalone, REDACTED) };
    });
  return (text) => {
    let result = text;
    // A cheap test first: almost every string holds no secret at all.
    for (const { secret, apply } of steps) if (result.includes(secret)) result = apply(result);
    return result;
  };
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
