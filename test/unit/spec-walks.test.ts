import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import fc from "fast-check";
import jsYaml from "js-yaml";
import { describe, expect, it } from "vitest";
import { backtrackingPatterns } from "../../scripts/backtracking-patterns.js";
import { scanDiscriminators } from "../../scripts/spec-reader/discriminators.js";
import { GenerateError } from "../../scripts/spec-reader/generate-error.js";
import { findOutsideRef, loadSpec, parseSpec } from "../../scripts/spec-reader/load-spec.js";
import { positionOf } from "../../scripts/spec-reader/yaml-position.js";

import {
  oldBacktrackingPatterns,
  oldCheckReferences,
  oldFindOutsideRef,
  oldMapPinnedValues,
  oldScanDiscriminators,
} from "../helpers/spec-walks-reference.js";
import { useTempDirs } from "../helpers/temp-dir.js";

// The loader's walks over the whole document keep a key stack and spell a pointer only for what
// they report. Over random documents, with YAML aliases, `$ref`s good and bad, keys that need
// escaping, discriminator mappings, data and extensions, they judge, report and rewrite exactly
// as the walks that built a pointer at every node did (test/helpers/spec-walks-reference.ts).

const tempDir = useTempDirs();
const FILE = "spec.yaml";
const GOOD_REFS = [
  "#/components/schemas/A",
  "#/components/schemas/B",
  "#/components/schemas/a~1b",
  "#/components/schemas/c~0d",
  "#/components/schemas/a%2Fb",
];
const BAD_REFS = [
  "#/components/schemas/A/properties/p",
  "#/components/schemas/Loop1",
  "#/components/schemas/Missing",
  "#",
  "",
  "other.yaml#/X",
];
// Mostly refs that resolve, or most documents would be refused at their first one.
const ref = fc
  .oneof({ arbitrary: fc.constantFrom(...GOOD_REFS), weight: 30 }, fc.constantFrom(...BAD_REFS))
  .map(($ref) => ({ $ref }));
const { data } = fc.letrec((tie) => ({
  data: fc.oneof(
    { depthSize: "xsmall" },
    fc.string({ maxLength: 3 }),
    fc.integer(),
    fc.constant(null),
    ref,
    fc.array(tie("data"), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom("a", "$ref", "b/c"), tie("data"), { maxKeys: 3 }),
  ),
}));
const { schema, object } = fc.letrec((tie) => ({
  schema: fc.oneof(
    { depthSize: "xsmall" },
    ref,
    fc.constantFrom(
      { type: "string", enum: ["track"] },
      { const: "x" },
      { type: "string", pattern: "^(a+)+$" },
      { type: "string", pattern: "^[a-z]+$" },
    ),
    tie("object"),
  ),
  object: fc.record(
    {
      type: fc.constant("object"),
      properties: fc.dictionary(fc.constantFrom("p", "q", "k/1", "x-p", "~"), tie("schema"), { maxKeys: 3 }),
      discriminator: fc.record(
        {
          propertyName: fc.constantFrom("p", "q"),
          mapping: fc.dictionary(
            fc.constantFrom("v1", "a/b", "track"),
            fc.oneof(
              { arbitrary: fc.constantFrom(...GOOD_REFS.slice(0, 4), "A", "a/b"), weight: 30 },
              fc.constantFrom(...BAD_REFS, "Nope"),
            ),
            { maxKeys: 2 },
          ),
        },
        { requiredKeys: ["propertyName"] },
      ),
      oneOf: fc.array(tie("schema"), { maxLength: 3 }),
      allOf: fc.array(tie("schema"), { maxLength: 2 }),
      items: tie("schema"),
      "x-ext": data,
      example: data,
      default: data,
      enum: fc.array(data, { maxLength: 2 }),
      examples: fc.oneof(
        fc.dictionary(fc.constantFrom("e1", "e/2"), fc.oneof(ref, fc.record({ value: data })), { maxKeys: 2 }),
        fc.array(data, { maxLength: 2 }),
      ),
    },
    { requiredKeys: ["type"] },
  ),
}));

/** YAML text of a random OpenAPI document; `shares` make some places aliases of others. */
const specText = fc
  .record({
    // Objects, not references: components that only name each other would refuse most documents.
    schemas: fc.record({ A: object, B: object, "a/b": object, "c~d": schema }),
    loop: fc.boolean(),
    responses: fc.dictionary(fc.constantFrom("200", "x-r", "4XX"), schema, { maxKeys: 2 }),
    shares: fc.array(fc.tuple(fc.nat(80), fc.nat(80)), { maxLength: 4 }),
  })
  .map(({ schemas, loop, responses, shares }) => {
    const loops = { Loop1: { $ref: "#/components/schemas/Loop2" }, Loop2: { $ref: "#/components/schemas/Loop1" } };
    const document = structuredClone({
      openapi: "3.1.0",
      info: { title: "walks", version: "1" },
      paths: {
        "/a/{id}": {
          get: {
            responses: Object.fromEntries(
              Object.entries(responses).map(([status, s]) => [
                status,
                { description: "d", content: { "application/json": { schema: s } } },
              ]),
            ),
          },
        },
      },
      components: { schemas: { ...schemas, ...(loop ? loops : { Loop1: { type: "string" } }) } },
    });
    shareSome(document, shares);
    return jsYaml.dump(document);
  });

