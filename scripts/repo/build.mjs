// Compiles the TypeScript sources into dist/, mirroring the source tree, and
// copies the files modules read at run time (the spec, the fake SDK, the
// demo page), so `new URL("../spec/...", import.meta.url)` resolves the same
// from source and from dist. Plain JavaScript: it must run before anything is
// compiled.
import { execFileSync } from "node:child_process";
import { cp, mkdir, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const DIST = join(ROOT, "dist");
const STAMP = join(DIST, ".built");
const SOURCE_DIRS = ["scripts", "src", "mock", "generated", "examples/demo"];
const ASSETS = [
  "spec/auth-tokens.openapi.yaml",
  "spec/CONFORMANCE.md",
  // The generator copies the runtimes' sources into each output folder.
  "scripts/runtime/validation.ts",
  "scripts/runtime/operation.ts",
  "mock/static/plug.js",
  "examples/demo/page.html",
];

async function filesIn(dir, keep) {
  const found = [];
  for (const entry of await readdir(join(ROOT, dir), { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await filesIn(path, keep)));
    else if (keep(path)) found.push(path);
  }
  return found;
}

/** Every file the build reads: TypeScript to compile, and JavaScript or declarations to copy as they are. */
const sources = () =>
  Promise.all(SOURCE_DIRS.map((dir) => filesIn(dir, (p) => /\.(ts|mjs|js)$/.test(p)))).then((l) => l.flat());

/** Generated code that is JavaScript already (Ajv's), with its declarations. */
const isCopied = (p) => p.startsWith("generated") && (p.endsWith(".js") || p.endsWith(".d.ts"));

/** True when dist/ is missing or older than any source or asset. */
export async function isStale() {
  const built = await stat(STAMP).then(
    (s) => s.mtimeMs,
    () => 0,
  );
  for (const file of [...(await sources()), ...ASSETS, "package.json"]) {
    if ((await stat(join(ROOT, file))).mtimeMs > built) return true;
  }
  return false;
}

/**
 * Transpiles every source file (no bundling: imports stay as written) and
 * copies the assets, into a temp folder that then replaces dist/.
 * With `declarations`, tsc also writes .d.ts files and maps.
 */
export async function buildDist({ declarations = false } = {}) {
  const staging = `${DIST}.tmp-${process.pid}`;
  try {
    await compileInto(staging, declarations);
    const old = `${DIST}.old-${process.pid}`;
    await rename(DIST, old).catch((error) => {
      if (error.code !== "ENOENT") throw error;
    });
    await rename(staging, DIST);
    await rm(old, { recursive: true, force: true });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return relative(ROOT, DIST);
}

async function compileInto(staging, declarations) {
  const files = await sources();
  const entryPoints = files.filter((p) => p.endsWith(".ts") && !isCopied(p)).map((p) => join(ROOT, p));
  await build({
    entryPoints,
    outdir: staging,
    outbase: ROOT,
    format: "esm",
    platform: "node",
    target: "node20",
    // No source maps: they would point at TypeScript sources the package does not ship,
    // and the output is unminified, commented ESM that reads well in a stack trace.
    logLevel: "error",
  });
  for (const asset of [...ASSETS, ...files.filter(isCopied)]) {
    await mkdir(dirname(join(staging, asset)), { recursive: true });
    await cp(join(ROOT, asset), join(staging, asset));
  }
  if (declarations) {
    const tsc = join(ROOT, "node_modules/typescript/bin/tsc");
    execFileSync(process.execPath, [tsc, "-p", join(ROOT, "tsconfig.build.json"), "--outDir", staging], {
      stdio: "inherit",
    });
  }
  await writeFile(join(staging, ".built"), `${new Date().toISOString()}\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  const out = await buildDist({ declarations: true });
  process.stdout.write(`built ${out}/ in ${Math.round(performance.now() - started)} ms\n`);
}
