import { describe, expect, it } from "vitest";
import { RESERVED_NAMES, SpecModel } from "../../scripts/spec-model.js";
import { ajvCode } from "../../scripts/transforms/ajv-code.js";

const spec = (description: string, maxLength: number) => ({
  openapi: "3.1.0",
  info: { title: "t", version: "1" },
  paths: {},
  components: {
    schemas: {
      Name: { type: "string", description, maxLength },
      Thing: { type: "object", properties: { description: { type: "string", maxLength } } },
    },
  },
});

const compiled = (document: object) => ajvCode(new SpecModel(document as never, RESERVED_NAMES)) ?? "";

// `--watch` keeps the Ajv worker, which keeps the last module it compiled: a save that changes no
// constraint reuses it. It must never serve code for a schema that changed.
describe("the Ajv pass's cache of its last module", () => {
  it("serves the same code when only a description changed", () => {
    expect(compiled(spec("first", 5))).toBe(compiled(spec("second", 5)));
  });

  it("compiles again when a constraint changed, even under a property named like an annotation", () => {
    const before = compiled(spec("first", 5));
    const after = compiled(spec("first", 6));
    expect(after).not.toBe(before);
    expect(after).toContain("limit: 6");
    expect(after).not.toContain("limit: 5");
  });
});
