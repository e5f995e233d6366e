// `npm run test:corpus`: the generator on every real-world spec in ../shared/specs/corpus/
// (read from there, never copied into the project). Each spec must generate, the output must
// pass strict tsc inside the project, so openapi-fetch resolves, and every guard must agree
// with a reference Ajv on values fast-check draws from its schema. Prints one line per spec
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
import { type DifferentialResult, guardDifferential } from "../helpers/guard-differential.js";

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

/** Values drawn per schema in the guard differential. */
const RUNS_PER_SCHEMA = 100;

export interface SpecCheck {
  problem?: string;
  guards?: DifferentialResult;
}

/**
 * Generates `spec` into a folder inside the project, type-checks it and runs
 * the guard differential; resolves with the problem, if any.
 */
export async function checkSpec(spec: string): Promise<SpecCheck> {
  const dir = await mkdtemp(join(ROOT, ".tmp-corpus-"));
  try {
    const out = join(dir, "out");
    try {
      await writeGenerated(out, await generate({ spec, out }));
    } catch (error) {
      return { problem: `generate: ${(error as Error).message.split("\n")[0]}` };
    }
    // Without unused names too, as a user's strictest project would check the output.
    const args = ["--noEmit", "--strict", "--noUnusedLocals", "--noUnusedParameters", "--skipLibCheck"];
    args.push("--module", "esnext", "--moduleResolution", "bundler");
    // TypeScript sources only: tsc reads Ajv's JavaScript through its declarations, as a user's project would.
    const files = (await readdir(out)).filter((name) => name.endsWith(".ts")).map((name) => join(out, name));
    const result = await promisify(execFile)(process.execPath, [TSC, ...args, "--target", "es2022", ...files], {
      cwd: ROOT,
      maxBuffer: 64 * 1024 * 1024,
    }).then(
      () => undefined,
      (error: { stdout?: string; stderr?: string }) => `${error.stdout ?? ""}${error.stderr ?? ""}` || String(error),
    );
    if (result !== undefined) {
      const lines = result.split("\n").filter((line) => line.trim() !== "");
      return { problem: `tsc: ${lines.length} lines, first: ${lines[0]?.replace(dir, "")}` };
    }
    const guards = await guardDifferential(spec, out, RUNS_PER_SCHEMA);
    const [first] = guards.disagreements;
    if (!first) return { guards };
    const shown = JSON.stringify(first.value)?.slice(0, 300);
    return {
      guards,
      problem: `${guards.disagreements.length} guards disagree with Ajv; first: ${first.schema} on ${shown} (guard ${first.guard}, Ajv ${first.reference})`,
    };
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
    const totals = { schemas: 0, values: 0, valid: 0, disagreements: 0 };
    // `npm run test:corpus -- stripe openai` runs the specs whose names contain either word.
    const only = process.argv.slice(2);
    const specs = new Map(
      [...(await corpusSpecs(scratch))].filter(([name]) => only.length === 0 || only.some((w) => name.includes(w))),
    );
    for (const [name, path] of specs) {
      const started = performance.now();
      const { problem, guards } = await checkSpec(path);
      const ms = Math.round(performance.now() - started);
      const counts = guards
        ? `; guards: ${guards.schemas} schemas, ${guards.values} values (${guards.valid} valid), ${guards.disagreements.length} disagreements` +
          (guards.uncompiled.length > 0 ? `, ${guards.uncompiled.length} the reference cannot compile` : "")
        : "";
      process.stdout.write(
        `${problem ? "FAIL" : "ok  "} ${name} (${ms} ms${counts})${problem ? `: ${problem}` : ""}\n`,
      );
      for (const reason of guards?.uncompiled ?? []) process.stdout.write(`     reference cannot compile ${reason}\n`);
      if (!problem) passed++;
      totals.schemas += guards?.schemas ?? 0;
      totals.values += guards?.values ?? 0;
      totals.valid += guards?.valid ?? 0;
      totals.disagreements += guards?.disagreements.length ?? 0;
    }
    process.stdout.write(
      `${passed}/${specs.size} specs generate, type-check and agree with Ajv ` +
        `(${totals.schemas} guards, ${totals.values} values of which ${totals.valid} valid, ${totals.disagreements} disagreements)\n`,
    );
    return passed === specs.size ? 0 : 1;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await main();
