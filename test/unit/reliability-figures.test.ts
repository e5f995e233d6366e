import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/cli.js";

/** The README's table of reliability suites: each row's file and the figures it states. */
async function rows(): Promise<{ file: string; figures: number[] }[]> {
  const readme = await readFile(join(ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("### Reliability suites"), readme.indexOf("## Layout"));
  return [...section.matchAll(/^\| `([\w.-]+\.test\.ts)` +\|([^|]*)\|/gm)].map(([, file, thrown]) => ({
    file: file as string,
    figures: [...(thrown as string).matchAll(/(?<!\w)\d[\d,]*/g)].map(([n]) => Number(n.replaceAll(",", ""))),
  }));
}

describe("the README's reliability figures", () => {
  it("each figure of 50 or more in a row is in that row's suite", async () => {
    const table = await rows();
    expect(table.map((row) => row.file)).toContain("hostile-input.test.ts");
    for (const { file, figures } of table) {
      const source = (await readFile(join(ROOT, "test/reliability", file), "utf8")).replaceAll("_", "");
      for (const figure of figures.filter((n) => n >= 50)) {
        expect(source, `${file} no longer has the README's ${figure}`).toMatch(new RegExp(`\\b${figure}\\b`));
      }
    }
  });
});
