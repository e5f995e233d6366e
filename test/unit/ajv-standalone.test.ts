import { join } from "node:path";
import AjvModule from "ajv";
import standaloneModule from "ajv/dist/standalone/index.js";
import { describe, expect, it } from "vitest";
import { loadSpec } from "../../scripts/spec-reader/load-spec.js";
import { linearErrors, standaloneExports } from "../../scripts/transforms/ajv-standalone.js";
import { ROOT } from "../helpers/cli.js";

// Ajv's own standaloneCode is the reference: ours must print the very same module, only faster, with
// its functions' errors appended rather than concatenated.
describe("standaloneExports", () => {
  for (const spec of [
    "test/fixtures/pets/spec.yaml",
    "test/fixtures/discriminators/spec.yaml",
    "spec/auth-tokens.openapi.yaml",
  ]) {
    it(`prints what Ajv's standaloneCode prints: ${spec}`, async () => {
      const { document } = await loadSpec(join(ROOT, spec));
      const compile = () => {
        const ajv = new AjvModule.default({
          strict: false,
          allErrors: true,
          inlineRefs: false,
          code: { source: true, esm: true },
        });
        const schemas = (document.components?.schemas ?? {}) as Record<string, object>;
        ajv.addSchema({ components: { schemas } }, "doc");
        // Shared and recursive references, so functions are used by several exports.
        const refs = Object.fromEntries(
          Object.keys(schemas).map((key) => [key.replace(/\W/g, "_"), `doc#/components/schemas/${key}`]),
        );
        return { ajv, refs };
      };
      const ours = compile();
      const theirs = compile();
      expect(Object.keys(ours.refs).length).toBeGreaterThan(2);
      const reference = standaloneModule.default(theirs.ajv, theirs.refs);
      expect(reference).toContain(".concat(");
      const printed = standaloneExports(ours.ajv, ours.refs);
      expect(printed).toBe(linearErrors(reference));
      expect(printed).not.toContain(".concat(");
    });
  }
});

describe("linearErrors", () => {
  it("appends a callee's errors in place: the first array taken over, later ones pushed", () => {
    const given =
      "if(!(validate4(data))){vErrors = vErrors === null ? validate4.errors : vErrors.concat(validate4.errors);errors = vErrors.length;}";
    const want =
      "if(!(validate4(data))){if(vErrors === null){vErrors = validate4.errors;}else {for(const err of validate4.errors){vErrors.push(err);}}errors = vErrors.length;}";
    expect(linearErrors(given)).toBe(want);
    // Another array's concat is not Ajv's error collection: left alone.
    expect(linearErrors("x = y.concat(z);")).toBe("x = y.concat(z);");
  });
});
