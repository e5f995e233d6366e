import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import type { OpenAPI3 } from "openapi-typescript";
import { afterAll, describe, expect, it } from "vitest";
import { morphPass } from "../../scripts/morph-pass.js";
import { openapiTypes } from "../../scripts/openapi-types.js";
import { RESERVED_NAMES, SpecModel } from "../../scripts/spec-model.js";
import { type LoadedSpec, loadSpec } from "../../scripts/spec-reader/load-spec.js";
import { typesKey } from "../../scripts/types-key.js";
import { CORPUS, corpusSpecs } from "../corpus/run.js";
import { ROOT } from "../helpers/cli.js";
import { propertyRuns, THOROUGH } from "../helpers/thorough.js";

/** `schema.ts` and the ts-morph pass's modules, the two outputs a types key stands for. */
function typedOutput(document: OpenAPI3): { schema: string; morph: [string, string][] } {
  // Both write into the document they read.
  const spec: LoadedSpec = { path: "spec.yaml", document: structuredClone(document), hash: "", files: [] };
  return {
    schema: openapiTypes(spec, new SpecModel(spec.document, RESERVED_NAMES)),
    morph: morphPass(structuredClone(document)),
  };
}

type Json = Record<string, unknown>;

/**
 * Every schema object but a `$ref` (whose limits the key keeps) in the document's components,
 * bodies and parameters, found by the keys that hold schemas.
 */
function schemaNodes(document: OpenAPI3): Json[] {
  const found: Json[] = [];
  const visit = (value: unknown, isSchema: boolean): void => {
    if (Array.isArray(value)) return value.forEach((item) => visit(item, isSchema));
    if (typeof value !== "object" || value === null) return;
    const node = value as Json;
    if (isSchema && !("$ref" in node)) found.push(node);
    for (const [key, child] of Object.entries(node)) {
      if (key === "example" || key === "examples" || key === "default" || key === "enum" || key === "const") continue;
      if (key.startsWith("x-") || key === "discriminator") continue;
      if (key === "properties" || key === "patternProperties" || key === "schemas" || key === "$defs") {
        if (typeof child === "object" && child !== null) for (const item of Object.values(child)) visit(item, true);
      } else {
        const holdsSchemas = ["schema", "items", "additionalProperties", "not", "allOf", "anyOf", "oneOf"].includes(
          key,
        );
        visit(child, holdsSchemas || (isSchema && key === "prefixItems"));
      }
    }
  };
  visit(document, false);
  return found;
}

/** A limit and a value of its type. */
const limit = fc.oneof(
  fc.record({ keyword: fc.constantFrom("maxLength", "minLength", "minItems", "maxItems"), value: fc.nat(50) }),
  fc.record({
    keyword: fc.constantFrom("minProperties", "maxProperties", "multipleOf"),
    value: fc.integer({ min: 1 }),
  }),
  fc.record({ keyword: fc.constantFrom("minimum", "maximum", "exclusiveMinimum"), value: fc.integer() }),
  fc.record({ keyword: fc.constant("uniqueItems"), value: fc.boolean() }),
  fc.record({ keyword: fc.constant("pattern"), value: fc.constantFrom("^a", "[0-9]+", "x$") }),
);

const FIXTURES = join(ROOT, "test/fixtures");

