import { isRecord } from "../spec-reader/json-pointer.js";
import type { Field, Schema } from "./conformance-document.js";

/**
 * Formats that a validator acts on. DevRev marks free text `format: text` and
 * IDs `format: id`, which no validator knows, so those constrain nothing.
 */
const CHECKED_FORMATS = new Set(["email", "uri", "date-time", "date", "int32", "int64", "uuid", "hostname"]);

/** What a schema says of one field, in words both documents can be compared in. */
export type Facts = Record<string, string>;

/** What the fields at one location say, pooled: values joined, other facts kept where they agree. */
export function pooled(fields: Field[]): Facts {
  let merged: Facts | undefined;
  for (const field of fields) {
    const next = factsOf(field.schema, field.required);
    merged = merged ? mergeFacts(merged, next) : next;
  }
  return merged ?? {};
}

export function factsOf(schema: Schema | undefined, required: boolean): Facts {
  const facts: Facts = { required: required ? "required" : "optional" };
  if (!schema) return facts;
  const type =
    schema.type ?? (isRecord(schema.properties) ? "object" : "const" in schema ? typeof schema.const : undefined);
  if (type !== undefined) facts.type = String(type);
  const values = valuesOf(schema);
  if (values) facts.values = values.map(String).sort().join(", ");
  for (const key of [
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "pattern",
  ]) {
    if (key in schema) facts[key] = String(schema[key]);
  }
  if (schema.deprecated === true) facts.deprecated = "true";
  if (typeof schema.format === "string" && CHECKED_FORMATS.has(schema.format)) facts.format = schema.format;
  return facts;
}

export function valuesOf(schema: Schema | undefined): unknown[] | undefined {
  if (!schema) return undefined;
  return "const" in schema ? [schema.const] : Array.isArray(schema.enum) ? schema.enum : undefined;
}

/** Facts of the same field from two variants. */
function mergeFacts(before: Facts, next: Facts): Facts {
  const merged: Facts = {};
  for (const key of union(Object.keys(before), Object.keys(next))) {
    const a = before[key];
    const b = next[key];
    if (key === "values") {
      // A variant without a list accepts any value, so the pooled field has no list either.
      if (a !== undefined && b !== undefined) merged.values = union(a.split(", "), b.split(", ")).join(", ");
    } else if (key === "required") {
      merged.required = a === b ? (a ?? "optional") : "required in some forms";
    } else if (a === b && a !== undefined) {
      merged[key] = a;
    } else {
      merged[key] = "varies by form";
    }
  }
  return merged;
}

export function union(...lists: string[][]): string[] {
  return [...new Set(lists.flat())].sort();
}
