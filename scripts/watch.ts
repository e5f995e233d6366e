import { basename } from "node:path";
import { type GenerateOptions, GeneratorWorkers, generateThenStore } from "./generate.js";
import { SpecFolders } from "./spec-folders.js";
import { GenerateError } from "./spec-reader/generate-error.js";
import { loadSpec } from "./spec-reader/load-spec.js";
import { GENERATOR_PEERS, requirePeers } from "./spec-reader/peers.js";
import { compareOutput, type OutputSnapshot, snapshotOutput, writeGenerated } from "./write-output.js";

export interface WatchHandle {
  /** Resolves once every folder of the spec's files is watched (a spec in several files is read for them first). */
  ready: Promise<void>;
  /**
   * Stops watching at once; resolves when the save in progress, if any, has written its output
   * and its cache entry, and the workers have been stopped.
   */
  close(): Promise<void>;
}

/**
 * Regenerates whenever the spec file, or another YAML or JSON file in a folder one of the
 * spec's files is in (a spec may span several), is saved; see SpecFolders for what is watched,
 * and why folders rather than files (editors often save by writing a new file and renaming it
 * over the old one) and not their subfolders. The folders follow the spec: read once at the
 * start, then at every good save; a save that fails for a missing file is run again when it
 * appears. A broken save is reported and the last good output stays in place until the next
 * good save.
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
  let closed = false;
  /** The output as the last good save left it, so the next one need not read it back (see compareOutput). */
  let written: OutputSnapshot | undefined;

  const run = async () => {
    if (closed) return;
    const started = performance.now();
    // The cache's writes finish after the report, before the next save's run starts.
    let stored: Promise<void> | undefined;
    try {
      const generated = await generateThenStore(options, workers);
      stored = generated.stored;
      const files = generated.files;
      const { stale, hashOnly } = await compareOutput(options.out, files, written);
      const unchanged = stale.length === 0 && hashOnly.length === 0;
      if (!unchanged) await writeGenerated(options.out, files);
      written = await snapshotOutput(options.out, files);
      // Before the report: whoever reads it may save a file in a folder the spec has just reached.
      folders.follow(generated.specFiles);
      // Every banner records the spec's hash; name only the files whose code changed.
      const changed = stale.length > 0 ? stale.join(", ") : "no code (banners only)";
      report(
        unchanged
          ? `${specName} saved: output unchanged (${elapsed(started)})`
          : `${specName} saved: regenerated ${changed} in ${elapsed(started)}`,
      );
    } catch (error) {
      report(`${describeError(error)}\nkeeping the last good output; watching for the next save`);
      waitForMissing(error);
    } finally {
      await stored;
    }
  };

  // Editors fire several events per save; coalesce them, and never overlap runs.
  const changed = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      running = running.then(run);
    }, 50);
  };
  const folders = new SpecFolders(options.spec, changed, (error, folder) =>
    report(`${describeError(error)}\nno longer watching ${folder}; it is watched again from the next good save`),
  );
  /** A run that failed for a file that is not there runs again when it is. */
  const waitForMissing = (error: unknown) => {
    if (error instanceof GenerateError && error.missing !== undefined) folders.waitFor(error.missing);
  };

  // A spec in several files: the other files' folders too, once it has been read. Runs wait for it.
  const ready = loadSpec(options.spec).then((spec) => folders.follow(spec.files), waitForMissing);
  let running: Promise<void> = ready;

  return {
    ready,
    close() {
      closed = true;
      clearTimeout(timer);
      folders.close();
      // `run` reports its failures and never rejects.
      return running.then(() => workers.stop());
    },
  };
}

function elapsed(started: number): string {
  return `${Math.round(performance.now() - started)} ms`;
}
