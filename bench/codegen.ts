import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, timeProcess } from "./process.js";
import { interleaved, type Row, ratioRow, summarize } from "./stats.js";
import { writeRealWorldShapesSpec, writeSyntheticSpec } from "./synthetic-spec.js";

const OURS = [join(ROOT, "scripts/repo/run.mjs"), "src/cli/npm-generate.ts"];
const BARE = join(ROOT, "node_modules/openapi-typescript/bin/cli.js");
const DEVREV = join(ROOT, "../shared/specs/devrev-public-openapi.yaml");

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
    ];
    if (existsSync(DEVREV)) specs.push(["DevRev public spec", DEVREV]);
    const rows: Row[] = [];
    for (const [name, spec] of specs) {
      const n = name.startsWith("1000") || name.startsWith("DevRev") ? Math.max(3, Math.ceil(rounds / 2)) : rounds;
      const results = await interleaved(n, {
        ours: () => timeProcess([...OURS, "--spec", spec, "--out", join(dir, "out")]),
        // Run from the temp dir so the project's own redocly.yaml does not apply to the bare CLI.
        bare: () => timeProcess([BARE, spec, "-o", join(dir, "bare.ts")], dir),
      });
      rows.push(
        ratioRow("codegen", `generate: ${name}`, "ms", results.ours, "openapi-typescript CLI", results.bare, {
          max: 1.3,
        }),
      );
    }
    rows.push(await watchRegenerate(dir, rounds));
    return rows;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** How long `--watch` takes from a save to the regenerated output, warm, as it reports it. */
async function watchRegenerate(dir: string, saves: number): Promise<Row> {
  const spec = join(dir, "watched.yaml");
  const original = await readFile(join(ROOT, "spec/auth-tokens.openapi.yaml"), "utf8");
  await writeFile(spec, original);
  const child = spawn(process.execPath, [...OURS, "--watch", "--spec", spec, "--out", join(dir, "watched")], {
    cwd: ROOT,
  });
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
  const times: number[] = [];
  for (let i = 0; i < saves; i++) {
    const from = output.length;
    const started = performance.now();
    await writeFile(
      spec,
      original.replace("title: DevRev auth-tokens.create", `title: DevRev auth-tokens.create ${i}`),
    );
    await waitFor(/regenerated .* in (\d+) ms/, from);
    // Wall clock from the write, including the 50 ms the watcher waits for a burst of events to settle.
    times.push(performance.now() - started);
  }
  child.kill("SIGTERM");
  return {
    group: "codegen",
    name: "generate --watch: save to regenerated output (warm)",
    unit: "ms",
    ours: summarize(times),
    note: "includes the watcher's 50 ms debounce",
  };
}
