import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { missingRuntimeWarning, runtimePackages, unresolvedFrom } from "../../scripts/output-dependencies.js";
import { ROOT } from "../helpers/cli.js";

const files = new Map([
  ["operations.ts", `import createClient from "openapi-fetch";\nimport type { paths } from "./schema.js";\n`],
  [
    "ajv-validators.js",
    `import equal from "ajv/dist/runtime/equal.js";\nimport {\n  a,\n} from "@scope/pkg/deep/file.js";\n`,
  ],
  ["index.ts", `export * from "./types.js";\nexport type * from "./schema.js";\nimport fs from "node:fs";\n`],
]);

describe("the packages generated code needs at run time", () => {
  it("are read from its imports, by package name", () => {
    expect(runtimePackages(files)).toEqual(["@scope/pkg", "ajv", "openapi-fetch"]);
  });

  it("are found after declarations that are not imports", () => {
    const types = [
      `import type { components } from "./schema.js";`,
      `export interface A extends Schema<"A"> {}`,
      `/** Lorem { ipsum } from "comment". */`,
      `export interface B extends Schema<"B"> {}`,
      `export { c, d as e } from "later-package";`,
      `import g, { h } from "default-and-named";`,
    ].join("\n");
    expect(runtimePackages(new Map([["types.ts", types]]))).toEqual(["default-and-named", "later-package"]);
  });

  it("resolve from a folder of this project, not from one outside any project", async () => {
    expect(unresolvedFrom(join(ROOT, "generated"), ["openapi-fetch", "ajv", "ajv-formats"])).toEqual([]);
    const outside = await mkdtemp(join(tmpdir(), "outside-"));
    try {
      expect(unresolvedFrom(outside, ["openapi-fetch", "ajv"])).toEqual(["openapi-fetch", "ajv"]);
      expect(missingRuntimeWarning(join(outside, "out"), files)).toBe(
        `warning: ${join(outside, "out")}/ imports @scope/pkg, ajv, openapi-fetch at run time, which cannot be found from there; ` +
          "install them in the project that uses it: npm install @scope/pkg ajv@^8.20.0 openapi-fetch@0.17.0",
      );
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });
});
