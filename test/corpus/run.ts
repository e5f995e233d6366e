// `npm run test:corpus`: the generator on every real-world spec in ../shared/specs/corpus/
// (read from there, never copied into the project). Each spec must generate, and the output
// must pass strict tsc inside the project, so openapi-fetch resolves. Prints one line per spec
// and a summary; exits 1 if any spec fails. Words after the command pick specs by name.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { gunzipSync } from "node:zlib";
import { generate } from "../../scripts/generate.js";
import { writeGenerated } from "../../scripts/write-output.js";
import { ROOT } from "../helpers/cli.js";

export const CORPUS = join(ROOT, "../shared/specs/corpus");
const TSC = join(ROOT, "node_modules/typescript/bin/tsc");

/** The corpus specs, decompressed where needed into `scratch`; name -> path. */
export async function corpusSpecs(scratch: string): Promise<Map<string, string>> {
  const specs = new Map<string, string>();
  for (const name of (await readdir(CORPUS)).sort()) {
    if (!/\.(ya?ml|json)(\.gz)?$/.test(name)) continue;
    if (!name.endsWith(".gz")) {
      specs.set(name, join(CORPUS, name));
      continue;
    }
    const plain = join(scratch, name.slice(0, -3));
    await writeFile(plain, gunzipSync(await readFile(join(CORPUS, name))));
    specs.set(name, plain);
  }
  return specs;
}

/** Generates `spec` into a folder inside the project and type-checks it; resolves with the problem, if any. */
export async function checkSpec(spec: string): Promise<string | undefined> {
  const dir = await mkdtemp(join(ROOT, ".tmp-corpus-"));
  try {
    const out = join(dir, "out");
    try {
      await writeGenerated(out, await generate({ spec, out }));
    } catch (error) {
      return `generate: ${(error as Error).message.split("\n")[0]}`;
    }
    const args = ["--noEmit", "--strict", "--skipLibCheck", "--module", "esnext", "--moduleResolution", "bundler"];
    // TypeScript sources only: tsc reads Ajv's JavaScript through its declarations, as a user's project would.
    const files = (await readdir(out)).filter((name) => name.endsWith(".ts")).map((name) => join(out, name));
    const result = await promisify(execFile)(process.execPath, [TSC, ...args, "--target", "es2022", ...files], {
      cwd: ROOT,
      maxBuffer: 64 * 1024 * 1024,
    }).then(
      () => undefined,
      (error: { stdout?: string; stderr?: string }) => `${error.stdout ?? ""}${error.stderr ?? ""}` || String(error),
    );
    if (result === undefined) return undefined;
    const lines = result.split("\n").filter((line) => line.trim() !== "");
    return `tsc: ${lines.length} lines, first: ${lines[0]?.replace(dir, "")}`;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  if (!existsSync(CORPUS)) {
    process.stderr.write(`the corpus is read from ${CORPUS}, which is absent\n`);
    return 2;
  }
  const scratch = await mkdtemp(join(tmpdir(), "corpus-"));
  try {
    let passed = 0;
    // `npm run test:corpus -- stripe openai` runs the specs whose names contain either word.
    const only = process.argv.slice(2);
    const specs = new Map(
      [...(await corpusSpecs(scratch))].filter(([name]) => only.length === 0 || only.some((w) => name.includes(w))),
    );
    for (const [name, path] of specs) {
      const started = performance.now();
      const problem = await checkSpec(path);
      const ms = Math.round(performance.now() - started);
      process.stdout.write(`${problem ? "FAIL" : "ok  "} ${name} (${ms} ms)${problem ? `: ${problem}` : ""}\n`);
      if (!problem) passed++;
    }
    process.stdout.write(`${passed}/${specs.size} specs generate and type-check\n`);
    return passed === specs.size ? 0 : 1;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await main();
