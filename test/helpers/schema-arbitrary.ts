import fc from "fast-check";

type JsonSchema = boolean | Record<string, unknown>;

/** Finds the schema a `$ref` names; without one, a `$ref` stands for any value. */
export type Resolver = (ref: string) => JsonSchema | undefined;
const noRefs: Resolver = () => undefined;

/**
 * Bodies shaped by a JSON Schema, its refs inlined (as Prism holds them) or
 * followed through `resolve`, to a bounded depth: mostly valid, with values at the edges of each rule (empty
 * strings, limits and one past them, unknown keys), so that both sides of
 * every keyword are exercised. Deliberately small: it covers the keywords
 * the spec uses, and falls back to any JSON value elsewhere.
 */
export function arbitraryFor(schema: JsonSchema, depth = 0, resolve: Resolver = noRefs): fc.Arbitrary<unknown> {
  if (schema === false) return fc.constant(undefined);
  if (schema === true || depth > 6) return fc.jsonValue({ maxDepth: 2 });
  // Built once per schema and depth: a real spec's schemas refer to each other widely enough
  // that building afresh at every reference grows exponentially with the depth.
  let memo = built.get(resolve);
  if (!memo) built.set(resolve, (memo = new WeakMap()));
  const byDepth = memo.get(schema) ?? [];
  memo.set(schema, byDepth);
  byDepth[depth] ??= build(schema, depth, resolve);
  return byDepth[depth];
}

const built = new WeakMap<Resolver, WeakMap<object, fc.Arbitrary<unknown>[]>>();

function build(schema: Record<string, unknown>, depth: number, resolve: Resolver): fc.Arbitrary<unknown> {
  // A reference costs more depth than a nested schema, so values from recursive specs stay small.
  if (typeof schema.$ref === "string") return arbitraryFor(resolve(schema.$ref) ?? true, depth + 2, resolve);
  if ("const" in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...schema.enum);
  const union = (schema.oneOf ?? schema.anyOf) as JsonSchema[] | undefined;
  if (Array.isArray(union) && union.length > 0) {
    return fc.oneof(...union.map((member) => arbitraryFor(member, depth + 1, resolve)));
  }
  if (Array.isArray(schema.allOf)) return mergedAllOf(schema.allOf as JsonSchema[], depth, resolve);
  switch (schema.type) {
    case "string":
      return stringFor(schema);
    case "integer": {
      const min = typeof schema.minimum === "number" ? schema.minimum : -1_000;
      const max = typeof schema.maximum === "number" ? schema.maximum : 1_000_000;
      // fast-check's integers are 32-bit; specs write bounds up to 2^63, kept as edges.
      const edges = fc.constantFrom(min - 1, max + 1, min, max);
      const [lo, hi] = [Math.max(min, -(2 ** 31)), Math.min(max, 2 ** 31 - 1)];
      return lo <= hi ? fc.oneof(fc.integer({ min: lo, max: hi }), edges) : edges;
    }
    case "number":
      return fc.double({ noNaN: true });
    case "boolean":
      return fc.boolean();
    case "array":
      return fc.array(arbitraryFor((schema.items as JsonSchema) ?? true, depth + 1, resolve), { maxLength: 3 });
    default:
      return isObjectSchema(schema) ? objectFor(schema, depth, resolve) : fc.jsonValue({ maxDepth: 2 });
  }
}

function stringFor(schema: Record<string, unknown>): fc.Arbitrary<string> {
  const edges = fc.constantFrom("", " ", "zoë@example.com", "<<user@example.org>>", "x");
  const samples = typeof schema.pattern === "string" ? PATTERN_SAMPLES[schema.pattern] : undefined;
  if (samples) {
    return fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom(...samples.valid) },
      { weight: 1, arbitrary: fc.constantFrom(...samples.invalid) },
      { weight: 1, arbitrary: fc.oneof(edges, fc.string()) },
    );
  }
  if (typeof schema.pattern === "string") return fc.oneof(edges, fc.string());
  return fc.oneof({ weight: 6, arbitrary: fc.string({ minLength: 1, maxLength: 12 }) }, edges);
}