/**
 * Makes the places `shares` names (by their order in a depth-first walk) hold a node the walk has
 * finished, which js-yaml then writes as an alias. A finished node never reaches the node being
 * walked, so no alias contains itself. The top level's `paths` and `components` stay mappings.
 */
function shareSome(root: Record<string, unknown>, shares: [number, number][]): void {
  const finished: object[] = [];
  const walked = new Set<object>();
  let place = 0;
  const visit = (node: Record<string, unknown>): void => {
    walked.add(node);
    for (const key of Object.keys(node)) {
      const share = node === root ? undefined : shares.find(([at]) => at === place++);
      if (share && finished.length > 0) {
        node[key] = finished[share[1] % finished.length];
        continue;
      }
      const child = node[key];
      if (typeof child === "object" && child !== null && !walked.has(child)) {
        visit(child as Record<string, unknown>);
        finished.push(child);
      }
    }
  };
  visit(root);
}

/** The document, or the message of the GenerateError that refused it. */
function outcome(read: () => unknown): { document: unknown } | { error: string } {
  try {
    return { document: read() };
  } catch (error) {
    if (error instanceof GenerateError) return { error: error.message };
    throw error;
  }
}

describe("the loader's walks over the whole document", () => {
  it("refuse, report and rewrite as the walks that built a pointer at every node", () => {
    let refused = 0;
    fc.assert(
      fc.property(specText, (text) => {
        const ours = outcome(() => parseSpec(Buffer.from(text), FILE).document);
        const reference = outcome(() => {
          const document = jsYaml.load(text) as Record<string, unknown>;
          oldCheckReferences(document as never, (pointer, reason) => {
            throw new GenerateError({ file: FILE, ...positionOf(text, pointer), pointer }, reason);
          });
          oldMapPinnedValues(document);
          return document;
        });
        expect(ours).toEqual(reference);
        if ("error" in ours) refused++;
      }),
      { numRuns: 300 },
    );
    // Both verdicts came up often enough to mean something (about 80 and 20 in a hundred).
    expect(refused).toBeGreaterThanOrEqual(30);
    expect(300 - refused).toBeGreaterThanOrEqual(30);
  });

  it("read other files exactly when a $ref names one, as the walk that looked for one did", async () => {
    const dir = await tempDir();
    let outside = 0;
    await fc.assert(
      fc.asyncProperty(specText, async (text) => {
        const file = join(dir, "spec.yaml");
        await writeFile(file, text);
        const loaded = await loadSpec(file).then(
          (spec) => ({ document: spec.document as unknown }),
          (error: unknown) => (error instanceof GenerateError ? { error: error.message } : Promise.reject(error)),
        );
        if (oldFindOutsideRef(jsYaml.load(text)) === undefined) {
          // Nothing to read: the root file alone, as parseSpec reads it.
          expect(loaded).toEqual(outcome(() => parseSpec(Buffer.from(text), file).document));
        } else {
          // Each such $ref was followed or refused as a file's, never left to the in-memory check.
          outside++;
          expect("error" in loaded ? loaded.error : "").not.toContain("which a spec read from memory");
        }
      }),
      { numRuns: 150 },
    );
    expect(outside).toBeGreaterThanOrEqual(15);
  });

  it("find the same outside $ref, catastrophic patterns and discriminators", () => {
    fc.assert(
      fc.property(specText, (text) => {
        const document = jsYaml.load(text) as Record<string, unknown>;
        expect(findOutsideRef(document)).toBe(oldFindOutsideRef(document));
        expect(backtrackingPatterns(document)).toEqual(oldBacktrackingPatterns(document));
        const ours = structuredClone(document);
        const reference = structuredClone(document);
        const found = scanDiscriminators(ours);
        const expected = oldScanDiscriminators(reference);
        expect(ours).toEqual(reference);
        expect(found).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it("find and refuse as before where an alias contains itself, or the document is deeper than the quick walk goes", () => {
    // Walked without a set of the nodes seen, `a` would lead back to the top for ever.
    const loop: Record<string, unknown> = {};
    loop.a = loop;
    loop.b = { $ref: "other.yaml" };
    const first: Record<string, unknown> = { a: {} };
    first.b = { c: first, $ref: "other.yaml" };
    let deep: unknown = { $ref: "deep.yaml" };
    for (let level = 0; level < 1_500; level++) deep = [{ x: deep }];
    for (const document of [loop, first, { a: loop }, deep, { deep, after: { $ref: "" } }]) {
      expect(findOutsideRef(document)).toBe(oldFindOutsideRef(document));
    }
    expect(findOutsideRef(loop)).toBe("/b/$ref");
    expect(findOutsideRef(deep)).toMatch(/^(\/0\/x){1500}\/\$ref$/);

    const head = 'openapi: 3.1.0\ninfo: {title: t, version: "1"}\n';
    expect(() => parseSpec(Buffer.from(`${head}x-a: &a {b: *a}\n`), FILE)).toThrow(
      `${FILE}:1:1: YAML aliases expand the document by more than 1000000 nodes`,
    );
    const nested = `${"[".repeat(1_200)}1${"]".repeat(1_200)}`;
    expect(parseSpec(Buffer.from(`${head}x-deep: ${nested}\n`), FILE).document).toHaveProperty("x-deep");
  });
});
