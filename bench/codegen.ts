import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { stringify } from "yaml";
import { ROOT, timeProcess, wallAndCpu } from "./process.js";
import { interleaved, type Row, ratioRow, summarize } from "./stats.js";
import {
  stripeSizedSpec,
  writeRealWorldShapesSpec,
  writeStripeSizedSpec,
  writeSyntheticSpec,
} from "./synthetic-spec.js";

const OURS = [join(ROOT, "scripts/repo/run.mjs"), "src/cli/npm-generate.ts"];
const BARE = join(ROOT, "node_modules/openapi-typescript/bin/cli.js");
const DEVREV = join(ROOT, "../shared/specs/devrev-public-openapi.yaml");
const TSC = join(ROOT, "node_modules/typescript/bin/tsc");
/** `tsc` as strict as the project's own settings, over one module and what it imports. */
const TSC_FLAGS = ["--noEmit", "--strict", "--skipLibCheck", "--target", "ES2022", "--module", "NodeNext"];
/**
 * How long the `--watch` rows wait after the watcher starts, and after each save's report, before
 * the next save: the watcher stores the last run meanwhile, as it does while a person edits.
 */
const SAVE_PAUSE_MS = 1000;
/** The fewest saves a `--watch` row times: a save is one number, and this machine moves each by 10-20%. */
const MIN_SAVES = 5;

