import { decodePercent, isRecord, pointerOf, resolvePointer, setOwn, unescapeToken } from "./json-pointer.js";

/**
 * JSON Schema ignores `discriminator`, and so do Ajv and Prism. openapi-typescript
 * does not: its types give each member of a discriminated union, and each schema
 * that extends a discriminated parent through `allOf`, a required literal for the
 * discriminator property (`petType: "Cat"`, or the `mapping` key that names it).
 * A guard that narrows to such a type must check that literal, or `isCat` would
 * accept a dog. This writes those literals into a document as schema constraints,
 * so the validators check exactly what the types promise.
 *
 * It mirrors openapi-typescript 7's `scanDiscriminators` (which patches the
 * document in place the same way, through the same walk, quirks included) and
 * then adds, as a schema, the literal its printer adds to the extending schemas
 * that pass left unpatched. A test holds it to openapi-typescript's own function.
 * Mutates `document`, which the caller owns.
 */
export function addDiscriminatorValues(document: Record<string, unknown>): void {
  if (!discriminatorScanNeeded(document)) return;
  const { objects, handled } = scanDiscriminators(document);
  addPrintedValues(document, objects, handled);
}

/**
 * Where a discriminated `oneOf` has no mapping for a member whose schema pins the
 * discriminator property (`type: { enum: [track] }`, or `const`), those values are the
 * member's discriminator values: they become mapping entries. Without them openapi-typescript
 * types the property as the schema's name (`type: "TrackObject"`), the reverse of the schema
 * and of every real payload (Spotify's specs), and the validators would follow the types.
 * Mutates `document`, which the caller owns.
 */
export function mapPinnedValues(document: Record<string, unknown>): void {
  if (!discriminatorScanNeeded(document)) return;
  walk(document, (node) => {
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

/**
 * What openapi-typescript's printer adds to each extending schema the scan left
 * unpatched: one literal, the mapping key that names the schema, or else the
 * schema's own name.
 */
export function addPrintedValues(
  document: Record<string, unknown>,
  objects: ReadonlyMap<string, Discriminator>,
  handled: ReadonlySet<string>,
): void {
  for (const [ref, discriminator] of objects) {
    if (handled.has(ref)) continue;
    const schema = resolvePointer(document, ref.slice(1));
    if (!isRecord(schema) || schema.discriminator || !(Array.isArray(schema.allOf) || Array.isArray(schema.anyOf))) {
      continue;
    }
    const name = lastToken(ref);
    if (name === undefined) continue;
    const mapped = Object.entries(discriminator.mapping ?? {}).find(([, target]) =>
      target.startsWith("#") ? lastToken(target) === name : target === name,
    );
    const allOf = Array.isArray(schema.allOf) ? schema.allOf : [];
    allOf.push(requiredValues(discriminator, [mapped ? mapped[0] : name]));
    setOwn(schema, "allOf", allOf);
  }
}

/**
 * Whether openapi-typescript's `scanDiscriminators` could find, change or throw on anything in
 * `value`: some object has a `discriminator` with a `propertyName` (any truthy one, as it reads
 * it), or an `allOf` lists something that is not an object before its first `$ref` (it reads
 * `"$ref" in item` there, which throws on `null` or a number, example data included). Where
 * neither holds, that scan, its mirror here and mapPinnedValues find and change nothing (a test
 * holds the three to it); this stops at the first hit, where they walk the whole document (twice,
 * for the scans). Most large specs (Stripe's, GitHub's) have no discriminator.
 */
export function discriminatorScanNeeded(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(discriminatorScanNeeded);
  if (!isRecord(value)) return false;
  if (isRecord(value.discriminator) && value.discriminator.propertyName) return true;
  if (Array.isArray(value.allOf)) {
    for (const item of value.allOf) {
      if (typeof item !== "object" || item === null) return true;
      if ("$ref" in item) break;
    }
  }
  return Object.values(value).some(discriminatorScanNeeded);
}

/**
 * openapi-typescript's `scanDiscriminators`: patches discriminated unions' members and the
 * schemas that extend a discriminated parent, and returns every discriminator by location
 * with the locations it patched.
 */
export function scanDiscriminators(document: Record<string, unknown>): {
  objects: Map<string, Discriminator>;
  handled: Set<string>;
} {
  const objects = new Map<string, Discriminator>();
  const handled = new Set<string>();

  // Discriminated unions: each member gets the values that name it.
  walk(document, (node, path) => {
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
  walk(document, (node, path) => {
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

export interface Discriminator {
  propertyName: string;
  mapping?: Record<string, string>;
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

/**
 * Calls `visit` on every object in `node`, depth first, with the keys from the root: one stack,
 * pushed and popped, so valid only during the call (copy it to keep it). No node is skipped as
 * seen, as openapi-typescript walks. An array's items are those it had when the walk reached it.
 */
function walk(
  node: unknown,
  visit: (node: Record<string, unknown>, path: readonly string[]) => void,
  path: string[] = [],
): void {
  if (Array.isArray(node)) {
    const length = node.length;
    for (let index = 0; index < length; index++) {
      if (!(index in node)) continue;
      path.push(String(index));
      walk(node[index], visit, path);
      path.pop();
    }
    return;
  }
  if (!isRecord(node)) return;
  visit(node, path);
  for (const key of Object.keys(node)) {
    path.push(key);
    walk(node[key], visit, path);
    path.pop();
  }
}

function refOf(path: readonly string[]): string {
  return `#${pointerOf(path)}`;
}

function lastToken(ref: string): string | undefined {
  const tokens = ref.split("#/")[1]?.split("/").filter(Boolean) ?? [];
  const last = tokens.at(-1);
  return last === undefined ? undefined : printerTokenKey(last);
}

/**
 * A `$ref` token as openapi-typescript reads it (Redocly's `unescapePointer`): `~` escapes
 * first, then percent escapes, the reverse of refTokenKey's RFC order (they differ on
 * `%7E1`), kept so the names found here are the ones its printer uses.
 */
function printerTokenKey(token: string): string {
  return decodePercent(unescapeToken(token));
}
