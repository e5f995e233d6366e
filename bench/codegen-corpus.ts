import { existsSync } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { CORPUS, corpusSpecs } from "../test/corpus/run.js";
import { ROOT, timeProcess, wallAndCpu } from "./process.js";
import { interleaved, type Row, ratioRow, summarize } from "./stats.js";

const OURS = [join(ROOT, "scripts/repo/run.mjs"), "src/cli/npm-generate.ts"];
const BARE = join(ROOT, "node_modules/openapi-typescript/bin/cli.js");
const HEY_API = join(ROOT, "node_modules/@hey-api/openapi-ts/bin/run.js");
/** The target: the median, over the corpus, of ours / bare openapi-typescript. */
const MEDIAN_TARGET = 1.3;

/**
 * `npm run generate` against the bare openapi-typescript CLI on every spec of
 * the public corpus (../shared/specs/corpus/, when present), whole process,
 * interleaved; then the median of the per-spec ratios, and hey-api's
 * openapi-ts beside ours on the three largest specs.
 */
export async function codegenCorpus(rounds: number): Promise<Row[]> {
  if (!existsSync(CORPUS)) {
    process.stderr.write(`skipping the corpus: ${CORPUS} is absent\n`);
    return [];
  }
  const dir = await mkdtemp(join(tmpdir(), "bench-corpus-"));
  try {
    const specs = [...(await corpusSpecs(dir))];
    const sizes = new Map(
      await Promise.all(specs.map(async ([name, path]) => [name, (await stat(path)).size] as const)),
    );
    const rows: Row[] = [];
    const ratios: number[] = [];
    const cpuRatios: number[] = [];
    for (const [name, spec] of specs) {
      const cpu = { ours: [] as number[], bare: [] as number[] };
      const results = await interleaved(rounds, {
        // Cold, as the bare CLI always is: a run served from the cache is codegen.ts's own row.
        ours: () => wallAndCpu(cpu.ours, [...OURS, "--no-cache", "--spec", spec, "--out", join(dir, "out")]),
        // From the temp dir, so the project's own redocly.yaml does not apply to the bare CLI.
        bare: () => wallAndCpu(cpu.bare, [BARE, spec, "-o", join(dir, "bare.ts")], dir),
      });
      const row = ratioRow("corpus", `generate: ${name}`, "ms", results.ours, "openapi-typescript CLI", results.bare);
      const cpuRatio = summarize(cpu.ours).median / summarize(cpu.bare).median;
      row.note = `${Math.round((sizes.get(name) ?? 0) / 1024)} KiB; CPU time ${cpuRatio.toFixed(2)}x`;
      rows.push(row);
      ratios.push(row.ratio as number);
      cpuRatios.push(cpuRatio);
    }
    for (const [what, values] of [
      ["", ratios],
      [", CPU time", cpuRatios],
    ] as const) {
      const median = summarize(values).median;
      rows.push({
        group: "corpus",
        name: `generate${what}: median ratio over ${values.length} specs`,
        unit: "x",
        ours: summarize(values),
        ratio: median,
        target: `<= ${MEDIAN_TARGET}x`,
        met: median <= MEDIAN_TARGET,
      });
    }
    const largest = specs.sort(([a], [b]) => (sizes.get(b) ?? 0) - (sizes.get(a) ?? 0)).slice(0, 3);
    for (const [name, spec] of largest) {
      const hey = () => timeProcess([HEY_API, "-i", spec, "-o", join(dir, "hey", basename(spec))], dir);
      // hey-api cannot generate every spec here (it fetches `$ref`s inside GitHub's example data).
      const failure = await hey().then(
        () => undefined,
        (error: Error) => /\n\s*message: '([^'\n]*)/.exec(error.message)?.[1] ?? error.message.split("\n")[0],
      );
      if (failure !== undefined) {
        rows.push({
          group: "corpus",
          name: `generate: ${name}`,
          unit: "ms",
          ours: summarize([await timeProcess([...OURS, "--no-cache", "--spec", spec, "--out", join(dir, "out")])]),
          note: `hey-api openapi-ts 0.95 fails: ${failure.replaceAll("\\n", " ").trim().slice(0, 120)}`,
        });
        continue;
      }
      const results = await interleaved(Math.max(1, Math.ceil(rounds / 2)), {
        ours: () => timeProcess([...OURS, "--no-cache", "--spec", spec, "--out", join(dir, "out")]),
        hey,
      });
      rows.push(ratioRow("corpus", `generate: ${name}`, "ms", results.ours, "hey-api openapi-ts 0.95", results.hey));
    }
    return rows;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
