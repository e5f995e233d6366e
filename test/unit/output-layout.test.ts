import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ajvPass } from "../../scripts/ajv-pass.js";
import { morphPass } from "../../scripts/morph-pass.js";
import { layOut, OUTPUT_FILES, runTransforms, type Transform } from "../../scripts/output-layout.js";
import { RESERVED_NAMES, SpecModel } from "../../scripts/spec-model.js";
import { loadSpec } from "../../scripts/spec-reader/load-spec.js";
import { ROOT } from "../helpers/cli.js";

const producerOf = (name: string) => OUTPUT_FILES.find((file) => file.name === name)?.producer;

describe("the output layout", () => {
  it("gives each pass exactly the files the table says it writes, for a spec with all of them", async () => {
    const { document } = await loadSpec(join(ROOT, "test/fixtures/pets/spec.yaml"));
    const names = (files: [string, string][]) => files.map(([name]) => name).sort();
    const of = (producer: string) =>
      OUTPUT_FILES.filter((file) => file.producer === producer)
        .map((file) => file.name)
        .sort();
    expect(names(morphPass(document))).toEqual(of("morph pass"));
    expect(names(ajvPass(document))).toEqual(of("ajv pass"));
  });

  it("lays the files out in the table's order, each with the banner, and derives the index", () => {
    const output = layOut(
      [
        ["operations.ts", "ops\n"],
        ["validation.ts", "runtime\n"],
        ["schema.ts", "paths\n"],
        ["types.ts", "names\n"],
      ],
      "// banner\n",
    );
    expect([...output.keys()]).toEqual(["schema.ts", "types.ts", "validation.ts", "operations.ts", "index.ts"]);
    expect(output.get("types.ts")).toBe("// banner\nnames\n");
    // Types only from schema.ts, everything from the public modules, nothing from the internal ones.
    expect(output.get("index.ts")).toBe(
      [
        "// banner",
        `export type * from "./schema.js";`,
        `export * from "./types.js";`,
        `export * from "./operations.js";`,
        "",
      ].join("\n"),
    );
  });

  it("is the README's table of generated files, but the index", async () => {
    const readme = await readFile(join(ROOT, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## Generated code"));
    const table = section.slice(0, section.indexOf("\n\n", section.indexOf("| file")));
    const rows = table.split("\n").slice(2);
    const named = rows.flatMap((row) => {
      const [cell = ""] = row.split("|").slice(1, 2);
      return [...cell.matchAll(/`([\w.-]+)`(?: \(\+ `\.d\.ts`\))?/g)].flatMap(([whole, name = ""]) =>
        whole.includes(".d.ts") ? [name, name.replace(/\.js$/, ".d.ts")] : [name],
      );
    });
    const files = OUTPUT_FILES.map((file) => file.name).filter((name) => name !== "index.ts");
    expect(named.sort()).toEqual(files.sort());
  });

  it("refuses a file the table does not list, or one another pass writes", () => {
    expect(() => layOut([["extra.ts", ""]], "")).toThrow("no output file is named extra.ts");
    const model = new SpecModel({ openapi: "3.1.0", info: { title: "t", version: "1" } } as never, RESERVED_NAMES);
    const writesAjvCode: Transform = () => ({ "ajv-validators.js": "" });
    expect(() => runTransforms("morph pass", model, [writesAjvCode])).toThrow(
      "the morph pass has no file named ajv-validators.js",
    );
    expect(producerOf("ajv-validators.js")).toBe("ajv pass");
  });
});
