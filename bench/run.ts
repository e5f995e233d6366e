import { writeFile } from "node:fs/promises";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { buildDist, isStale } from "../scripts/repo/build.mjs";
import { cacheFanIn, clientOverhead } from "./client.js";
import { codegen } from "./codegen.js";
import { codegenCorpus } from "./codegen-corpus.js";
import { handlerThroughput } from "./handler.js";
import { mockStartAndThroughput } from "./mock.js";
import { ROOT } from "./process.js";
import { redisStore } from "./redis.js";
import { sizes } from "./size.js";
import { formatSample, type Row } from "./stats.js";
import { validationScaling } from "./validation.js";

const GROUPS: Record<string, (rounds: number) => Promise<Row[]>> = {
  size: () => sizes(),
  cache: () => cacheFanIn(),
  client: clientOverhead,
  codegen,
  corpus: codegenCorpus,
  handler: handlerThroughput,
  mock: mockStartAndThroughput,
  redis: redisStore,
  validation: validationScaling,
};

const { values } = parseArgs({
  options: { only: { type: "string" }, rounds: { type: "string", default: "5" } },
});
const rounds = Number(values.rounds);
const chosen = values.only ? values.only.split(",") : Object.keys(GROUPS);

// The npm scripts run compiled code; measure what users run.
if (await isStale()) await buildDist();
const rows: Row[] = [];
for (const group of chosen) {
  const run = GROUPS[group];
  if (!run) throw new Error(`unknown group ${group}; pick from ${Object.keys(GROUPS).join(", ")}`);
  process.stderr.write(`measuring ${group}...\n`);
  rows.push(...(await run(rounds)));
}

const machine = `${cpus().length} x ${cpus()[0]?.model ?? "cpu"}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}`;
const table = [
  "| group | figure | ours | baseline | ratio | target | met |",
  "| --- | --- | --- | --- | --- | --- | --- |",
  ...rows
    .map((r) =>
      [
        r.group,
        r.name + (r.note ? ` (${r.note})` : ""),
        formatSample(r.ours, r.unit),
        r.baseline ? `${r.baseline.name}: ${formatSample(r.baseline.sample, r.unit)}` : "",
        r.ratio === undefined ? "" : `${r.ratio.toFixed(2)}x`,
        r.target ?? "",
        r.met === undefined ? "" : r.met ? "yes" : "**no**",
      ].join(" | "),
    )
    .map((line) => `| ${line} |`),
].join("\n");
process.stdout.write(`\n${machine}\n\n${table}\n`);
await writeFile(
  join(ROOT, "bench/results.json"),
  `${JSON.stringify({ date: new Date().toISOString(), machine, rounds, rows }, null, 2)}\n`,
);
if (!values.only) {
  await writeFile(join(ROOT, "bench/BENCHMARKS.md"), benchmarksPage(machine, table));
  process.stdout.write("\nwrote bench/results.json and bench/BENCHMARKS.md\n");
} else {
  process.stdout.write("\nwrote bench/results.json (a partial run leaves BENCHMARKS.md alone)\n");
}

