import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import {
  discriminatorScanNeeded,
  mapPinnedValues,
  scanDiscriminators,
} from "../../scripts/spec-reader/discriminators.js";
import { loadSpec } from "../../scripts/spec-reader/load-spec.js";
import { CORPUS, corpusSpecs } from "../corpus/run.js";
import { ROOT } from "../helpers/cli.js";
import { useGeneratedProjects } from "../helpers/generated-project.js";
import { THOROUGH } from "../helpers/thorough.js";

type Theirs = (
  schema: unknown,
  options: { silent: boolean },
) => { objects: Record<string, unknown>; refsHandled: string[] };

/** openapi-typescript's patch writes descriptions beside the values; they change no verdict. */
function withoutDescriptions(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutDescriptions);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key, item]) => key !== "description" || typeof item !== "string")
      .map(([key, item]) => [key, withoutDescriptions(item)]),
  );
}

/** The parts of a discriminator the types read: its property and mapping (not its extensions). */
function whatMatters(discriminator: unknown): unknown {
  const { propertyName, mapping } = discriminator as { propertyName: string; mapping?: unknown };
  return { propertyName, mapping };
}

/**
 * Where `discriminatorScanNeeded` says no, openapi-typescript's scan, its mirror and
 * mapPinnedValues return nothing, change nothing and do not throw.
 */
async function expectInertWhereNotNeeded(document: unknown): Promise<void> {
  if (discriminatorScanNeeded(document)) return;
  const { scanDiscriminators: theirs } = (await import("openapi-typescript/dist/lib/utils.mjs" as string)) as {
    scanDiscriminators: Theirs;
  };
  const [reference, ours, pinned] = [structuredClone(document), structuredClone(document), structuredClone(document)];
  expect(theirs(reference, { silent: true })).toEqual({ objects: {}, refsHandled: [] });
  const found = scanDiscriminators(ours as Record<string, unknown>);
  expect([found.objects.size, found.handled.size]).toEqual([0, 0]);
  mapPinnedValues(pinned as Record<string, unknown>);
  expect([reference, ours, pinned]).toEqual([document, document, document]);
}

