import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll } from "vitest";
import { type GeneratedFiles, generate } from "../../scripts/generate.js";
import { writeGenerated } from "../../scripts/write-output.js";
import { ROOT } from "./cli.js";

export interface GeneratedProject {
  /** The output folder, importable from a test. */
  out: string;
  files: GeneratedFiles;
  /** What strict `tsc` printed over the output; empty when it type-checks. */
  tscOutput: string;
}

/**
 * Generates `spec` into a folder inside the project (so the output resolves
 * openapi-fetch from node_modules) and type-checks it with the project's
 * strict settings. Folders are removed after the calling file's tests.
 */
export function useGeneratedProjects(): (spec: string) => Promise<GeneratedProject> {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });
  return async (spec) => {
    const dir = await mkdtemp(join(ROOT, ".tmp-generated-"));
    dirs.push(dir);
    const out = join(dir, "out");
    const files = await generate({ spec, out });
    await writeGenerated(out, files);
    await writeFile(
      join(dir, "tsconfig.json"),
      JSON.stringify({ extends: "../tsconfig.json", include: ["out"], compilerOptions: { types: [] } }),
    );
    const tsc = join(ROOT, "node_modules/typescript/bin/tsc");
    const tscOutput = await promisify(execFile)(process.execPath, [tsc, "-p", dir], { cwd: ROOT }).then(
      () => "",
      (error: { stdout?: string }) => error.stdout || String(error),
    );
    return { out, files, tscOutput };
  };
}
