import { createRequire } from "node:module";
import { join } from "node:path";
import AjvModule, { type Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { loadSpec } from "../../scripts/spec-reader/load-spec.js";
import { PRISM_AJV_OPTIONS } from "../../scripts/transforms/ajv-code.js";
import {
  blockFunctionName,
  linearErrors,
  renameScopeNames,
  standaloneBlock,
} from "../../scripts/transforms/ajv-standalone.js";
import { ROOT } from "../helpers/cli.js";

const require = createRequire(import.meta.url);

function newAjv(): Ajv {
  return new AjvModule.default({
    ...PRISM_AJV_OPTIONS,
    inlineRefs: false,
    logger: false,
    code: { source: true, esm: true, lines: true },
  });
}

/** `schemas` under one document in `ajv`, each block printed under its own key, compiled in `order`. */
function blocks(ajv: Ajv, schemas: Record<string, unknown>, order: string[]): Map<string, string> {
  ajv.addSchema({ components: { schemas } }, "doc");
  const printed = new Map<string, string>();
  for (const key of order) {
    const validate = ajv.getSchema(`doc#/components/schemas/${key}`);
    if (!validate) throw new Error(`no schema ${key}`);
    printed.set(key, standaloneBlock(ajv, validate, key.replace(/\W/g, "_")));
  }
  return printed;
}

/** The function a block defines under `prefix`, evaluated as a module would (its runtime `require`d). */
function load(block: string, prefix: string): AjvModule.ValidateFunction {
  return new Function("require", `${block}\nreturn ${blockFunctionName(prefix)};`)(require);
}

// A block must read the same whatever its Ajv compiled before (so it can be kept by its schema's
// content and put beside blocks from other runs), and validate as Ajv's own function does.
describe("standaloneBlock", () => {
  for (const spec of [
    "test/fixtures/pets/spec.yaml",
    "test/fixtures/discriminators/spec.yaml",
    "spec/auth-tokens.openapi.yaml",
  ]) {
    it(`prints each schema the same in any compile order: ${spec}`, async () => {
      const { document } = await loadSpec(join(ROOT, spec));
      // Shared and recursive references, so one Ajv compiles a function for several schemas.
      const schemas = (document.components?.schemas ?? {}) as Record<string, object>;
      const keys = Object.keys(schemas);
      expect(keys.length).toBeGreaterThan(2);
      const forward = blocks(newAjv(), schemas, keys);
      const backward = blocks(newAjv(), schemas, [...keys].reverse());
      for (const key of keys) expect(backward.get(key), key).toBe(forward.get(key));
      // Ajv numbered its names across the instance; the blocks number theirs from 0, under their prefix.
      for (const [key, block] of forward) {
        const prefix = key.replace(/\W/g, "_");
        expect(block).toContain(`function ${prefix}$validate0(`);
        for (const [name] of block.matchAll(/\b(?:validate|schema|pattern|func)\d+\b/g)) {
          expect(block.slice(0, block.indexOf(name)), `${key}: ${name}`).toMatch(/\.$|\$$/);
        }
      }
    });
  }

  it("validates as Ajv's own function, and leaves alone properties and strings spelt like its names", () => {
    const schema = {
      type: "object",
      required: ["schema0"],
      properties: {
        schema0: { enum: ["validate3", "func0"] },
        items: { type: "array", items: { $ref: "#/components/schemas/S/properties/schema0" } },
      },
    };
    const ajv = newAjv();
    const block = blocks(ajv, { S: schema }, ["S"]).get("S") as string;
    expect(block).toContain("data.schema0");
    expect(block).toContain('"validate3"');
    const ours = load(block, "S");
    const reference = newAjv();
    reference.addSchema({ components: { schemas: { S: schema } } }, "doc");
    const theirs = reference.getSchema("doc#/components/schemas/S") as AjvModule.ValidateFunction;
    for (const value of [{ schema0: "validate3" }, { schema0: "x" }, {}, { schema0: "func0", items: ["a", "func0"] }]) {
      expect(ours(value), JSON.stringify(value)).toBe(theirs(value));
      expect(ours.errors ?? null).toEqual(theirs.errors ?? null);
    }
  });

  it("refuses an Ajv that prints a module on one line", () => {
    const ajv = new AjvModule.default({ code: { source: true, esm: true } });
    const validate = ajv.compile({ type: "string" });
    expect(() => standaloneBlock(ajv, validate, "S")).toThrow(/code\.lines/);
  });
});

describe("renameScopeNames", () => {
  it("renames only the names the block defines, the schema's function first", () => {
    const code = 'const schema4 = {"a":"schema4"};\nfunction validate9(data){\nreturn data.schema4 === schema4.a;\n}';
    expect(renameScopeNames(code, "validate9", "P")).toBe(
      'const P$schema0 = {"a":"schema4"};\nfunction P$validate0(data){\nreturn data.schema4 === P$schema0.a;\n}',
    );
  });

  it("skips a format Ajv prints as a regular expression literal, quotes and names in it included", () => {
    const code = [
      "const formats3 = /^[a-z'`/]+validate1\\/(?:x|\"y)$/i;",
      'const formats4 = formats["date-time"];',
      "function validate1(data){",
      "return formats3.test(data) && formats4(data);",
      "}",
    ].join("\n");
    expect(renameScopeNames(code, "validate1", "P").split("\n")).toEqual([
      "const P$formats0 = /^[a-z'`/]+validate1\\/(?:x|\"y)$/i;",
      'const P$formats1 = formats["date-time"];',
      "function P$validate0(data){",
      "return P$formats0.test(data) && P$formats1(data);",
      "}",
    ]);
  });

  it("refuses code it cannot read rather than rename in it", () => {
    expect(() => renameScopeNames("function validate0(){\nreturn 'validate0';\n}", "validate0", "P")).toThrow(
      /outside a string/,
    );
    expect(() => renameScopeNames("function validate0(){\nreturn schema1;\n}", "validate0", "P")).toThrow(
      /schema1 without defining it/,
    );
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
