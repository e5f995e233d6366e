const REDACTED = "[REDACTED]";

/**
 * Removes every occurrence of each secret from a string. Used on anything an
 * error might carry (messages, DevRev's `detail`, causes' messages) so the
 * access token cannot surface in logs even if an upstream echoes it.
 */
export function redact(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) if (secret) result = result.split(secret).join(REDACTED);
  return result;
}
