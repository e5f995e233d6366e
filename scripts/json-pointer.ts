import { isRecord, resolvePointer } from "./load-spec.js";

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
