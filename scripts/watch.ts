import { type FSWatcher, watch as watchFs } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { type GenerateOptions, GeneratorWorkers, generateThenStore } from "./generate.js";
import { loadSpec } from "./spec-reader/load-spec.js";
import { GENERATOR_PEERS, requirePeers } from "./spec-reader/peers.js";
import { compareOutput, writeGenerated } from "./write-output.js";

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
 * spec's files is in (a spec may span several), is saved. It watches those folders, each
 * alone, not the file, because editors often save by writing a new file and renaming it over
 * the old one; and not their subfolders, which may hold the output folder or `node_modules`:
 * Node's recursive watch on Linux walks all of that on every new folder (one watcher per file),
 * and fails when a folder goes before its walk reaches it, as the output's staging folder does
 * on every save. The folders follow the spec: read once at the start, then at every good save.
 * A broken save is reported and the last good output stays in place until the next good save.
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
  let closed = false;
  const watchers = new Map<string, FSWatcher>();

  const run = async () => {
    const started = performance.now();
    // The cache's writes finish after the report, before the next save's run starts.
    let stored: Promise<void> | undefined;
    try {
      const generated = await generateThenStore(options, workers);
      stored = generated.stored;
      follow(generated.specFiles);
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

  const onEvent = (name: string | null) => {
    if (name !== null && name !== specName && !/\.(ya?ml|json)$/i.test(name)) return;
    // Editors fire several events per save; coalesce them, and never overlap runs.
    clearTimeout(timer);
    timer = setTimeout(() => {
      running = running.then(run);
    }, 50);
  };

  /** Watches the folders of `files` (the spec's), and no others. */
  const follow = (files: string[]) => {
    if (closed) return;
    const folders = new Set(files.map((file) => dirname(resolve(file))));
    for (const [folder, watcher] of watchers) {
      if (folders.has(folder)) continue;
      watcher.close();
      watchers.delete(folder);
    }
    for (const folder of folders) {
      if (watchers.has(folder)) continue;
      const watcher = watchFs(folder, (_event, name) => onEvent(name));
      // A folder removed or unreadable: said, and watched again from the next good save that reads it.
      watcher.on("error", (error) => {
        watcher.close();
        watchers.delete(folder);
        report(`${describeError(error)}\nno longer watching ${folder}`);
      });
      watchers.set(folder, watcher);
    }
  };

  follow([options.spec]);
  // A spec in several files: the other files' folders too, once it has been read (a broken spec: its own folder).
  const ready = loadSpec(options.spec).then(
    (spec) => follow(spec.files),
    () => {},
  );

  return {
    ready,
    close() {
      closed = true;
      clearTimeout(timer);
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
      // `run` reports its failures and never rejects.
      return running.then(() => workers.stop());
    },
  };
}

function elapsed(started: number): string {
  return `${Math.round(performance.now() - started)} ms`;
}
