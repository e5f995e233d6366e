import { join } from "node:path";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/cli.js";
import { useGeneratedProjects } from "../helpers/generated-project.js";

/** The minified bundle of a module that imports `names` from the generated index, dependencies left out. */
async function bundleOf(out: string, names: string[]): Promise<string> {
  const result = await build({
    stdin: {
      contents: `import { ${names.join(", ")} } from ${JSON.stringify(join(out, "index.ts"))};\nconsole.log(${names.join(", ")});`,
      resolveDir: ROOT,
      loader: "ts",
    },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "neutral",
    write: false,
    external: ["openapi-fetch", "ajv", "ajv/*", "ajv-formats", "ajv-formats/*"],
    logLevel: "silent",
  });
  return result.outputFiles[0]?.text ?? "";
}

// Cloudflare's one operation used to bundle the whole operation table (331 kB minified).
describe("one generated operation function, bundled alone", () => {
  const generateProject = useGeneratedProjects({ typecheck: false });

  it("brings its own entry, not the other operations'", { timeout: 120_000 }, async () => {
    const { out } = await generateProject(join(ROOT, "test/fixtures/pets/spec.yaml"));
    const one = await bundleOf(out, ["createPet"]);
    expect(one).toContain('"create-pet"');
    for (const other of ['"list-pets"', '"/pets/{petId}"']) expect(one).not.toContain(other);
    // The table still holds them all, for whoever imports it.
    const table = await bundleOf(out, ["operationTable"]);
    for (const all of ['"create-pet"', '"list-pets"', '"/pets/{petId}"']) expect(table).toContain(all);
    // Nor do the validators come along with an operation function.
    expect(one).not.toMatch(/must be one of: /);
  });
});
