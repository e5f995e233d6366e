const REDACTED = "[REDACTED]";
const encoder = new TextEncoder();

/**
 * Secrets at least this long are removed wherever they appear, even inside a
 * longer run of characters. Shorter ones (test tokens such as `"any"`) are
 * removed only where they stand alone, so they cannot rewrite DevRev's words
 * (`too_many_requests`). Real access tokens are JWTs, hundreds of characters long.
 */
const ALWAYS_REDACTED_LENGTH = 16;

/**
 * A header value as `Headers` keeps it: without HTTP's whitespace (tab, line
 * feed, carriage return, space) at either end, and nothing else removed. What
 * JavaScript's `trim()` also removes (a no-break space, U+2028) stays, so a
 * check of this value is a check of what is sent.
 */
export function headerValue(value: string): string {
  return value.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, "");
}

/**
 * The forms of a token that can be echoed back: as given, as sent, and, for a
 * token configured with its scheme (`Bearer <token>`), the bare credential an
 * upstream may quote on its own.
 */
export function tokenForms(token: string): string[] {
  const sent = headerValue(token);
  const bare = /^bearer[\t ]+(.+)$/is.exec(sent)?.[1];
  return [...new Set([token, sent, bare ?? ""])].filter((form) => form !== "");
}

/**
 * Removes every occurrence of each secret from a string. Used on anything an
 * error might carry (messages, DevRev's `detail`, causes' messages) so the
 * access token cannot surface in logs even if an upstream echoes it.
 */
export function redact(text: string, secrets: readonly string[]): string {
  let redactor = redactors.get(secrets);
  if (!redactor) {
    redactor = createRedactor(secrets);
    redactors.set(secrets, redactor);
  }
  return redactor(text);
}

// A client's secrets are one array for its lifetime: its redactor is built once, not per error.
const redactors = new WeakMap<readonly string[], (text: string) => string>();

/**
 * `redact` with the secrets prepared once, for hot paths that clean every
 * response: the matching is built here, not per string. Besides each secret
 * as it is, it removes the forms an upstream can echo it in: JSON-escaped
 * (`\/`, `\u002B`, any character as `\uXXXX`, up to four levels of JSON in JSON),
 * percent-encoded (a redirect's `Location`), mixed, and base64 (standard or
 * URL-safe, at any of the three alignments, as inside a Basic credential).
 */
export function createRedactor(secrets: readonly string[]): (text: string) => string {
  // Longest first, so a token's trimmed form cannot split its untrimmed one.
  const steps = [...new Set(secrets)]
    .filter((secret) => secret !== "")
    .sort((a, b) => b.length - a.length)
    .map(stepFor);
  return (text) => {
    let result = text;
    // Escapes need a backslash or a percent sign: without them the plain form is the only one to find.
    const encoded = result.includes("\\") || result.includes("%");
    for (const step of steps) result = step(result, encoded);
    return result;
  };
}

function stepFor(secret: string): (text: string, encoded: boolean) => string {
  const always = secret.length >= ALWAYS_REDACTED_LENGTH;
  // A short secret only where it stands alone, so it cannot rewrite DevRev's words.
  const [before, after] = always ? ["", ""] : ["(?<![\\w-])", "(?![\\w-])"];
  const plain = new RegExp(`${before}${escapeRegExp(secret)}${after}`, "g");
  // Built on the first text with an escape in it: most clients never see one, and for a long token it is the costly part.
  let anyEscaping: RegExp | undefined;
  const cores = always ? base64Cores(secret) : [];
  return (text, encoded) => {
    let result = text;
    if (encoded) {
      anyEscaping ??= new RegExp(`${before}${[...secret].map(charForms).join("")}${after}`, "g");
      result = result.replace(anyEscaping, REDACTED);
    }
    if (result.includes(secret))
      result = always ? result.split(secret).join(REDACTED) : result.replace(plain, REDACTED);
    for (const core of cores) if (result.includes(core)) result = result.split(core).join(REDACTED);
    return result;
  };
}

/** A pattern for one character as it can stand in an echo: itself, JSON-escaped (up to four levels), or percent-encoded. */
function charForms(char: string): string {
  // Up to four levels of JSON in JSON (each level doubles the backslashes); a bounded run keeps matching linear.
  const escape = "\\\\{1,8}";
  const forms = [escapeRegExp(char)];
  for (let i = 0; i < char.length; i++) {
    forms.push(`${escape}u${hexPattern(char.charCodeAt(i).toString(16).padStart(4, "0"))}`);
  }
  if (char === "/" || char === '"') forms.push(`${escape}${escapeRegExp(char)}`);
  if (char === " ") forms.push("\\+");
  // Percent-encoding is of UTF-8 bytes; every encoder encodes reserved characters, some encode all.
  const bytes = encoder.encode(char);
  forms.push([...bytes].map((byte) => `%${hexPattern(byte.toString(16).padStart(2, "0"))}`).join(""));
  return `(?:${forms.join("|")})`;
}

/** Hex digits in either case: `2b` -> `2[bB]`. */
function hexPattern(hex: string): string {
  return [...hex]
    .map((digit) => (/[a-f]/i.test(digit) ? `[${digit.toLowerCase()}${digit.toUpperCase()}]` : digit))
    .join("");
}

/**
 * The base64 text a secret always becomes, in standard and URL-safe
 * alphabets, whichever of the three byte alignments it starts at in the
 * encoded data: the characters that encode only its own bits.
 */
function base64Cores(secret: string): string[] {
  const bytes = encoder.encode(secret);
  const cores = new Set<string>();
  for (let offset = 0; offset < 3; offset++) {
    const padded = new Uint8Array(offset + bytes.length);
    padded.set(bytes, offset);
    const encoded = btoa(String.fromCharCode(...padded));
    const first = Math.ceil((offset * 8) / 6);
    const end = Math.floor(((offset + bytes.length) * 8) / 6);
    const core = encoded.slice(first, end);
    cores.add(core);
    cores.add(core.replace(/\+/g, "-").replace(/\//g, "_"));
  }
  return [...cores];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/**
 * A JSON body with every secret removed, both from its text and from each
 * string it parses to: a string's value differs from its text only through
 * escapes, so without a backslash the text's cleaning covered every value.
 * What does not parse is returned as its cleaned text.
 */
export function redactJsonText(text: string, clean: (text: string) => string): string {
  const cleaned = clean(text);
  if (!cleaned.includes("\\")) return cleaned;
  let changed = false;
  const walk = (value: unknown): unknown => {
    if (typeof value === "string") {
      const result = clean(value);
      changed ||= result !== value;
      return result;
    }
    if (Array.isArray(value)) return value.map(walk);
    if (typeof value !== "object" || value === null) return value;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      // defineProperty keeps a `__proto__` key an own property, as JSON.parse made it.
      Object.defineProperty(out, walk(key) as string, { value: walk(item), enumerable: true, writable: true });
    }
    return out;
  };
  try {
    const walked = walk(JSON.parse(cleaned));
    return changed ? JSON.stringify(walked) : cleaned;
  } catch {
    // Not JSON, or nested past the stack: the text, whose every escaped form is already removed.
    return cleaned;
  }
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
