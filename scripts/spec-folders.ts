import { existsSync, type FSWatcher, watch } from "node:fs";
import { basename, dirname, resolve } from "node:path";

/** A name saved in a folder of the spec that may be one of its files. */
const SPEC_FILE = /\.(ya?ml|json)$/i;

/** A watched folder: whether it holds a file of the spec, and the names awaited in it. */
interface Watched {
  watcher: FSWatcher;
  /** Whether a file of the spec is in it, so a YAML or JSON file saved there may be one. */
  spec: boolean;
  /** Names whose appearance a failed run waits for: a missing file, or the missing folder on its way. */
  awaited: Set<string>;
}

/**
 * The folders `--watch` watches. Those of the spec's files, each alone: not their subfolders,
 * which may hold the output folder or `node_modules` (Node's recursive watch on Linux walks all
 * of that at every new folder, with a watcher per file, and fails when a folder goes before its
 * walk reaches it, as the output's staging folder does on every save). And, while the spec needs
 * a file or folder that is not there (a `$ref` written before its file, a folder removed), the
 * nearest folder above it that exists, for that name. `changed` hears of every save that may
 * change the spec; `failed` of a folder that can no longer be watched.
 */
export class SpecFolders {
  readonly #watched = new Map<string, Watched>();
  readonly #specName: string;
  readonly #changed: () => void;
  readonly #failed: (error: unknown, folder: string) => void;
  #closed = false;

  constructor(spec: string, changed: () => void, failed: (error: unknown, folder: string) => void) {
    this.#specName = basename(spec);
    this.#changed = changed;
    this.#failed = failed;
    this.follow([spec]);
  }

  /** Watches the folders of `files` (the spec's, as a good run read them), and no others. */
  follow(files: string[]): void {
    const folders = new Set(files.map((file) => dirname(resolve(file))));
    for (const folder of [...this.#watched.keys()]) if (!folders.has(folder)) this.#unwatch(folder);
    for (const folder of folders) {
      const watched = this.#watched.get(folder) ?? this.#watch(folder);
      if (!watched) continue;
      watched.spec = true;
      watched.awaited.clear();
    }
  }

  /** Waits for `path` (a file or folder the spec needs) to appear, from the nearest folder above it that exists. */
  waitFor(path: string): void {
    let folder = dirname(resolve(path));
    let next = basename(resolve(path));
    while (!existsSync(folder)) {
      const parent = dirname(folder);
      if (parent === folder) return;
      next = basename(folder);
      folder = parent;
    }
    (this.#watched.get(folder) ?? this.#watch(folder))?.awaited.add(next);
    // There already (made between the run that missed it and now): no event will come for it.
    if (existsSync(resolve(folder, next))) this.#changed();
  }

  close(): void {
    this.#closed = true;
    for (const folder of [...this.#watched.keys()]) this.#unwatch(folder);
  }

  #watch(folder: string): Watched | undefined {
    if (this.#closed) return undefined;
    try {
      const watcher = watch(folder, (_event, name) => this.#onEvent(folder, name));
      watcher.on("error", (error) => {
        this.#unwatch(folder);
        this.#failed(error, folder);
      });
      const watched: Watched = { watcher, spec: false, awaited: new Set() };
      this.#watched.set(folder, watched);
      return watched;
    } catch (error) {
      // Too many watches (the system's inotify limit, say), or gone already.
      this.#failed(error, folder);
      return undefined;
    }
  }

  #unwatch(folder: string): void {
    this.#watched.get(folder)?.watcher.close();
    this.#watched.delete(folder);
  }

  #onEvent(folder: string, name: string | null): void {
    const watched = this.#watched.get(folder);
    if (this.#closed || !watched) return;
    // The folder itself was removed or renamed (Linux names it, and sends nothing more for it):
    // watch the one there now, made again perhaps before this event came, or wait for one.
    if (name === basename(folder)) {
      this.#unwatch(folder);
      const again = existsSync(folder) ? this.#watch(folder) : undefined;
      if (again) {
        again.spec = watched.spec;
        for (const awaited of watched.awaited) again.awaited.add(awaited);
      } else {
        this.waitFor(folder);
      }
      this.#changed();
      return;
    }
    const spec = watched.spec && (name === null || name === this.#specName || SPEC_FILE.test(name));
    if (spec || (name !== null && watched.awaited.has(name))) this.#changed();
  }
}
