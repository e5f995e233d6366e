// The whole-document walks of the spec loader, the discriminator pass and the pattern warning as
// they were before they kept a key stack instead of building a JSON pointer (or a path array) at
// every node: verbatim, the reference the differential test in spec-walks.test.ts holds the
// current walks to. Not used by the generator.
import type { OpenAPI3 } from "openapi-typescript";
import { backtracksCatastrophically } from "../../scripts/backtracking-patterns.js";
import type { Discriminator } from "../../scripts/spec-reader/discriminators.js";
import {
  decodePercent,
  escapeToken,
  isRecord,
  resolvePointer,
  setOwn,
  unescapeToken,
} from "../../scripts/spec-reader/json-pointer.js";
import { directPointer } from "../../scripts/spec-reader/load-spec.js";
import { LITERAL_VALUES, NAME_MAPS, SCHEMA_NAME_MAPS } from "../../scripts/spec-reader/openapi-keys.js";

type Fail = (pointer: string, reason: string) => never;

export function oldCheckReferences(document: OpenAPI3, fail: Fail): void {
  // YAML aliases share one object between places; walk each once.
  const seen = new WeakSet<object>();
  // A chain of `$ref`s that comes back to itself (`A: {$ref: B}`, `B: {$ref: A}`) names no schema;
  // every resolver loops on it or throws. The chain from `ref`, if it is such a loop.
  const reachesSchema = new Set<string>();
  const aliasCycle = (ref: string): string[] | undefined => {
    const chain: string[] = [];
    for (let next: unknown = ref; typeof next === "string" && next.startsWith("#"); ) {
      if (reachesSchema.has(next)) break;
      if (chain.includes(next)) return [...chain, next];
      chain.push(next);
      const target = resolvePointer(document, next.slice(1));
      next = isRecord(target) ? target.$ref : undefined;
    }
    for (const link of chain) reachesSchema.add(link);
    return undefined;
  };
  // `names` says what the keys of `value` are: OpenAPI's or JSON Schema's own words (undefined),
  // names in a map where extensions may appear ("map"), or schema or property names ("schemas").
  const visit = (value: unknown, pointer: string, names?: "map" | "schemas"): void => {
    if (typeof value === "object" && value !== null) {
      if (seen.has(value)) return;
      seen.add(value);
    }
    if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) visit(item, `${pointer}/${index}`);
      return;
    }
    if (!isRecord(value)) return;
    const ref = value.$ref;
    if (typeof ref === "string") {
      if (!ref.startsWith("#")) {
        fail(
          `${pointer}/$ref`,
          `$ref "${ref}" names another file, which a spec read from memory (parseSpec) cannot follow`,
        );
      }
      if (resolvePointer(document, ref.slice(1)) === undefined) fail(`${pointer}/$ref`, `unresolvable $ref "${ref}"`);
      if (ref === "#") fail(`${pointer}/$ref`, `$ref "#" names the whole OpenAPI document, which is not a schema`);
      const cycle = aliasCycle(ref);
      if (cycle) fail(`${pointer}/$ref`, `$refs that only name each other never reach a schema: ${cycle.join(" -> ")}`);
    }
    const mapping = isRecord(value.discriminator) ? value.discriminator.mapping : undefined;
    if (isRecord(mapping)) {
      for (const [key, target] of Object.entries(mapping)) {
        const isRef = typeof target === "string" && target.startsWith("#");
        const targetPointer = isRef ? target.slice(1) : `/components/schemas/${escapeToken(String(target))}`;
        const direct = directPointer(document, targetPointer);
        if (direct === undefined) {
          fail(
            `${pointer}/discriminator/mapping/${escapeToken(key)}`,
            `discriminator mapping "${key}" points to a missing schema "${String(target)}"`,
          );
        }
        // OpenAPI allows a bare schema name here, and a pointer that passes through `$ref`s (PagerDuty's);
        // openapi-typescript only follows a reference to where the schema stands.
        if (!isRef || direct !== targetPointer) setOwn(mapping, key, `#${direct}`);
      }
    }
    for (const [key, child] of Object.entries(value)) {
      const at = `${pointer}/${escapeToken(key)}`;
      if (names === "schemas") {
        visit(child, at);
      } else if (key.startsWith("x-") || (names !== "map" && LITERAL_VALUES.has(key))) {
        // Extensions and literal values are data, not places OpenAPI resolves references; but
        // openapi-typescript's and Prism's resolvers follow every `$ref`, so none may leave the file.
        setOwn(value, key, withoutOutsideRefs(child));
      } else if (names === "map") {
        visit(child, at);
      } else if (key === "examples") {
        // A map of Example Objects, each a reference or holding a literal `value`; or JSON Schema's list of values.
        if (isRecord(child)) {
          for (const [name, example] of Object.entries(child)) {
            if (isRecord(example) && "$ref" in example) visit({ $ref: example.$ref }, `${at}/${escapeToken(name)}`);
            else setOwn(child, name, withoutOutsideRefs(example));
          }
        } else {
          setOwn(value, key, withoutOutsideRefs(child));
        }
      } else {
        visit(child, at, SCHEMA_NAME_MAPS.has(key) ? "schemas" : NAME_MAPS.has(key) ? "map" : undefined);
      }
    }
  };
  visit(document, "");
}

