import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { generate } from "../../scripts/generate.js";
import { writeGenerated } from "../../scripts/write-output.js";
import { ROOT } from "../helpers/cli.js";

// `npm run test:corpus` runs the whole public corpus; this fixture keeps each construct that
// stopped it, so CI covers them without the corpus.
describe("constructs from real-world specs", () => {
  let dir: string | undefined;
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("generates, type-checks, and validates as the schemas mean", { timeout: 120_000 }, async () => {
    dir = await mkdtemp(join(ROOT, ".tmp-real-world-"));
    const out = join(dir, "out");
    await writeGenerated(out, await generate({ spec: join(ROOT, "test/fixtures/real-world/spec.yaml"), out }));
    await writeFile(
      join(dir, "tsconfig.json"),
      JSON.stringify({ extends: "../tsconfig.json", include: ["out"], compilerOptions: { types: [] } }),
    );
    const tsc = join(ROOT, "node_modules/typescript/bin/tsc");
    const output = await promisify(execFile)(process.execPath, [tsc, "-p", dir], { cwd: ROOT }).then(
      () => "",
      (error: { stdout?: string }) => error.stdout ?? String(error),
    );
    expect(output).toBe("");

    const { validateGroup } = await import(join(out, "index.ts"));
    expect(validateGroup({ name: "a:b-c", size: 1, note: null, legacy: "x" }).valid).toBe(true);
    // `exclusiveMinimum: true` beside `minimum: 0` excludes 0 itself.
    expect(validateGroup({ name: "a", size: 0 }).valid).toBe(false);
    // The pattern keeps its meaning once its needless escapes are dropped.
    expect(validateGroup({ name: "a b" }).valid).toBe(false);
  });
});
