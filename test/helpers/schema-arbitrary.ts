import fc from "fast-check";

type JsonSchema = boolean | Record<string, unknown>;

/**
 * Bodies shaped by a JSON Schema with its refs already inlined (as Prism
 * holds them): mostly valid, with values at the edges of each rule (empty
 * strings, limits and one past them, unknown keys), so that both sides of
 * every keyword are exercised. Deliberately small: it covers the keywords
 * the spec uses, and falls back to any JSON value elsewhere.
 */
export function arbitraryFor(schema: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  if (schema === false) return fc.constant(undefined);
  if (schema === true || depth > 6) return fc.jsonValue({ maxDepth: 2 });
  if ("const" in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...schema.enum);
  const union = (schema.oneOf ?? schema.anyOf) as JsonSchema[] | undefined;
  if (Array.isArray(union)) return fc.oneof(...union.map((member) => arbitraryFor(member, depth + 1)));
  if (Array.isArray(schema.allOf)) return mergedAllOf(schema.allOf as JsonSchema[], depth);
  switch (schema.type) {
    case "string":
      return stringFor(schema);
    case "integer": {
      const min = typeof schema.minimum === "number" ? schema.minimum : -1_000;
      const max = typeof schema.maximum === "number" ? schema.maximum : 1_000_000;
      return fc.oneof(fc.integer({ min, max }), fc.constantFrom(min - 1, max + 1, min, max));
    }
    case "number":
      return fc.double({ noNaN: true });
    case "boolean":
      return fc.boolean();
    case "array":
      return fc.array(arbitraryFor((schema.items as JsonSchema) ?? true, depth + 1), { maxLength: 3 });
    default:
      return isObjectSchema(schema) ? objectFor(schema, depth) : fc.jsonValue({ maxDepth: 2 });
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

function objectFor(schema: Record<string, unknown>, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [key, property] of Object.entries(properties)) {
    if (property === false) continue;
    model[key] = arbitraryFor(property, depth + 1);
  }
  const requiredKeys = Object.keys(model).filter((key) => required.has(key));
  const known = fc.record(model, { requiredKeys });
  // Sometimes one unknown key: open objects accept it, closed ones must not.
  return fc
    .tuple(known, fc.option(fc.tuple(fc.constantFrom("colour", "tnt__plan", "extra"), fc.jsonValue({ maxDepth: 1 }))))
    .map(([value, extra]) => (extra ? { ...value, [extra[0]]: extra[1] } : value));
}

function mergedAllOf(members: JsonSchema[], depth: number): fc.Arbitrary<unknown> {
  const objects = members.filter((m): m is Record<string, unknown> => typeof m === "object" && isObjectSchema(m));
  if (objects.length === 0) return arbitraryFor(members[0] ?? true, depth + 1);
  const merged = {
    type: "object",
    properties: Object.assign({}, ...objects.map((m) => m.properties ?? {})),
    required: objects.flatMap((m) => (Array.isArray(m.required) ? m.required : [])),
  };
  return objectFor(merged, depth);
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