function withoutOutsideRefs(data: unknown): unknown {
  if (Array.isArray(data)) {
    const items = data.map(withoutOutsideRefs);
    return items.some((item, index) => item !== data[index]) ? items : data;
  }
  if (!isRecord(data)) return data;
  let copy: Record<string, unknown> | undefined;
  for (const [key, child] of Object.entries(data)) {
    const outside = key === "$ref" && isOutsideRef(child);
    const kept = outside ? undefined : withoutOutsideRefs(child);
    if (!outside && kept === child) continue;
    copy ??= ownCopy(data);
    if (outside) delete copy[key];
    else setOwn(copy, key, kept);
  }
  return copy ?? data;
}

export function oldFindOutsideRef(document: unknown): string | undefined {
  const seen = new WeakSet<object>();
  const find = (value: unknown, pointer: string): string | undefined => {
    if (typeof value !== "object" || value === null || seen.has(value)) return undefined;
    seen.add(value);
    for (const [key, child] of Object.entries(value)) {
      const at = `${pointer}/${escapeToken(key)}`;
      if (key === "$ref" && isOutsideRef(child)) return at;
      const found = find(child, at);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return find(document, "");
}

/** A `$ref` value that names something outside the document: a file, a URL, or the document's own file (`""`). */
function isOutsideRef(ref: unknown): boolean {
  return typeof ref === "string" && !ref.startsWith("#");
}

function ownCopy(record: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(record)) setOwn(copy, key, child);
  return copy;
}

export function oldMapPinnedValues(document: Record<string, unknown>): void {
  walk(document, [], (node) => {
    const discriminator = discriminatorOf(node);
    if (!discriminator || !Array.isArray(node.oneOf) || !isRecord(node.discriminator)) return;
    const mapping = isRecord(node.discriminator.mapping) ? node.discriminator.mapping : {};
    const mapped = new Set(Object.values(mapping));
    const added: [string, string][] = [];
    for (const member of node.oneOf) {
      const ref = isRecord(member) ? member.$ref : undefined;
      if (typeof ref !== "string" || mapped.has(ref)) continue;
      for (const value of pinnedValues(document, resolveLocal(document, ref), discriminator.propertyName)) {
        if (!Object.hasOwn(mapping, value) && !added.some(([key]) => key === value)) added.push([value, ref]);
      }
    }
    if (added.length === 0) return;
    for (const [value, ref] of added) setOwn(mapping, value, ref);
    setOwn(node.discriminator, "mapping", mapping);
  });
}

/** The string values a member schema allows for `property`, when it lists them (`enum` or `const`). */
function pinnedValues(document: Record<string, unknown>, schema: unknown, property: string): string[] {
  if (!isRecord(schema) || !isRecord(schema.properties) || !Object.hasOwn(schema.properties, property)) return [];
  let declared = schema.properties[property];
  if (isRecord(declared) && typeof declared.$ref === "string") declared = resolveLocal(document, declared.$ref);
  if (!isRecord(declared)) return [];
  const values = "const" in declared ? [declared.const] : Array.isArray(declared.enum) ? declared.enum : [];
  return values.every((value) => typeof value === "string") ? (values as string[]) : [];
}

export function oldScanDiscriminators(document: Record<string, unknown>): {
  objects: Map<string, Discriminator>;
  handled: Set<string>;
} {
  const objects = new Map<string, Discriminator>();
  const handled = new Set<string>();

  // Discriminated unions: each member gets the values that name it.
  walk(document, [], (node, path) => {
    const discriminator = discriminatorOf(node);
    if (!discriminator) return;
    const ref = refOf(path);
    objects.set(ref, discriminator);
    if (!Array.isArray(node.oneOf)) return;
    const mapping = new Map<string, { inferred?: string; defined?: string[] }>();
    for (const item of node.oneOf) {
      if (!isRecord(item) || !("$ref" in item)) continue;
      const value = String(item.$ref).split("/").pop();
      if (value) mapping.set(String(item.$ref), { ...mapping.get(String(item.$ref)), inferred: value });
    }
    for (const [value, target] of Object.entries(discriminator.mapping ?? {})) {
      if (!target) continue;
      const entry = mapping.get(target);
      if (!entry?.defined) mapping.set(target, { defined: [] });
      mapping.get(target)?.defined?.push(value);
    }
    for (const [target, { inferred, defined }] of mapping) {
      if (handled.has(target)) continue;
      const values = defined ?? (inferred === undefined ? undefined : [inferred]);
      if (values && patch(document, target, values, discriminator)) handled.add(target);
    }
  });

  // Schemas that extend a discriminated parent through `allOf`.
  walk(document, [], (node, path) => {
    if (!Array.isArray(node.allOf)) return;
    for (const item of node.allOf) {
      if (isRecord(item) && "$ref" in item) {
        const parent = objects.get(String(item.$ref));
        // openapi-typescript stops at the first `$ref` that is not a discriminated parent.
        if (!parent) return;
        const ref = refOf(path);
        const values = Object.entries(parent.mapping ?? {})
          .filter(([, target]) => target === ref)
          .map(([value]) => value);
        if (values.length > 0 && patch(document, ref, values, parent)) handled.add(ref);
        objects.set(ref, { ...parent });
      } else {
        const own = discriminatorOf(item);
        if (own) objects.set(refOf(path), { ...own });
      }
    }
  });

  return { objects, handled };
}

function discriminatorOf(node: unknown): Discriminator | undefined {
  if (!isRecord(node) || !isRecord(node.discriminator)) return undefined;
  const { propertyName, mapping } = node.discriminator;
  if (typeof propertyName !== "string" || propertyName === "") return undefined;
  const strings = isRecord(mapping)
    ? Object.fromEntries(
        Object.entries(mapping).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
      )
    : undefined;
  return { propertyName, mapping: strings };
}

/** openapi-typescript's `resolveRef`: a local pointer, followed through `$ref`s, without cycles. */
function resolveLocal(document: unknown, ref: string, visited: string[] = []): unknown {
  const index = ref.indexOf("#/");
  if (index < 0 || ref.length === index + 2) return undefined;
  let node: unknown = document;
  for (const token of ref
    .slice(index + 2)
    .split("/")
    .filter(Boolean)) {
    const key = printerTokenKey(token);
    if (!isRecord(node) && !Array.isArray(node)) return undefined;
    const next = (node as Record<string, unknown>)[key];
    if (!next) return undefined;
    node = next;
  }
  if (isRecord(node) && typeof node.$ref === "string") {
    if (visited.includes(node.$ref)) return undefined;
    return resolveLocal(document, node.$ref, [...visited, node.$ref]);
  }
  return node;
}

function walk(node: unknown, path: string[], visit: (node: Record<string, unknown>, path: string[]) => void): void {
  if (Array.isArray(node)) {
    node.forEach((item, i) => walk(item, [...path, String(i)], visit));
    return;
  }
  if (!isRecord(node)) return;
  visit(node, path);
  for (const key of Object.keys(node)) walk(node[key], [...path, key], visit);
}

/** openapi-typescript's `patchDiscriminatorEnum`: adds the values to the schema `ref` names, if it can. */
function patch(
  document: Record<string, unknown>,
  ref: string,
  values: string[],
  discriminator: Discriminator,
): boolean {
  const schema = resolveLocal(document, ref);
  const { propertyName } = discriminator;
  if (isRecord(schema) && Array.isArray(schema.allOf)) {
    schema.allOf.push(requiredValues(discriminator, values));
    return true;
  }
  if (isRecord(schema) && schema.type === "object") {
    const properties = isRecord(schema.properties) ? schema.properties : {};
    const required = Array.isArray(schema.required) ? schema.required : [];
    if (!required.includes(propertyName)) required.push(propertyName);
    setOwn(properties, propertyName, { type: "string", enum: values });
    setOwn(schema, "properties", properties);
    setOwn(schema, "required", required);
    return true;
  }
  return false;
}

function requiredValues({ propertyName }: Discriminator, values: string[]): Record<string, unknown> {
  const properties = {};
  setOwn(properties, propertyName, { type: "string", enum: values });
  return { type: "object", required: [propertyName], properties };
}

function refOf(path: string[]): string {
  return `#${path.map((key) => `/${escapeToken(key)}`).join("")}`;
}

/**
 * A `$ref` token as openapi-typescript reads it (Redocly's `unescapePointer`): `~` escapes
 * first, then percent escapes, the reverse of refTokenKey's RFC order (they differ on
 * `%7E1`), kept so the names found here are the ones its printer uses.
 */
function printerTokenKey(token: string): string {
  return decodePercent(unescapeToken(token));
}

export function oldBacktrackingPatterns(document: unknown): { pointer: string; pattern: string }[] {
  const found: { pointer: string; pattern: string }[] = [];
  const visit = (value: unknown, pointer: string): void => {
    if (Array.isArray(value)) return value.forEach((item, i) => visit(item, `${pointer}/${i}`));
    if (!isRecord(value)) return;
    for (const [key, child] of Object.entries(value)) {
      // Examples and extensions are data, not schemas.
      if (key === "example" || key === "examples" || key.startsWith("x-")) continue;
      const at = `${pointer}/${escapeToken(key)}`;
      if (key === "pattern" && typeof child === "string") {
        if (backtracksCatastrophically(child)) found.push({ pointer: at, pattern: child });
      } else {
        visit(child, at);
      }
    }
  };
  visit(document, "");
  return found;
}
