// The parsed spec as a plain JSON tree: JSON pointers (RFC 6901), the `$ref`s
// that hold them, and the two object helpers every walk over the tree needs.
// It imports nothing, so the spec loader and the modules it calls share it.

/** How many `$ref`s in a row are followed: a chain longer than any real spec's goes round. */
const MAX_REF_HOPS = 64;

/**
 * `value`, or the node its local `$ref`s lead to in `document`: followed until
 * a node that is not a reference. Undefined when a `$ref` names nothing there
 * or another file, or the chain goes round. The generator's spec model and the
 * conformance walk both follow references through here.
 */
export function followRefs(document: unknown, value: unknown): unknown {
  let current = value;
  for (let hops = 0; isRecord(current) && typeof current.$ref === "string"; hops++) {
    if (hops === MAX_REF_HOPS) return undefined;
    const ref = current.$ref;
    current = ref.startsWith("#") ? resolvePointer(document, ref.slice(1)) : undefined;
  }
  return current;
}

/** Resolves a JSON pointer (without the leading `#`) inside a plain object tree. */
export function resolvePointer(root: unknown, pointer: string): unknown {
  const keys = fragmentKeys(pointer);
  if (keys === undefined) return undefined;
  let current: unknown = root;
  for (const key of keys) {
    if (!isRecord(current) && !Array.isArray(current)) return undefined;
    if (!Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** Escapes one JSON pointer token (RFC 6901). */
export function escapeToken(key: string): string {
  return key.replaceAll("~", "~0").replaceAll("/", "~1");
}

/**
 * The keys from the root to a node, outermost first; an array's index as a number. The walks
 * over a whole document keep one such stack, pushed and popped as they go down and up, and
 * spell a JSON pointer (pointerOf) only for a node they report: a pointer string for every node
 * was most of their time (and garbage) on a large spec.
 */
export type KeyPath = (string | number)[];

/** The JSON pointer (RFC 6901) that `keys` spell: `""` for none, the whole document. */
export function pointerOf(keys: Readonly<KeyPath>): string {
  let pointer = "";
  for (const key of keys) pointer += `/${typeof key === "number" ? key : escapeToken(key)}`;
  return pointer;
}

/** The key one JSON pointer token names (RFC 6901): `~1` is `/`, then `~0` is `~`, so `~01` is `~1`. */
export function unescapeToken(token: string): string {
  return token.replaceAll("~1", "/").replaceAll("~0", "~");
}

/** The keys a JSON pointer (without the leading `#`) names, outermost first: none for `""`, the whole document. */
export function pointerKeys(pointer: string): string[] {
  return pointer.split("/").slice(1).map(unescapeToken);
}

/**
 * One token of a `$ref` (a URI fragment, where `%` starts an escape): a path `/a%20b` is the
 * token `~1a%2520b`, which reads back as the path, not as `/a b`.
 */
export function refToken(key: string): string {
  return refFragment(escapeToken(key));
}

/** A JSON pointer as a `$ref`'s fragment, read back by resolvePointer: its `%`s escaped, as refToken does for one key. */
export function refFragment(pointer: string): string {
  return pointer.replaceAll("%", "%25");
}

/**
 * The keys a `$ref`'s fragment (without the `#`) names, outermost first, each token read by
 * refTokenKey: `/components/schemas/a%20b` names `a b`. None for `""`, the whole document;
 * undefined for a fragment that is not a JSON pointer.
 */
export function fragmentKeys(fragment: string): string[] | undefined {
  if (fragment === "") return [];
  return fragment.startsWith("/") ? fragment.slice(1).split("/").map(refTokenKey) : undefined;
}

/**
 * A local `$ref` spelt as refToken writes each of its keys (`#/components/schemas/a%20b` is
 * `#/components/schemas/a b`), so that two spellings of one ref are one text; any other as it is.
 */
export function canonicalRef(ref: string): string {
  const keys = ref.startsWith("#") ? fragmentKeys(ref.slice(1)) : undefined;
  return keys === undefined ? ref : `#${keys.map((key) => `/${refToken(key)}`).join("")}`;
}

/** The key one token of a `$ref` names, the inverse of refToken: its percent escapes decoded, then RFC 6901's. */
export function refTokenKey(token: string): string {
  return unescapeToken(decodePercent(token));
}

/** A `$ref`'s (or its part's) percent escapes decoded; one that is not a valid escape (`100%`) stays as written. */
export function decodePercent(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * Sets an own property, whatever the key: `object[key] = value` with a spec's
 * key `__proto__` would replace the prototype and the entry would vanish.
 */
export function setOwn(object: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
