import { createHash } from "node:crypto";
import type { OpenAPI3 } from "openapi-typescript";
import { LITERAL_VALUES, NAME_MAPS, SCHEMA_NAME_MAPS } from "./spec-reader/openapi-keys.js";

/**
 * The JSON Schema keywords that only limit a value within its type, each with the JSON types its
 * value has. Of the generator's passes only Ajv's reads them: openapi-typescript prints none of them
 * (`minItems` and `maxItems` only under its `arrayLength` option, which the generator leaves off),
 * and the ts-morph pass names and wraps schemas, and tells union members apart by the values they
 * allow (`enum`, `const`), without reading their limits. The `x-messages`
 * extension is Ajv's too, but extensions are kept whole (below), which only costs a miss.
 */
const LIMITS: ReadonlyMap<string, ReadonlySet<string>> = new Map(
  [
    ...["maxLength", "minLength", "minimum", "maximum", "multipleOf"].map((k) => [k, ["number"]] as const),
    ...["minItems", "maxItems", "minProperties", "maxProperties"].map((k) => [k, ["number"]] as const),
    // A number in 3.1, a boolean beside `minimum`/`maximum` in 3.0.
    ...["exclusiveMinimum", "exclusiveMaximum"].map((k) => [k, ["number", "boolean"]] as const),
    ["uniqueItems", ["boolean"]] as const,
    ["pattern", ["string"]] as const,
  ].map(([keyword, types]) => [keyword, new Set(types)]),
);

/** Keys whose value is kept whole, as its JSON text: data, and extensions whose shape nobody here knows. */
const KEPT_WHOLE = new Set([...LITERAL_VALUES, "examples", "mapping"]);

/**
 * A hash of what `schema.ts` and the ts-morph pass's modules depend on: the document without its
 * schemas' limits (LIMITS). Two documents with one key get the same text from both, so a `--watch`
 * save that only tightens a `maxLength` or a `pattern` reuses them and compiles one validator.
 *
 * A limit is dropped only where it can be one: under a key of an object that is not a map of names
 * (where `properties: { pattern: true }` is a property), with a value of the keyword's type, and
 * outside data and extensions (an `example` whose object has a `pattern` field prints in the types).
 * Beside a `$ref` it is kept: a body schema that is only a `$ref` gets its component's validator
 * under a second name, and one with a limit beside it a validator of its own.
 * Whatever it cannot place is kept, which costs a miss, never a stale text.
 */
export function typesKey(document: OpenAPI3): string {
  const nameMaps = new WeakSet<object>();
  // Where, in the order JSON.stringify visits them, stand values that it writes as other values'
  // text: a Date (js-yaml reads `description: 2024-05-01` as one) as its ISO string, a binary as an
  // object. The text alone would give them the key of the documents whose text they share.
  let visited = 0;
  const unlike: string[] = [];
  const note = (holder: unknown, key: string) => {
    visited++;
    const raw = (holder as Record<string, unknown>)[key];
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return;
    const prototype: unknown = Object.getPrototypeOf(raw);
    if (prototype !== Object.prototype && prototype !== null) unlike.push(`${visited}:${raw.constructor?.name}`);
  };
  function data(this: unknown, key: string, value: unknown): unknown {
    note(this, key);
    return value;
  }
  const text = JSON.stringify(document, function (this: unknown, key: string, value: unknown) {
    note(this, key);
    if (Array.isArray(this) || nameMaps.has(this as object)) return value;
    if (KEPT_WHOLE.has(key) || key.startsWith("x-")) return JSON.stringify(value, data) ?? null;
    if (LIMITS.get(key)?.has(typeof value) && !Object.hasOwn(this as object, "$ref")) return undefined;
    if ((SCHEMA_NAME_MAPS.has(key) || NAME_MAPS.has(key)) && typeof value === "object" && value !== null) {
      nameMaps.add(value);
    }
    return value;
  });
  return createHash("sha256")
    .update(text)
    .update(`\0${unlike.join(",")}`)
    .digest("hex");
}