function benchmarksPage(machine: string, table: string): string {
  return `# Benchmarks

Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}; \`bench/results.json\` has the raw figures.
Every ratio compares two things timed in the same run, interleaved round by round so
drift on a shared machine hits both alike. Figures are medians, with the range and
the number of runs.

Machine: ${machine}.

${table}

## How each figure is measured

- **codegen**: wall clock of a whole process, spawn to exit. Ours is \`npm run generate\`'s
  program (\`node scripts/repo/run.mjs src/cli/npm-generate.ts\`, compiled, \`dist/\` already fresh); the
  baseline is the openapi-typescript CLI on the same spec, run from an empty folder so
  no Redocly config applies. Synthetic specs (\`bench/synthetic-spec.ts\`) have N
  operations, each with a path parameter, a \`oneOf\` body of two closed objects and two
  responses. The watch figure is the time from writing the spec to the regenerated
  output, read from the watcher's own report.
- **corpus**: the same whole-process comparison on each of the 17 public specs in
  \`../shared/specs/corpus/\` (sizes as decompressed), and the median of the per-spec
  ratios, which is the target. Small specs generate about as fast as the bare CLI or
  faster: ours loads the TypeScript compiler as CommonJS (an ESM import has Node scan its
  9 MB for export names first) while its two workers load ts-morph and Ajv on the other
  core. Large specs are over 1.3x, and a CPU profile of each thread says why: on the main
  thread, openapi-typescript's own work (Redocly's lint and bundle, the compiler) is the
  bare CLI's, plus reading the spec; the Ajv worker compiles every schema (0.51 s on
  OpenAI's spec, 0.70 s on Stripe's, 1.18 s at 1,000 operations, each alone on a core)
  and the ts-morph worker loads ts-morph with its own copy of the compiler (0.17 s) and
  prints the modules (0.19 s on OpenAI's, 0.62 s at 1,000 operations; it used to parse
  what it printed, which took as long again). Three threads share two cores, so the wall
  clock follows their total CPU time: about 1.5 to 2 times the bare CLI's. hey-api's
  openapi-ts (0.95, the last to run on Node 20) runs on the three largest specs with its
  default plugins; it cannot generate GitHub's, whose example data it fetches as
  references.
- **client**: microseconds per call against one in-process \`node:http\` server that
  answers a fixed 201, after a warm-up. Sequential is one call at a time; concurrent
  keeps 32 in flight. Contenders: a hand-written \`fetch\` of the same body, bare
  openapi-fetch \`client.POST\`, the generated \`authTokensCreate\` over
  \`createDevRevClient\`, and \`createSessionToken\` (which also validates the input and
  decodes the token's expiry).
- **mock**: cold start is spawn to the first token from \`POST /auth-tokens.create\` (201
  from ours; the Prism CLI answers the lowest documented 2xx, 200), polling every 5 ms.
  Ours is \`npm run mock\`'s program (Prism in-process, silent); the baseline is the Prism
  CLI (\`prism mock\`, default logging). Throughput: 32 keep-alive connections for 3 s per
  round against each server in its own process, driven by wrk (Debian's \`wrk\`, when
  installed; else a \`node:http\` loop); the floor is a bare \`node:http\` server giving a
  fixed 201.
- **handler**: the production hot path. \`createSessionTokenHandler\` behind
  \`toNodeHandler\`, from \`dist/\`, answering every request from its token cache, against
  a bare \`node:http\` server answering a fixed token; each in its own process, loaded as
  the mock is, with bodiless POSTs as a page's \`fetchSessionToken\` sends. A CPU profile of
  the handler's process puts the rest in the Web \`Request\`/\`Response\` objects the adapter
  builds for a Web-standard handler (undici's headers, an AbortSignal per request, the
  response body read through a stream) and the extra \`writev\` of headers and body; the
  handler's own work (identity key, cache lookup, JSON) is under 5% of samples.
- **size**: the entry bundled and minified by esbuild as an app's bundler would, then
  gzipped; the package figures are \`npm pack --dry-run\`. The browser entry's target row is
  every export of \`devrev-plug-session/browser\`; a page that imports \`initPlug\` alone ships
  nearly as much, because \`initPlug\` uses the rest (\`loadPlugSdk\`, \`fetchSessionToken\`,
  \`PlugError\`, \`BROWSER_DEFAULTS\`). Its 1.5 KB target is out of reach without dropping
  behaviour issue 24 asks for. Leaving one part at a time out of a copy of the entry (2,373 B on 2026-12-03)
  prices them: the error messages about 290 B, refreshing before expiry (the timer, waiting
  for the widget to close, the backoff) about 200 B, the SDK URL's guards (\`https:\` only, no
  user-info, Trusted Types, nonce) about 190 B, refusing a second \`initPlug\` with other
  options (and a \`BigInt\` option) about 90 B, refusing a \`user_ref\` both verified and not
  about 80 B, dead handles about 60 B, the session endpoint's timeout about 35 B. The other
  1,440 B or so load the script once, fetch the token, init and wait for ready, switch user
  with the recording session kept, log out, deliver events, run every step in turn, and hold
  \`PlugError\` and \`BROWSER_DEFAULTS\`, whose option names and default URLs are public and
  cannot be minified. 1,536 B would take dropping nearly all of the priced parts, or messages
  reduced to bare codes.
- **cache**: upstream calls made by \`createTokenCache\` for 1000 concurrent requests.
- **redis**: the token cache on Debian's \`redis-server\` (node-redis), from \`dist/\`. Throughput as
  in **handler**, with every request served from Redis (\`maxEntries: 0\` keeps nothing in
  memory, as on a cold serverless instance: a GET, the unseal, the identity's HMAC) against
  the in-memory hit; requests cycle through 1000 users minted before the server listens, so
  concurrent requests never share one lookup. Fan-in: four handler processes on one Redis, 1000 concurrent requests
  for one user spread over them, counted at a stand-in DevRev that takes 100 ms per token;
  the baseline is the same fleet without a store.
- **validation**: milliseconds for the generated request validator to answer a body with
  40,000 bad \`account_traits.domains\` against one with 4,000, in process, after one
  untimed run of each. Linear work gives about 10x; Ajv's own standalone code, which copied
  every earlier error per bad item, gave about 300x (30 s for the 40,000).
`;
}