/** `npm run generate` against the bare openapi-typescript CLI, whole process, same spec. */
export async function codegen(rounds: number): Promise<Row[]> {
  const dir = await mkdtemp(join(tmpdir(), "bench-codegen-"));
  try {
    const specs: [string, string][] = [
      ["auth-tokens spec", join(ROOT, "spec/auth-tokens.openapi.yaml")],
      ["10 operations", await writeSyntheticSpec(dir, 10)],
      ["100 operations", await writeSyntheticSpec(dir, 100)],
      ["1000 operations", await writeSyntheticSpec(dir, 1000)],
      ["300 operations in real-world shapes", await writeRealWorldShapesSpec(dir, 300)],
      ["Stripe-sized synthetic spec (4 MB)", await writeStripeSizedSpec(join(dir, "stripe-sized.yaml"))],
    ];
    if (existsSync(DEVREV)) specs.push(["DevRev public spec", DEVREV]);
    const rows: Row[] = [];
    for (const [name, spec] of specs) {
      const large = name.startsWith("1000") || name.startsWith("DevRev") || name.startsWith("Stripe");
      const n = large ? Math.max(3, Math.ceil(rounds / 2)) : rounds;
      const cpu = { ours: [] as number[], bare: [] as number[] };
      const results = await interleaved(n, {
        // Cold: a run that finds its output in the cache is measured on its own below.
        ours: () => wallAndCpu(cpu.ours, [...OURS, "--no-cache", "--spec", spec, "--out", join(dir, "out")]),
        // Run from the temp dir so the project's own redocly.yaml does not apply to the bare CLI.
        bare: () => wallAndCpu(cpu.bare, [BARE, spec, "-o", join(dir, "bare.ts")], dir),
      });
      rows.push(
        ratioRow("codegen", `generate: ${name}`, "ms", results.ours, "openapi-typescript CLI", results.bare, {
          max: 1.3,
        }),
        ratioRow("codegen", `generate, CPU time: ${name}`, "ms", cpu.ours, "openapi-typescript CLI", cpu.bare, {
          max: 1.3,
        }),
      );
    }
    const stripeSized = join(dir, "stripe-sized.yaml");
    rows.push(await rerunFromCache(dir, stripeSized, rounds));
    rows.push(await rerunAfterEdit(dir, rounds));
    rows.push(await typecheckOutput(dir, "Stripe-sized synthetic spec", stripeSized, rounds));
    rows.push(await typecheckOutput(dir, "300 operations in real-world shapes", join(dir, "shapes-300.yaml"), rounds));
    const original = await readFile(join(ROOT, "spec/auth-tokens.openapi.yaml"), "utf8");
    rows.push(
      await watchRegenerate(
        dir,
        Math.max(MIN_SAVES, rounds),
        "generate --watch: save to regenerated output (warm)",
        (i) => original.replace("title: DevRev auth-tokens.create", `title: DevRev auth-tokens.create ${i}`),
        original,
      ),
    );
    rows.push(
      await watchRegenerate(
        dir,
        Math.max(MIN_SAVES, rounds),
        "generate --watch, Stripe-sized spec: a save changing one schema's limit to regenerated output",
        (i) => stringify(stripeSizedSpec(i + 1)),
        stringify(stripeSizedSpec()),
      ),
    );
    rows.push(
      await watchRegenerate(
        dir,
        Math.max(MIN_SAVES, rounds),
        "generate --watch, Stripe-sized spec: a save adding a property to one schema to regenerated output",
        (i) => stringify(withProperty(stripeSizedSpec(), `added${i}`)),
        stringify(stripeSizedSpec()),
      ),
    );
    return rows;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A second run on the Stripe-sized spec, unchanged: its output comes from the cache. */
function rerunFromCache(dir: string, spec: string, rounds: number): Promise<Row> {
  return cachedRuns(dir, rounds, spec, "generate again, Stripe-sized spec unchanged (from the cache)", {
    note: "the cache's read; no target",
  });
}

/**
 * A new process's run on the Stripe-sized spec after an edit to one schema's constraint (each
 * round a new revision): the output is not in the cache, but every other schema's compiled
 * validator is, from the run before.
 */
function rerunAfterEdit(dir: string, rounds: number): Promise<Row> {
  const spec = join(dir, "stripe-edited.yaml");
  let revision = 0;
  return cachedRuns(
    dir,
    rounds,
    spec,
    "generate after an edit to one schema, Stripe-sized spec (the other schemas' validators from the cache)",
    { note: "the cache's blocks; no target", before: () => writeStripeSizedSpec(spec, revision++) },
  );
}

/**
 * Our runs with the cache (in the temp folder's own `node_modules`, which a first, untimed run
 * fills) against the bare CLI's on `spec`; `before` runs ahead of each of ours, untimed.
 */
async function cachedRuns(
  dir: string,
  rounds: number,
  spec: string,
  name: string,
  { note, before }: { note: string; before?: () => Promise<unknown> },
): Promise<Row> {
  const ours = async () => {
    await before?.();
    return timeProcess([...OURS, "--spec", spec, "--out", join(dir, "out")], dir);
  };
  await mkdir(join(dir, "node_modules"), { recursive: true });
  await ours();
  const results = await interleaved(Math.max(3, Math.ceil(rounds / 2)), {
    ours,
    bare: () => timeProcess([BARE, spec, "-o", join(dir, "bare.ts")], dir),
  });
  await rm(join(dir, "node_modules"), { recursive: true, force: true });
  const row = ratioRow("codegen", name, "ms", results.ours, "openapi-typescript CLI", results.bare);
  row.note = note;
  return row;
}

/**
 * Strict `tsc` over our output (the index, which imports every module) against the bare CLI's
 * types for the same spec, each alone. In a folder inside the project, so our output finds
 * openapi-fetch and Ajv in node_modules as it would in a user's project.
 */
async function typecheckOutput(dir: string, name: string, spec: string, rounds: number): Promise<Row> {
  const project = await mkdtemp(join(ROOT, ".tmp-bench-tsc-"));
  try {
    await timeProcess([...OURS, "--no-cache", "--spec", spec, "--out", join(project, "ours")]);
    await timeProcess([BARE, spec, "-o", join(project, "bare.ts")], dir);
    const errors = { ours: 0, bare: 0 };
    const results = await interleaved(Math.max(2, Math.ceil(rounds / 2)), {
      ours: () => timeTsc(join(project, "ours/index.ts"), (n) => (errors.ours = n)),
      bare: () => timeTsc(join(project, "bare.ts"), (n) => (errors.bare = n)),
    });
    const row = ratioRow(
      "codegen",
      `tsc over the output: ${name}`,
      "ms",
      results.ours,
      "the bare CLI's types",
      results.bare,
    );
    // What tsc does, which a loaded machine cannot move: from one more run of each, untimed.
    const instantiations = {
      ours: await countInstantiations(join(project, "ours/index.ts")),
      bare: await countInstantiations(join(project, "bare.ts")),
    };
    const count = (n: number) => n.toLocaleString("en-US");
    const notes = [`type instantiations: ours ${count(instantiations.ours)}, bare ${count(instantiations.bare)}`];
    if (errors.ours + errors.bare > 0) notes.push(`type errors: ours ${errors.ours}, bare ${errors.bare}`);
    row.note = notes.join("; ");
    return row;
  } finally {
    await rm(project, { recursive: true, force: true });
  }
}

/**
 * Wall clock of one strict `tsc` over `file`, spawn to exit. Type errors do not stop it (the
 * bare CLI's types for some real-world shapes have some); their count goes to `errors`.
 */
function timeTsc(file: string, errors: (count: number) => void): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [TSC, ...TSC_FLAGS, file], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (c) => (output += c));
    child.stderr.on("data", (c) => (output += c));
    child.on("exit", (code) => {
      const ms = performance.now() - started;
      errors(output.match(/error TS\d+/g)?.length ?? 0);
      // tsc exits 2 when it reports errors (having checked everything); anything else is its own failure.
      if (code === 0 || code === 2) resolve(ms);
      else reject(new Error(`tsc ${file} exited ${code}: ${output.slice(0, 2000)}`));
    });
  });
}

