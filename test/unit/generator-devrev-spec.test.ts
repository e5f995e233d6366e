import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { generate } from "../../scripts/generate.js";
import { writeGenerated } from "../../scripts/write-output.js";
import { ROOT } from "../helpers/cli.js";

// DevRev's whole public spec (about 1 MB, OpenAPI 3.0) sits beside the project, never inside it.
const DEVREV_SPEC = join(ROOT, "../shared/specs/devrev-public-openapi.yaml");
const present = existsSync(DEVREV_SPEC);
if (!present) {
  console.warn(
    `skipping the full-spec test: it reads DevRev's public OpenAPI spec from ${DEVREV_SPEC}, outside the project. ` +
      "Save DevRev's public spec (the OpenAPI document linked from DevRev's API reference) there to run it.",
  );
}

describe.skipIf(!present)("DevRev's full public spec", () => {
  // Inside the project so the output resolves openapi-fetch from node_modules.
  let dir: string | undefined;
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("generates and type-checks under strict settings", { timeout: 120_000 }, async () => {
    dir = await mkdtemp(join(ROOT, ".tmp-devrev-"));
    const out = join(dir, "out");
    const files = await generate({ spec: DEVREV_SPEC, out });
    await writeGenerated(out, files);

    const operations = files.get("operations.ts") ?? "";
    expect(operations).toContain("export function authTokensCreate(client: Client<paths>, body: AuthTokensCreateBody");
    expect(operations.match(/^export function /gm)?.length).toBeGreaterThan(200);
    expect(files.get("constants.ts")).toContain("export const AuthTokenGrantType = {");

    await writeFile(
      join(dir, "tsconfig.json"),
      JSON.stringify({ extends: "../tsconfig.json", include: ["out"], compilerOptions: { types: [] } }),
    );
    const tsc = join(ROOT, "node_modules/typescript/bin/tsc");
    const result = await promisify(execFile)(process.execPath, [tsc, "-p", dir], { cwd: ROOT }).then(
      () => ({ ok: true, output: "" }),
      (error: { stdout?: string }) => ({ ok: false, output: error.stdout ?? String(error) }),
    );
    expect(result.output).toBe("");
    expect(result.ok).toBe(true);
  });
});