describe("typesKey", () => {
  const scratch = mkdtemp(join(tmpdir(), "types-key-"));
  afterAll(async () => rm(await scratch, { recursive: true, force: true }));

  it("is the same, and so are schema.ts and the ts-morph modules, when only schemas' limits change, in every fixture (and the corpus in test:thorough)", {
    timeout: 600_000,
  }, async () => {
    const realWorld = (await readdir(join(FIXTURES, "real-world"))).filter((name) => name.endsWith(".yaml"));
    const corpus = THOROUGH && existsSync(CORPUS) ? [...(await corpusSpecs(await scratch)).values()] : [];
    const files = [
      join(ROOT, "spec/auth-tokens.openapi.yaml"),
      join(FIXTURES, "pets/spec.yaml"),
      join(FIXTURES, "discriminators/spec.yaml"),
      ...realWorld.map((name) => join(FIXTURES, "real-world", name)),
      ...corpus,
    ];
    for (const file of files) {
      // A public spec takes seconds per output: one document with many edits.
      const large = corpus.includes(file);
      const { document } = await loadSpec(file);
      const before = typedOutput(document);
      const key = typesKey(document);
      const nodes = schemaNodes(document).length;
      expect(nodes, file).toBeGreaterThan(0);
      fc.assert(
        fc.property(
          fc.array(fc.tuple(fc.nat(nodes - 1), limit), { minLength: 1, maxLength: large ? 30 : 4 }),
          (edits) => {
            const edited = structuredClone(document);
            const targets = schemaNodes(edited);
            for (const [at, { keyword, value }] of edits) {
              const target = targets[at] as Json;
              // Adds, changes or removes the limit.
              if (value === 0 && keyword in target) delete target[keyword];
              else target[keyword] = value;
            }
            expect(typesKey(edited)).toBe(key);
            expect(typedOutput(edited)).toEqual(before);
          },
        ),
        { numRuns: large ? 1 : propertyRuns(8, 40) },
      );
    }
  });

  /**
   * A spec whose names and data spell limits: a property named `pattern`, boolean schemas under
   * the names `uniqueItems` and `maxLength`, an example with a `pattern` field, a mapping named
   * `minimum`; and union members whose properties differ in a limit alone. Each edit changes what
   * the types say, or only a limit.
   */
  const tricky = (edits: Partial<Record<(typeof EDITS)[number], boolean>>) => ({
    openapi: "3.1.0",
    info: { title: "t", version: "1" },
    paths: {},
    components: {
      schemas: {
        Thing: {
          type: "object",
          ...(edits.limit && { maxProperties: 3 }),
          properties: {
            pattern: edits.patternProperty ? { type: "integer" } : { type: "string", pattern: "^a" },
            uniqueItems: !edits.booleanSchema,
            maxLength: edits.booleanSchema2 ? false : { type: "string" },
            // js-yaml reads an unquoted date as a Date, which JSON writes as this string.
            day: { type: "string", description: edits.date ? new Date("2024-05-01") : "2024-05-01T00:00:00.000Z" },
            code: {
              type: "string",
              ...(edits.limit2 && { pattern: "^[0-9]+$", maxLength: 9 }),
              example: { pattern: edits.example ? "b" : "a" },
            },
          },
          "x-note": { maxLength: edits.extension ? 2 : 1 },
        },
        Pet: {
          oneOf: [{ $ref: "#/components/schemas/Cat" }, { $ref: "#/components/schemas/Dog" }],
          discriminator: {
            propertyName: "kind",
            mapping: { minimum: edits.mapping ? "#/components/schemas/Dog" : "#/components/schemas/Cat" },
          },
        },
        Cat: { type: "object", required: ["kind"], properties: { kind: { type: "string" } } },
        Dog: { type: "object", required: ["kind"], properties: { kind: { type: "string" } } },
        // Union members whose `size` differs in a limit alone: the same allowed values, so not a tag.
        Box: { oneOf: [{ $ref: "#/components/schemas/Small" }, { $ref: "#/components/schemas/Large" }] },
        Small: {
          type: "object",
          properties: { size: { type: "string", enum: ["s", "m"], ...(edits.limit3 && { maxLength: 1 }) }, lid: {} },
        },
        Large: { type: "object", properties: { size: { type: "string", enum: ["s", "m"] }, handle: {} } },
      },
    },
  });
  const EDITS = [
    "limit",
    "limit2",
    "limit3",
    "patternProperty",
    "booleanSchema",
    "booleanSchema2",
    "example",
    "extension",
    "mapping",
    "date",
  ] as const;

  it("differs for two documents whenever their schema.ts or ts-morph modules differ (names and data that spell limits)", () => {
    const edits = fc.record(
      Object.fromEntries(EDITS.map((edit) => [edit, fc.boolean()])) as Record<
        (typeof EDITS)[number],
        fc.Arbitrary<boolean>
      >,
    );
    const none = Object.fromEntries(EDITS.map((edit) => [edit, false])) as Record<(typeof EDITS)[number], boolean>;
    let sameKeys = 0;
    fc.assert(
      fc.property(edits, edits, (a, b) => {
        const [docA, docB] = [tricky(a), tricky(b)] as unknown as OpenAPI3[];
        if (typesKey(docA as OpenAPI3) !== typesKey(docB as OpenAPI3)) return;
        sameKeys++;
        expect(typedOutput(docA as OpenAPI3)).toEqual(typedOutput(docB as OpenAPI3));
      }),
      // Pairs that differ in the limits alone share a key.
      {
        numRuns: propertyRuns(40, 200),
        examples: [
          [
            { ...none, limit: true },
            { ...none, limit2: true },
          ],
        ],
      },
    );
    expect(sameKeys).toBeGreaterThan(0);
    // Each edit but the limits changes the key.
    for (const edit of EDITS.filter((e) => !e.startsWith("limit"))) {
      expect(typesKey(tricky({ [edit]: true }) as unknown as OpenAPI3), edit).not.toBe(
        typesKey(tricky({}) as unknown as OpenAPI3),
      );
    }
  });
});