/** The type instantiations strict `tsc` reports over `file` (`--extendedDiagnostics`). */
function countInstantiations(file: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TSC, ...TSC_FLAGS, "--extendedDiagnostics", file], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "ignore"],
    });
    let output = "";
    child.stdout.on("data", (c) => (output += c));
    child.on("exit", () => {
      const count = output.match(/^Instantiations:\s+(\d+)$/m)?.[1];
      if (count === undefined)
        reject(new Error(`tsc ${file} printed no instantiation count: ${output.slice(0, 2000)}`));
      else resolve(Number(count));
    });
  });
}

/** `spec` (a Stripe-sized one) with a string property `name` added to its first schema. */
function withProperty(spec: Record<string, unknown>, name: string): Record<string, unknown> {
  const schemas = (spec.components as { schemas: Record<string, { properties: Record<string, unknown> }> }).schemas;
  const first = schemas.Resource0;
  if (first) first.properties[name] = { type: "string", description: "Added by a save." };
  return spec;
}

/**
 * How long `--watch` takes from a save to the regenerated output, warm, as it reports it:
 * `save(i)` is the spec's text at the i-th save, `first` its text when the watcher starts. With
 * the cache, as by default, in the folder's own `node_modules` (so new to this run); each save a
 * while after the last one was reported, as a person edits, once the watcher has stored it.
 */
async function watchRegenerate(
  dir: string,
  saves: number,
  name: string,
  save: (i: number) => string,
  first: string,
): Promise<Row> {
  const folder = await mkdtemp(join(dir, "watch-"));
  const spec = join(folder, "watched.yaml");
  await writeFile(spec, first);
  await mkdir(join(folder, "node_modules"));
  const args = [...OURS, "--watch", "--spec", spec, "--out", join(folder, "watched")];
  const child = spawn(process.execPath, args, { cwd: folder });
  let output = "";
  const waitFor = (pattern: RegExp, from: number) =>
    new Promise<RegExpExecArray>((resolve) => {
      const check = () => {
        const match = pattern.exec(output.slice(from));
        if (match) {
          child.stdout.off("data", check);
          resolve(match);
        }
      };
      child.stdout.on("data", check);
      check();
    });
  child.stdout.on("data", (c) => (output += c));
  await waitFor(/watching/, 0);
  // The first run's store too: a save right after the start would wait for it.
  await sleep(SAVE_PAUSE_MS);
  const times: number[] = [];
  for (let i = 0; i < saves; i++) {
    const text = save(i);
    const from = output.length;
    const started = performance.now();
    await writeFile(spec, text);
    await waitFor(/regenerated .* in (\d+) ms/, from);
    // Wall clock from the write, including the 50 ms the watcher waits for a burst of events to settle.
    times.push(performance.now() - started);
    await sleep(SAVE_PAUSE_MS);
  }
  // Gone before the next row starts: a watcher still closing would share the cores with it.
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
  return {
    group: "codegen",
    name,
    unit: "ms",
    ours: summarize(times),
    note: "with the cache; includes the watcher's 50 ms debounce",
  };
}
