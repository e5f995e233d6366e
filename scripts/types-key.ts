import { createHash } from "node:crypto";
import type { OpenAPI3 } from "openapi-typescript";
import { LITERAL_VALUES, NAME_MAPS, SCHEMA_NAME_MAPS } from "./spec-reader/openapi-keys.js";

/**
 * The JSON Schema keywords that only limit a value within its type, each with the JSON types its
 * value has. Of the generator's passes only Ajv's reads them: openapi-typescript prints none of them
 * (`minItems` and `maxItems` only under its `arrayLength` option, which the generator leaves off),
 * and the ts-morph pass names and wraps schemas without reading their limits. The `x-messages`
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
  const text = JSON.stringify(document, function (this: unknown, key: string, value: unknown) {
    if (Array.isArray(this) || nameMaps.has(this as object)) return value;
    if (KEPT_WHOLE.has(key) || key.startsWith("x-")) return JSON.stringify(value) ?? null;
    if (LIMITS.get(key)?.has(typeof value) && !Object.hasOwn(this as object, "$ref")) return undefined;
    if ((SCHEMA_NAME_MAPS.has(key) || NAME_MAPS.has(key)) && typeof value === "object" && value !== null) {
      nameMaps.add(value);
    }
    return value;
  });
  return createHash("sha256").update(text).digest("hex");
}