/** Values on both sides of the spec's patterns, which fast-check's regex support cannot invert. */
const PATTERN_SAMPLES: Record<string, { valid: string[]; invalid: string[] }> = {
  "^\\+[1-9][0-9]{1,14}$": {
    valid: ["+911122334455", "+12", "+123456789012345"],
    invalid: ["+0123", "+44 20 7946 0000", "911122334455", "+1234567890123456"],
  },
  "^(?!www\\.)[^\\s./:?#@\\\\]+(?:\\.[^\\s./:?#@\\\\]+)+$": {
    valid: ["devrev.ai", "eu.acme.co.uk", "bücher.example", "xn--bcher-kva.example"],
    invalid: ["www.devrev.ai", "https://devrev.ai", "devrev.ai/path", "localhost", "a..b", "acme.example:8080"],
  },
};

function isObjectSchema(schema: Record<string, unknown>): boolean {
  return schema.type === "object" || typeof schema.properties === "object";
}

function objectFor(
  schema: Record<string, unknown>,
  depth: number,
  resolve: Resolver,
): fc.Arbitrary<Record<string, unknown>> {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [key, property] of Object.entries(properties)) {
    if (property === false) continue;
    model[key] = arbitraryFor(property, depth + 1, resolve);
  }
  const requiredKeys = Object.keys(model).filter((key) => required.has(key));
  const known = fc.record(model, { requiredKeys });
  // Sometimes one unknown key: open objects accept it, closed ones must not.
  return fc
    .tuple(known, fc.option(fc.tuple(fc.constantFrom("colour", "tnt__plan", "extra"), fc.jsonValue({ maxDepth: 1 }))))
    .map(([value, extra]) => (extra ? { ...value, [extra[0]]: extra[1] } : value));
}

function mergedAllOf(members: JsonSchema[], depth: number, resolve: Resolver): fc.Arbitrary<unknown> {
  const resolved = members.map((m) =>
    typeof m === "object" && typeof m.$ref === "string" ? (resolve(m.$ref) ?? true) : m,
  );
  const objects = resolved.filter((m): m is Record<string, unknown> => typeof m === "object" && isObjectSchema(m));
  if (objects.length === 0) return arbitraryFor(members[0] ?? true, depth + 1, resolve);
  const merged = {
    type: "object",
    properties: Object.assign({}, ...objects.map((m) => m.properties ?? {})),
    required: objects.flatMap((m) => (Array.isArray(m.required) ? m.required : [])),
  };
  return objectFor(merged, depth, resolve);
}

type Mutation = "delete" | "replace" | "add";

/**
 * One body broken in one place: a key removed, a value replaced by arbitrary
 * JSON, or a key added, at any depth. Paths are picked from the body itself.
 */
export function mutated(valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc
    .tuple(valid, fc.constantFrom<Mutation>("delete", "replace", "add"), fc.nat(), fc.jsonValue({ maxDepth: 2 }))
    .map(([body, mutation, pick, value]) => {
      const copy = structuredClone(body);
      const slots = slotsOf(copy);
      const slot = slots[pick % Math.max(slots.length, 1)];
      if (!slot) return value;
      const [parent, key] = slot;
      if (mutation === "delete" && !Array.isArray(parent)) delete parent[key];
      else if (mutation === "add" && !Array.isArray(parent)) parent[`${key}_extra`] = value;
      else (parent as Record<string, unknown>)[key] = value;
      return copy;
    });
}

function slotsOf(value: unknown, slots: [Record<string, unknown>, string][] = []): [Record<string, unknown>, string][] {
  if (typeof value !== "object" || value === null) return slots;
  for (const key of Object.keys(value)) {
    slots.push([value as Record<string, unknown>, key]);
    slotsOf((value as Record<string, unknown>)[key], slots);
  }
  return slots;
}
