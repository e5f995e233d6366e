import { NameRegistry, pascalCase } from "../naming.js";
import type { Transform } from "../output-layout.js";
import { jsDoc, literal, objectLiteral, printModule } from "../print.js";
import { docsOf, isStringEnum, type Schema } from "../spec-model.js";
import { isRecord } from "../spec-reader/json-pointer.js";

/**
 * For each string enum reachable from a component schema, a frozen object of
 * its values and a type of the same name (`GrantType.TokenIssue`, `GrantType`),
 * which TypeScript enums would not give: these are plain string literals,
 * assignable both ways. A component that is an enum keeps its own name; an
 * enum inside one is named from its path (`Customer.tax_exempt` gives
 * `CustomerTaxExempt`, an array's items `…Item`, a map's values `…Value`), in
 * the spec's order, so names are deterministic and a clash gets a number.
 */
export const enumConstants: Transform = (model) => {
  const components = model.schemas
    .filter(({ schema }) => isStringEnum(schema))
    .map(({ schema }) => memberMap(schema as Schema & { enum: string[] }));
  const blocks: string[] = [];
  for (const { name, schema } of model.schemas) {
    for (const found of stringEnums(schema, [name])) {
      // Only the component itself keeps its name; an enum inside it (a union's member too) claims one.
      const nested = found.schema !== schema;
      const constant = nested ? model.names.claim(found.path.join(""), `${found.path.join("")}Enum`) : name;
      // A nested enum that picks values of a component enum names them as the component does.
      const values: string[] = found.schema.enum;
      const distinct = new Set(values).size === values.length;
      const named = nested && distinct ? components.find((members) => values.every((v) => members.has(v))) : undefined;
      const keys = named ? values.map((value) => named.get(value) as string) : undefined;
      blocks.push(enumDeclarations(constant, found.schema, keys));
    }
  }
  // As text, a blank line between one enum's pair and the next.
  return blocks.length === 0 ? {} : { "constants.ts": printModule([blocks.join("\n\n")]) };
};

/** A component enum's member name for each of its values. */
function memberMap(schema: Schema & { enum: string[] }): Map<string, string> {
  const values: string[] = schema.enum;
  const keys = memberNames(values, schema["x-enum-varnames"]);
  return new Map(values.map((value, i) => [value, keys[i] as string]));
}

/** The object of an enum's values and the type of the same name, each with the schema's docs. */
function enumDeclarations(name: string, schema: Schema & { enum: string[] }, names?: string[]): string {
  const keys = names ?? memberNames(schema.enum, schema["x-enum-varnames"]);
  const members = schema.enum.map((value, i): [string, string] => [keys[i] as string, literal(value)]);
  // Printed here rather than as structures: ts-morph would indent the object's members one level
  // too deep as an initializer.
  const docs = jsDoc(docsOf(schema));
  return [
    docs,
    `export const ${name} = ${objectLiteral(members)} as const;`,
    docs,
    `export type ${name} = (typeof ${name})[keyof typeof ${name}];`,
  ]
    .filter(Boolean)
    .join("\n");
}

/** Subschemas whose values are data or negations, not shapes a value takes. */
const NOT_SHAPES = new Set(["not", "if", "enum", "const", "default", "example", "examples", "discriminator"]);

/**
 * The string enums in a schema and its inline subschemas (not through `$ref`:
 * a referenced component gets its own), each with its name's path of words.
 */
function stringEnums(schema: unknown, path: string[]): { path: string[]; schema: Schema & { enum: string[] } }[] {
  if (!isRecord(schema) || "$ref" in schema) return [];
  const typed = schema as Schema;
  if (isStringEnum(typed)) return [{ path, schema: typed }];
  const found: { path: string[]; schema: Schema & { enum: string[] } }[] = [];
  for (const [key, value] of Object.entries(schema)) {
    if (NOT_SHAPES.has(key) || key.startsWith("x-")) continue;
    if (key === "properties" && isRecord(value)) {
      for (const [property, sub] of Object.entries(value))
        found.push(...stringEnums(sub, [...path, pascalWord(property)]));
    } else if (key === "items" || key === "additionalItems" || key === "contains") {
      for (const sub of Array.isArray(value) ? value : [value]) found.push(...stringEnums(sub, [...path, "Item"]));
    } else if (key === "prefixItems" && Array.isArray(value)) {
      for (const sub of value) found.push(...stringEnums(sub, [...path, "Item"]));
    } else if (key === "additionalProperties" || key === "unevaluatedProperties") {
      found.push(...stringEnums(value, [...path, "Value"]));
    } else if ((key === "oneOf" || key === "anyOf" || key === "allOf") && Array.isArray(value)) {
      for (const sub of value) found.push(...stringEnums(sub, path));
    } else if ((key === "then" || key === "else") && isRecord(value)) {
      found.push(...stringEnums(value, path));
    }
  }
  return found;
}

/** A property name as one word of a type name; pascalCase's leading `_` for digits only belongs at the start. */
function pascalWord(property: string): string {
  const word = pascalCase(property);
  return word.startsWith("_") ? word.slice(1) || "Property" : word;
}

/**
 * Member names come from `x-enum-varnames` when the spec gives a valid list;
 * otherwise from each value minus the prefix all values share, so
 * `urn:…:token-type:aat` becomes `Aat` (and `INSUFFICIENT_FUNDS` `InsufficientFunds`).
 */
export function memberNames(values: string[], varnames: unknown): string[] {
  if (
    Array.isArray(varnames) &&
    varnames.length === values.length &&
    varnames.every((n) => typeof n === "string" && /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(n)) &&
    new Set(varnames).size === varnames.length
  ) {
    return varnames as string[];
  }
  const split = values.map((value) => value.split(/[^A-Za-z0-9]+/).filter(Boolean));
  const shared = commonPrefixLength(split);
  const names = new NameRegistry();
  return split.map((words) => {
    const own = words.slice(shared);
    // Words in capitals keep their breaks: INSUFFICIENT_FUNDS is InsufficientFunds, not INSUFFICIENTFUNDS.
    const readable = own.length > 1 ? own.map((word) => (/^[A-Z0-9]+$/.test(word) ? capitalized(word) : word)) : own;
    return names.claim(own.length > 0 ? pascalCase(readable.join(" ")) : "Empty");
  });
}

function capitalized(word: string): string {
  return word.charAt(0) + word.slice(1).toLowerCase();
}

function commonPrefixLength(lists: string[][]): number {
  const [first = []] = lists;
  let n = 0;
  // Keep at least one word of the shortest value so no member is left unnamed.
  const limit = Math.min(...lists.map((words) => words.length)) - 1;
  while (n < limit && lists.every((words) => words[n] === first[n])) n++;
  return Math.max(n, 0);
}
