import { join } from "node:path";
import AjvModule from "ajv";
import standaloneModule from "ajv/dist/standalone/index.js";
import { describe, expect, it } from "vitest";
import { loadSpec } from "../../scripts/spec-reader/load-spec.js";
import { linearErrors, standaloneExports } from "../../scripts/transforms/ajv-standalone.js";
import { ROOT } from "../helpers/cli.js";

/** An Ajv with `schemas` under one document and an export per schema, each compiled in export order. */
function compiled(schemas: Record<string, unknown>) {
  const ajv = new AjvModule.default({
    strict: false,
    allErrors: true,
    inlineRefs: false,
    logger: false,
    code: { source: true, esm: true, lines: true },
  });
  ajv.addSchema({ components: { schemas } }, "doc");
  const refs = Object.fromEntries(
    Object.keys(schemas).map((key) => [key.replace(/\W/g, "_"), `doc#/components/schemas/${key}`]),
  );
  for (const id of Object.values(refs)) ajv.getSchema(id);
  return { ajv, refs };
}

const lines = (code: string) => code.split("\n").filter((line) => line !== "" && line !== `"use strict";`);
const functionLines = (code: string) => lines(code).filter((line) => !line.startsWith("export const "));
const exportLines = (code: string) => lines(code).filter((line) => line.startsWith("export const "));

// Ajv's own standaloneCode is the reference: ours must print the very same functions and exports (the
// exports gathered at the top), only faster, with its functions' errors appended rather than concatenated.
describe("standaloneExports", () => {
  const reference = ({ ajv, refs }: ReturnType<typeof compiled>) => linearErrors(standaloneModule.default(ajv, refs));

  for (const spec of [
    "test/fixtures/pets/spec.yaml",
    "test/fixtures/discriminators/spec.yaml",
    "spec/auth-tokens.openapi.yaml",
  ]) {
    it(`prints what Ajv's standaloneCode prints: ${spec}`, async () => {
      const { document } = await loadSpec(join(ROOT, spec));
      // Shared and recursive references, so functions are used by several exports.
      const schemas = (document.components?.schemas ?? {}) as Record<string, object>;
      const theirs = reference(compiled(schemas));
      expect(theirs).not.toContain(".concat(");
      const { ajv, refs } = compiled(schemas);
      const printed = standaloneExports(ajv, refs);
      expect(Object.keys(refs).length).toBeGreaterThan(2);
      expect(functionLines(printed)).toEqual(functionLines(theirs));
      expect(exportLines(printed)).toEqual(exportLines(theirs));
      // The exports lead, one a line, in the order of `refs`.
      expect(printed.split("\n").slice(0, Object.keys(refs).length)).toEqual(exportLines(printed));
    });
  }

  it("prints the same functions for more exports than one collecting schema references", () => {
    // 100 schemas, each referencing the one before, so later exports reuse earlier functions.
    const schemas: Record<string, unknown> = { s0: { type: "string", maxLength: 3 } };
    for (let i = 1; i < 100; i++) {
      schemas[`s${i}`] = { type: "object", properties: { [`p${i}`]: { $ref: `#/components/schemas/s${i - 1}` } } };
    }
    const printed = standaloneExports(compiled(schemas).ajv, compiled(schemas).refs);
    const theirs = reference(compiled(schemas));
    expect(functionLines(printed)).toEqual(functionLines(theirs));
    expect(exportLines(printed)).toEqual(exportLines(theirs));
    expect(printed).not.toMatch(/collector|allOf/);
  });

  it("refuses an Ajv that prints a module on one line", () => {
    const ajv = new AjvModule.default({ code: { source: true, esm: true } });
    ajv.addSchema({ type: "string" }, "s");
    expect(() => standaloneExports(ajv, { s: "s" })).toThrow(/code\.lines/);
  });
});

describe("linearErrors", () => {
  it("appends a callee's errors in place: the first array taken over, later ones pushed", () => {
    const given = [
      "if(!(validate4(data))){",
      "vErrors = vErrors === null ? validate4.errors : vErrors.concat(validate4.errors);",
      "errors = vErrors.length;",
      "}",
    ].join("\n");
    const want = [
      "if(!(validate4(data))){",
      "if(vErrors === null){",
      "vErrors = validate4.errors;",
      "}",
      "else {",
      "for(const err of validate4.errors){",
      "vErrors.push(err);",
      "}",
      "}",
      "errors = vErrors.length;",
      "}",
    ].join("\n");
    expect(linearErrors(given)).toBe(want);
    // Another array's concat is not Ajv's error collection: left alone.
    expect(linearErrors("x = y.concat(z);")).toBe("x = y.concat(z);");
  });
});
