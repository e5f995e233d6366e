import { escapeToken } from "./json-pointer.js";

// The walks over a whole document keep the keys from the root to where they stand on one stack,
// pushed and popped as they go down and up, and spell a JSON pointer only for a node they report:
// a pointer string for every node was most of their time (and garbage) on a large spec.

/** The keys from the root to a node, outermost first; an array's index as a number. */
export type KeyPath = (string | number)[];

/** The JSON pointer (RFC 6901) that `keys` spell: `""` for none, the whole document. */
export function pointerOf(keys: Readonly<KeyPath>): string {
  let pointer = "";
  for (const key of keys) pointer += `/${typeof key === "number" ? key : escapeToken(key)}`;
  return pointer;
}
