/** Turns a schema or operation name such as `auth-tokens-create` into `AuthTokensCreate`. */
export function pascalCase(name: string): string {
  const words = name.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const joined = words.map((word) => word[0]?.toUpperCase() + word.slice(1)).join("");
  return /^[0-9]/.test(joined) || joined === "" ? `_${joined}` : joined;
}

/** Turns `auth-tokens-create` into `authTokensCreate`. */
export function camelCase(name: string): string {
  const pascal = pascalCase(name);
  return pascal.startsWith("_") ? pascal : pascal[0]?.toLowerCase() + pascal.slice(1);
}

/** Words a JavaScript identifier may not be, in a module (strict mode) or anywhere. */
const RESERVED_WORDS = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends false finally for " +
    "function if import in instanceof new null return super switch this throw true try typeof var void while with " +
    "yield let static implements interface package private protected public await arguments eval"
  ).split(" "),
);

/**
 * Names a generated module must not export: a module namespace with a `then` is a thenable, so
 * `await import("./generated/index.js")` would call it instead of resolving to the module.
 */
const UNEXPORTABLE = new Set(["then"]);

/** `name`, or `name_` when it is a reserved word or cannot be exported (`operationId: delete` becomes `delete_`). */
export function safeIdentifier(name: string): string {
  return RESERVED_WORDS.has(name) || UNEXPORTABLE.has(name) ? `${name}_` : name;
}

/**
 * Hands out unique identifiers within one generated module. A name that is
 * taken gets the caller's alternative (`OperationBodySchema`, `GroupVisibilityEnum`),
 * and only when that is taken too (two schemas spelt `a-b` and `a_b`) a numeric
 * suffix, in order of first use, so reruns on the same spec agree.
 */
export class NameRegistry {
  readonly #taken: Set<string>;

  constructor(reserved: Iterable<string> = []) {
    this.#taken = new Set(reserved);
  }

  /** `preferred`, or else `alternative` (a name that says where the thing stands), or else a numbered one. */
  claim(preferred: string, alternative?: string): string {
    let name = preferred;
    if (this.#taken.has(name) && alternative !== undefined && !this.#taken.has(alternative)) name = alternative;
    for (let n = 2; this.#taken.has(name); n++) name = `${preferred}${n}`;
    this.#taken.add(name);
    return name;
  }
}

/** A JSDoc body that cannot close its own comment early. */
export function safeDoc(text: string): string {
  // Neither may reach the printer: `*/` ends the comment, and ts-morph closes one early at `/*`.
  return text.trim().replaceAll("*/", "*\\/").replaceAll("/*", "/\\*");
}

/**
 * Text safe inside a `//` comment: line terminators (U+2028 and U+2029 end a
 * line in JavaScript too) and other control characters are written as escapes.
 */
export function safeLineComment(text: string): string {
  return text.replace(
    /[\u0000-\u001f\u007f\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/**
 * The literal that names `key` in a type openapi-typescript printed: it writes
 * canonical non-negative numbers (a schema named `400`) as numeric keys, and
 * `keyof` then holds the number, not the string.
 */
export function keyLiteral(key: string): string {
  // `NaN` and `Infinity` read back as themselves, but are names, not numeric keys.
  const numeric = Number(key);
  return Number.isFinite(numeric) && String(numeric) === key && !key.startsWith("-") ? key : JSON.stringify(key);
}
