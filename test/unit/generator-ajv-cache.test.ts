import AjvModule from "ajv";
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { RESERVED_NAMES, SpecModel } from "../../scripts/spec-model.js";
import { ajvCode, KeptBlocks } from "../../scripts/transforms/ajv-code.js";
import { propertyRuns } from "../helpers/thorough.js";

/** A spec of schemas that reference each other (a ring, and one reference into a schema), and a body. */
const spec = (edits: Edits = {}) => ({
  openapi: "3.1.0",
  info: { title: "t", version: "1" },
  paths: {
    "/things": {
      post: {
        operationId: "createThing",
        requestBody: {
          content: {
            "application/json": {
              schema: { type: "object", properties: { thing: { $ref: "#/components/schemas/Thing" } } },
            },
          },
        },
        responses: { "200": { description: "ok" } },
      },
    },
  },
  components: {
    schemas: {
      Name: {
        type: "string",
        description: edits.description ?? "a name",
        maxLength: edits.maxLength ?? 5,
        ...(edits.sentence !== undefined && { "x-messages": { maxLength: edits.sentence } }),
      },
      Thing: {
        type: "object",
        required: edits.required ?? ["name"],
        properties: {
          name: { $ref: "#/components/schemas/Name" },
          next: { anyOf: [{ $ref: "#/components/schemas/Other" }, { type: "null" }] },
        },
      },
      Other: {
        type: "object",
        properties: {
          back: { $ref: "#/components/schemas/Thing" },
          label: { $ref: "#/components/schemas/Thing/properties/name" },
          ...(edits.extra && { extra: { type: "integer", minimum: edits.extra } }),
        },
      },
    },
  },
});

interface Edits {
  description?: string;
  maxLength?: number;
  sentence?: string;
  required?: string[];
  extra?: number;
}

/** The blocks a watcher's Ajv worker keeps from one save to the next. */
const kept = new KeptBlocks();
const compiled = (document: object) => ajvCode(new SpecModel(document as never, RESERVED_NAMES), kept) ?? "";

/** A spec that shares no schema with `spec`'s: compiling it leaves the pass nothing to reuse. */
const unrelated = {
  openapi: "3.1.0",
  info: { title: "u", version: "1" },
  paths: {},
  components: { schemas: { U: {} } },
};

/** `document`'s module compiled from nothing kept. */
const cold = (document: object) => {
  compiled(unrelated);
  return compiled(document);
};

const edits: fc.Arbitrary<Edits> = fc.record(
  {
    description: fc.string({ maxLength: 5 }),
    maxLength: fc.integer({ min: 1, max: 9 }),
    sentence: fc.constantFrom("too long", "at most 5 characters"),
    required: fc.subarray(["name", "next"]),
    extra: fc.integer({ min: 1, max: 3 }),
  },
  { requiredKeys: [] },
);

afterEach(() => {
  vi.restoreAllMocks();
});

// `--watch` keeps the Ajv worker, which keeps each schema's compiled block from its last run: a
// save compiles only the schemas it changed. What it prints must be what a cold run prints.
describe("the Ajv pass's blocks kept from its last run", () => {
  it("print, over any sequence of saves, the module a cold run prints", () => {
    fc.assert(
      fc.property(fc.array(edits, { minLength: 1, maxLength: 5 }), (saves) => {
        compiled(unrelated);
        const warm = saves.map((save) => compiled(spec(save)));
        const fresh = saves.map((save) => cold(spec(save)));
        expect(warm).toEqual(fresh);
      }),
      { numRuns: propertyRuns(25, 200) },
    );
  });

  it("compile only the schemas a save changed, and none for a changed description", () => {
    compiled(spec());
    const getSchema = vi.spyOn(AjvModule.default.prototype, "getSchema");
    const after = compiled(spec({ maxLength: 6 }));
    // `Other` refers into `Thing` (`Thing/properties/name`), a ref Ajv resolves: its block is kept by the
    // whole document, so it compiles again with `Name`. `Thing` and the body only call `Name`'s function.
    expect(new Set(getSchema.mock.calls.map(([id]) => String(id).replace(/.*%2F/, "")))).toEqual(
      new Set(["Name", "Other"]),
    );
    expect(after).toContain("limit: 6");
    expect(after).not.toContain("limit: 5");
    expect(after).toBe(cold(spec({ maxLength: 6 })));
    compiled(spec({ maxLength: 6 }));
    getSchema.mockClear();
    compiled(spec({ maxLength: 6, description: "another" }));
    expect(getSchema).not.toHaveBeenCalled();
  });

  it("compile schemas that say the same once, each printed as it prints alone", () => {
    const tagged = { type: "object", properties: { tag: { $ref: "#/components/schemas/Tag" } }, required: ["tag"] };
    const twins = (a: unknown, b: unknown) => ({
      ...unrelated,
      components: { schemas: { Tag: { type: "string", maxLength: 3 }, A: a, B: b } },
    });
    compiled(unrelated);
    const getSchema = vi.spyOn(AjvModule.default.prototype, "getSchema");
    const code = compiled(twins(tagged, tagged));
    // Tag, and one of A and B.
    expect(getSchema).toHaveBeenCalledTimes(2);
    const blockOf = (text: string, name: string) =>
      text.slice(text.indexOf(`function ${name}$validate0(`)).split("\nreturn errors === 0;\n}")[0] ?? "";
    expect(blockOf(code, "B")).toBe(blockOf(code, "A").replaceAll("A$", "B$"));
    // B's block is the one it gets where A differs, and each compiles alone.
    compiled(unrelated);
    expect(blockOf(compiled(twins({ type: "string" }, tagged)), "B")).toBe(blockOf(code, "B"));
  });
});
