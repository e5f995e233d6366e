import { execFileSync } from "node:child_process";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { ROOT } from "./process.js";
import type { Row } from "./stats.js";

async function minified(entry: string, platform: "browser" | "node"): Promise<Buffer> {
  const result = await build({
    entryPoints: [`${ROOT}/${entry}`],
    bundle: true,
    minify: true,
    format: "esm",
    platform,
    target: "es2022",
    write: false,
    logLevel: "silent",
  });
  return Buffer.from(result.outputFiles[0]?.contents ?? []);
}

const one = (n: number) => ({ median: n, min: n, max: n, runs: 1 });

/** Bundle sizes as an app's bundler would ship them, and the package as npm would install it. */
export async function sizes(): Promise<Row[]> {
  const browser = gzipSync(await minified("src/browser/index.ts", "browser")).length;
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
      name: "browser entry, min+gzip",
      unit: "B",
      ours: one(browser),
      target: "<= 1536 B",
      met: browser <= 1536,
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
