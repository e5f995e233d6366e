// `node scripts/repo/run.mjs <entry.ts> [args]`: runs a TypeScript entry point from
// its compiled twin in dist/, transpiling first if any source is newer. The
// npm scripts start this way because a cold TypeScript loader costs more than
// the whole generator's own work.
import { fileURLToPath } from "node:url";
import { buildDist, isStale } from "./build.mjs";

const [entry, ...args] = process.argv.slice(2);
if (!entry?.endsWith(".ts")) {
  process.stderr.write("usage: node scripts/repo/run.mjs <entry.ts> [args]\n");
  process.exit(2);
}
if (await isStale()) await buildDist();
const compiled = new URL(`../../dist/${entry.replace(/\.ts$/, ".js")}`, import.meta.url);
process.argv = [process.argv[0], fileURLToPath(compiled), ...args];
await import(compiled.href);
