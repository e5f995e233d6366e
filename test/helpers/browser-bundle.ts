import { build } from "esbuild";
import { ROOT } from "./cli.js";

/**
 * The browser entry bundled the way an app's bundler would: every import
 * followed, nothing external. Tests load it in Chromium and inspect its text.
 */
export async function bundleBrowserEntry(options: { minify?: boolean } = {}): Promise<string> {
  const result = await build({
    entryPoints: [`${ROOT}/src/browser/index.ts`],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: options.minify ?? false,
    write: false,
    logLevel: "silent",
  });
  return result.outputFiles[0]?.text ?? "";
}
