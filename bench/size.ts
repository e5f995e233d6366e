import { execFileSync } from "node:child_process";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { ROOT } from "./process.js";
import type { Row } from "./stats.js";

/** `entry` (a file, or `{ contents }` of a module importing from one) bundled and minified as an app's bundler would. */
async function minified(
  entry: string | { contents: string },
  platform: "browser" | "node",
  external: string[] = [],
): Promise<Buffer> {
  const result = await build({
    ...(typeof entry === "string"
      ? { entryPoints: [`${ROOT}/${entry}`] }
      : { stdin: { contents: entry.contents, resolveDir: ROOT, loader: "ts" as const } }),
    bundle: true,
    minify: true,
    format: "esm",
    platform,
    target: "es2022",
    external,
    write: false,
    logLevel: "silent",
  });
  return Buffer.from(result.outputFiles[0]?.contents ?? []);
}

const one = (n: number) => ({ median: n, min: n, max: n, runs: 1 });

/** Bundle sizes as an app's bundler would ship them, and the package as npm would install it. */
export async function sizes(): Promise<Row[]> {
  const browser = gzipSync(await minified("src/browser/index.ts", "browser")).length;
  // What a page that calls only initPlug ships: the rest of the entry is what initPlug uses, so
  // tree-shaking leaves almost all of it.
  const initPlugAlone = gzipSync(
    await minified({ contents: 'export { initPlug } from "./src/browser/index.ts";' }, "browser"),
  ).length;
  // The React entry includes the browser entry; React itself is the app's.
  const react = gzipSync(await minified("src/react/index.ts", "browser", ["react"])).length - browser;
  const server = gzipSync(await minified("src/server/index.ts", "node")).length;
  const [pack] = JSON.parse(
    execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
      cwd: ROOT,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }),
  ) as {
    size: number;
    unpackedSize: number;
    entryCount: number;
  }[];
  return [
    {
      group: "size",
      name: "browser entry, every export, min+gzip",
      unit: "B",
      ours: one(browser),
      target: "<= 1536 B",
      met: browser <= 1536,
    },
    { group: "size", name: "browser entry, initPlug alone, min+gzip", unit: "B", ours: one(initPlugAlone) },
    {
      group: "size",
      name: "react entry on top of the browser entry (React excluded), min+gzip",
      unit: "B",
      ours: one(react),
      target: "<= 1024 B",
      met: react <= 1024,
    },
    { group: "size", name: "server entry (openapi-fetch included), min+gzip", unit: "B", ours: one(server) },
    {
      group: "size",
      name: "package tarball",
      unit: "B",
      ours: one(pack?.size ?? 0),
      note: `${pack?.entryCount} files`,
    },
    {
      group: "size",
      name: "package installed (unpacked, without dependencies)",
      unit: "B",
      ours: one(pack?.unpackedSize ?? 0),
    },
  ];
}