describe("discriminator values", () => {
  const generateProject = useGeneratedProjects();
  const scratch = mkdtemp(join(tmpdir(), "discriminators-"));
  afterAll(async () => rm(await scratch, { recursive: true, force: true }));

  it("patch a document exactly as openapi-typescript's own scan does", { timeout: 120_000 }, async () => {
    const { scanDiscriminators: theirs } = (await import("openapi-typescript/dist/lib/utils.mjs" as string)) as {
      scanDiscriminators: Theirs;
    };
    const specs = [
      join(ROOT, "test/fixtures/discriminators/spec.yaml"),
      join(ROOT, "spec/auth-tokens.openapi.yaml"),
      // The public corpus (17 specs, megabytes of YAML) is for `npm run test:thorough`.
      ...(THOROUGH && existsSync(CORPUS) ? (await corpusSpecs(await scratch)).values() : []),
    ];
    for (const spec of specs) {
      const { document } = await loadSpec(spec);
      const ours = structuredClone(document) as unknown as Record<string, unknown>;
      const reference = structuredClone(document);
      const found = scanDiscriminators(ours);
      const expected = theirs(reference, { silent: true });
      expect(withoutDescriptions(ours), spec).toEqual(withoutDescriptions(reference));
      expect(Object.fromEntries(found.objects), spec).toEqual(
        Object.fromEntries(Object.entries(expected.objects).map(([ref, d]) => [ref, whatMatters(d)])),
      );
      expect([...found.handled].sort(), spec).toEqual([...expected.refsHandled].sort());
    }
  });

  it("are scanned for only where a scan could find, change or throw on something, in these documents", async () => {
    const discriminated = { propertyName: "kind" };
    const needed: unknown[] = [
      // Wherever an object can stand: a union's member, an `allOf` item, a list inside a list, an example.
      { components: { schemas: { A: { oneOf: [{ discriminator: discriminated }] } } } },
      {
        components: {
          schemas: { A: { allOf: [{ $ref: "#/components/schemas/B" }, { discriminator: discriminated }] } },
        },
      },
      { paths: { "/a": { get: { "x-data": [[{ discriminator: discriminated }]] } } } },
      { components: { examples: { A: { value: { discriminator: discriminated } } } } },
      // openapi-typescript's scan reads `"$ref" in item` for each `allOf` item up to the first `$ref`: it throws here.
      { components: { examples: { A: { value: { allOf: [{ type: "object" }, null] } } } } },
      { components: { schemas: { A: { allOf: [7] } } } },
    ];
    const inert: unknown[] = [
      { components: { schemas: { A: { type: "object" } } } },
      // Not a discriminator to any scan: without a property name, or not an object.
      { components: { schemas: { A: { discriminator: { propertyName: "" } }, B: { discriminator: "kind" } } } },
      { components: { schemas: { A: { allOf: [{ $ref: "#/components/schemas/B" }] }, B: { type: "object" } } } },
      // After the first `$ref`, openapi-typescript's scan reads no further item while it knows no discriminator.
      { components: { schemas: { A: { allOf: [{ $ref: "#/components/schemas/B" }, null] }, B: {} } } },
    ];
    const specs = [
      join(ROOT, "spec/auth-tokens.openapi.yaml"),
      join(ROOT, "test/fixtures/pets/spec.yaml"),
      ...(THOROUGH && existsSync(CORPUS) ? (await corpusSpecs(await scratch)).values() : []),
    ];
    const documents = await Promise.all(specs.map(async (spec) => (await loadSpec(spec)).document));
    expect(needed.map(discriminatorScanNeeded)).toEqual(needed.map(() => true));
    expect(inert.map(discriminatorScanNeeded)).toEqual(inert.map(() => false));
    // The shipped spec has no discriminator; the pets fixture has.
    expect(documents.slice(0, 2).map(discriminatorScanNeeded)).toEqual([false, true]);
    for (const document of [...inert, ...documents]) await expectInertWhereNotNeeded(document);
  });

  it("are scanned for only where a scan could find, change or throw on something, in any document", async () => {
    // Documents spelled with the keys the scans read, in every position and type.
    const key = fc.constantFrom("discriminator", "propertyName", "mapping", "allOf", "oneOf", "$ref", "kind", "x");
    const { value } = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        fc.constantFrom(null, 0, 7, "", "kind", "#/A", true),
        fc.array(tie("value"), { maxLength: 3 }),
        fc.dictionary(key, tie("value"), { maxKeys: 4 }),
      ),
    }));
    await fc.assert(fc.asyncProperty(fc.dictionary(key, value, { maxKeys: 4 }), expectInertWhereNotNeeded), {
      numRuns: THOROUGH ? 20_000 : 2_000,
    });
  });

  it("make each guard check the literal its type promises", { timeout: 120_000 }, async () => {
    const { out, tscOutput } = await generateProject(join(ROOT, "test/fixtures/discriminators/spec.yaml"));
    expect(tscOutput).toBe("");
    const g = await import(join(out, "index.ts"));
    // Extending a parent without a mapping: the schema's own name.
    expect(g.isCat({ kind: "Cat", lives: 9 })).toBe(true);
    expect(g.isCat({ kind: "Dog", lives: 9 })).toBe(false);
    expect(g.isDog({ kind: "Cat" })).toBe(false);
    expect(g.isPet({ kind: "Dog", good: true })).toBe(true);
    expect(g.isPet({ kind: "Fish" })).toBe(false);
    // A parent with a mapping: its keys, or the name for a child it does not map.
    expect(g.isCar({ type: "car" })).toBe(true);
    expect(g.isCar({ type: "automobile" })).toBe(true);
    expect(g.isCar({ type: "Car" })).toBe(false);
    expect(g.isBoat({ type: "Boat" })).toBe(true);
    expect(g.isBoat({ type: "boat" })).toBe(false);
    // A oneOf with a mapping: its members need the property their type requires.
    expect(g.isCircle({})).toBe(false);
    expect(g.isCircle({ shape: "square", side: 2 })).toBe(false);
    expect(g.isSquare({ shape: "square", side: 2 })).toBe(true);
    expect(g.isShape({ shape: "circle", radius: 1 })).toBe(true);
    expect(g.isShape({})).toBe(false);
    expect(g.isDrawing({ shapes: [{ shape: "circle" }, { shape: "square" }] })).toBe(true);
    expect(g.isDrawing({ shapes: [{ shape: "triangle" }] })).toBe(false);
    // The validator names the field and the values it accepts.
    const result = g.validateCat({ kind: "Dog" });
    expect(result.valid).toBe(false);
    expect(result.issues).toContainEqual(expect.objectContaining({ path: "kind", keyword: "enum" }));
  });
});
