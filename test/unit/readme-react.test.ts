import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/cli.js";

describe("the README's React section", () => {
  it("shows examples/nextjs's files as they are (CI builds and drives that app)", async () => {
    const readme = await readFile(join(ROOT, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("\n### React\n"), readme.indexOf("\n## The mock"));
    const blocks = [...section.matchAll(/```tsx\n([\s\S]*?)```/g)].map((m) => m[1] ?? "");
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    for (const block of blocks) {
      const file = /^\/\/ (app\/[\w.-]+)\n/.exec(block)?.[1];
      expect(file, `a block starts with its file name: ${block.slice(0, 40)}`).toBeDefined();
      expect(block).toBe(await readFile(join(ROOT, "examples/nextjs", file ?? ""), "utf8"));
    }
  });
});
