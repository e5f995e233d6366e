import { watch as watchFs } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { type GenerateOptions, GeneratorWorkers, generateThenStore } from "./generate.js";
import { GENERATOR_PEERS, requirePeers } from "./spec-reader/peers.js";
import { compareOutput, writeGenerated } from "./write-output.js";

export interface WatchHandle {
  /**
   * Stops watching at once; resolves when the save in progress, if any, has written its output
   * and its cache entry, and the workers have been stopped.
   */
  close(): Promise<void>;
}

/**
 * Regenerates whenever the spec file, or another YAML or JSON file in its
 * folder (a spec may span several), is saved. It watches the folder, not the
 * file, because editors often save by writing a new file and renaming it over
 * the old one. A broken save is reported and the last good output
 * stays in place until the next good save.
 */
export function watchSpec(
  options: GenerateOptions,
  report: (line: string) => void,
  describeError: (error: unknown) => string,
  /**
   * The workers every save runs in, stopped on `close`: the ones the first generation ran in,
   * so that the first save finds their libraries loaded and every unchanged schema's Ajv code
   * compiled already (a fresh pair makes the first save a cold run).
   */
  workers: GeneratorWorkers = new GeneratorWorkers(),
): WatchHandle {
  requirePeers("the generator", GENERATOR_PEERS);
  const specName = basename(options.spec);
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const run = async () => {
    const started = performance.now();
    // The cache's writes finish after the report, before the next save's run starts.
    let stored: Promise<void> | undefined;
    try {
      const generated = await generateThenStore(options, workers);
      stored = generated.stored;
      const files = generated.files;
      const { stale, hashOnly } = await compareOutput(options.out, files);
      if (stale.length === 0 && hashOnly.length === 0) {
        report(`${specName} saved: output unchanged (${elapsed(started)})`);
        return;
      }
      await writeGenerated(options.out, files);
      // Every banner records the spec's hash; name only the files whose code changed.
      const changed = stale.length > 0 ? stale.join(", ") : "no code (banners only)";
      report(`${specName} saved: regenerated ${changed} in ${elapsed(started)}`);
    } catch (error) {
      report(`${describeError(error)}\nkeeping the last good output; watching for the next save`);
    } finally {
      await stored;
    }
  };

  // Recursive: a spec in several files changes when any of them is saved.
  const watcher = watchFs(dirname(resolve(options.spec)), { recursive: true }, (_event, name) => {
    if (name !== null && name !== specName && !/\.(ya?ml|json)$/i.test(name)) return;
    // Editors fire several events per save; coalesce them, and never overlap runs.
    clearTimeout(timer);
    timer = setTimeout(() => {
      running = running.then(run);
    }, 50);
  });

  return {
    close() {
      clearTimeout(timer);
      watcher.close();
      // `run` reports its failures and never rejects.
      return running.then(() => workers.stop());
    },
  };
}

function elapsed(started: number): string {
  return `${Math.round(performance.now() - started)} ms`;
}
