import { spawnSync } from "node:child_process";
import { readdir, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import openapiTS, { astToString, type OpenAPI3 } from "openapi-typescript";
import ts from "typescript";
import { describe, expect, it, vi } from "vitest";
import { stringify } from "yaml";
import { openapiTsParts, openapiTypes, refToParameters } from "../../scripts/openapi-types.js";
import { exclusiveUnions } from "../../scripts/schema-hooks/exclusive-unions.js";
import { nullableWithRequired } from "../../scripts/schema-hooks/with-required.js";
import { RESERVED_NAMES, SpecModel } from "../../scripts/spec-model.js";
import { GenerateError } from "../../scripts/spec-reader/generate-error.js";
import { type LoadedSpec, loadSpec } from "../../scripts/spec-reader/load-spec.js";
import { ROOT } from "../helpers/cli.js";
import { maskPrototypeKeys } from "../helpers/prototype-keys.js";
import { useTempDirs } from "../helpers/temp-dir.js";

const tempDir = useTempDirs();

/**
 * `schema.ts` as openapi-typescript's own entry prints it, Redocly's lint and bundle included, for
 * the document as this generator gives it to openapi-typescript (a `$ref` to a parameter's
 * `schema` read as one to the parameter: see refToParameters).
 */
async function throughOpenapiTS(spec: LoadedSpec): Promise<string> {
  refToParameters(spec.document);
  const { masked, unmask } = maskPrototypeKeys(spec.document);
  const unions = exclusiveUnions(new SpecModel(spec.document, RESERVED_NAMES), ts);
  const ast = await openapiTS(masked as OpenAPI3, {
    silent: true,
    postTransform:
      unions && ((type, options) => unions(type, { ...options, path: options.path && unmask(options.path) })),
  });
  return nullableWithRequired(unmask(astToString(ast)));
}

const FIXTURES = join(ROOT, "test/fixtures");

describe("schema.ts through openapi-typescript's transformSchema", () => {
  it("takes openapi-typescript's functions from the modules its entry re-exports, without the entry's Redocly", () => {
    // A process of its own, whose module cache holds only what openapiTsParts loads.
    const script = `import { openapiTsParts } from ${JSON.stringify(join(ROOT, "scripts/openapi-types.ts"))};
      import { createRequire } from "node:module";
      openapiTsParts();
      const files = Object.keys(createRequire(import.meta.url).cache);
      console.log(JSON.stringify(files.filter((file) => file.includes("/@redocly/openapi-core/lib/bundle"))));`;
    const child = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      cwd: ROOT,
      encoding: "utf8",
    });
    expect(child.stderr).toBe("");
    // Redocly's bundler is one of the modules only the entry loads.
    expect(JSON.parse(child.stdout)).toEqual([]);
    const require = createRequire(import.meta.url);
    const entry = require("openapi-typescript") as typeof import("openapi-typescript");
    expect(Object.keys(require.cache).some((file) => file.includes("/@redocly/openapi-core/lib/bundle"))).toBe(true);
    const parts = openapiTsParts();
    expect(parts.transformSchema).toBe(entry.transformSchema);
    expect(parts.astToString).toBe(entry.astToString);
    expect(parts.scanDiscriminators).toBe(entry.scanDiscriminators);
    expect(parts.resolveRef).toBe(entry.resolveRef);
  });

  it("is the text openapiTS prints, for the shipped spec and every fixture", async () => {
    const realWorld = (await readdir(join(FIXTURES, "real-world"))).filter((name) => name.endsWith(".yaml"));
    const specs = [
      join(ROOT, "spec/auth-tokens.openapi.yaml"),
      join(FIXTURES, "pets/spec.yaml"),
      join(FIXTURES, "real-world/multi-file/openapi.yaml"),
      ...realWorld.map((name) => join(FIXTURES, "real-world", name)),
    ];
    for (const path of specs) {
      // Loaded for each: openapi-typescript writes into the document it is given (descriptions of discriminators).
      const spec = await loadSpec(path);
      const ours = openapiTypes(spec, new SpecModel(spec.document, RESERVED_NAMES));
      expect(ours, path).toBe(await throughOpenapiTS(await loadSpec(path)));
    }
  });

  it("refuses two operations with one operationId, naming both places", async () => {
    const file = join(await tempDir(), "spec.yaml");
    const operation = { operationId: "getThing", responses: { "204": { description: "none" } } };
    await writeFile(
      file,
      stringify({
        openapi: "3.1.0",
        info: { title: "t", version: "1" },
        paths: { "/a": { get: operation }, "/b/{id}": { post: operation } },
      }),
    );
    const spec = await loadSpec(file);
    const error = (() => {
      try {
        openapiTypes(spec, new SpecModel(spec.document, RESERVED_NAMES));
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(GenerateError);
    expect((error as GenerateError).message).toContain("/paths/~1b~1{id}/post/operationId");
    expect((error as GenerateError).message).toContain('the operationId "getThing" is also the one at /paths/~1a/get');
  });

  it("writes nothing to the console for a discriminator mapped to a schema it cannot narrow", async () => {
    const file = join(await tempDir(), "spec.yaml");
    await writeFile(
      file,
      stringify({
        openapi: "3.1.0",
        info: { title: "t", version: "1" },
        paths: {},
        components: {
          schemas: {
            Pet: { oneOf: [{ $ref: "#/components/schemas/Name" }], discriminator: { propertyName: "kind" } },
            Name: { type: "string" },
          },
        },
      }),
    );
    const spec = await loadSpec(file);
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      expect(openapiTypes(spec, new SpecModel(spec.document, RESERVED_NAMES))).toContain("Pet:");
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });

  it("reads keys named like Object.prototype's methods as any other, a required one required", async () => {
    const spec = await loadSpec(join(FIXTURES, "real-world/awkward-names.yaml"));
    const types = openapiTypes(spec, new SpecModel(spec.document, RESERVED_NAMES));
    expect(types).toContain('            valueOf: components["schemas"]["valueOf"];\n');
    expect(types).toContain("            hasOwnProperty?: boolean;\n");
    expect(types).toContain("        valueOf: number;\n");
  });
});
