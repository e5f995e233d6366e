import { createHash, randomBytes } from "node:crypto";
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { lstat, mkdir, readdir, readFile, realpath, rename, rm, stat, utimes, writeFile } from "node:fs/promises";
import { tmpdir, userInfo } from "node:os";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Entries kept: each is one spec's output, up to tens of megabytes for the largest public
 * specs, so a long `--watch` session keeps a bounded folder. The least recently used go first.
 */
export const MAX_CACHE_ENTRIES = 16;

/**
 * Age past which a temp file in the cache is a dead run's (killed between writing an entry
 * and renaming it into place) and is removed. By age, not by whether its writer's process
 * is alive: a cache folder can be shared by containers or machines whose process ids this
 * one cannot see, and ids are reused. A live write touches its file as it goes and takes
 * seconds even for the largest specs, so ten minutes never removes one in progress.
 * @unit ms
 */
export const STALE_TEMP_MS = 10 * 60_000;

/**
 * The libraries whose code or output ends up in the generated files: a new version of one
 * of them, or of any package they depend on (ts-morph's code-block-writer prints its text,
 * Ajv's fast-uri shapes its URIs), is a new cache.
 */
const OUTPUT_LIBRARIES = ["openapi-typescript", "typescript", "ts-morph", "ajv", "ajv-formats"];

/**
 * The generator's passes' output (openapi-typescript's `schema.ts`, the ts-morph modules,
 * Ajv's compiled validators), on disk, by a hash of what determines it: the parsed document
 * (as the bytes the workers receive), the generator's own code, the versions of the
 * libraries above and of V8. A re-run on an unchanged spec (`--check` in CI, a second
 * `generate`, a `--watch` save that an editor wrote twice) reads the files instead of
 * compiling every schema again; anything else is a miss, so an entry can never stand for
 * a spec or a generator it was not made from. Only successful runs are stored.
 */
export class PassCache {
  readonly #dir: string;
  readonly #salt: string;
  /** The last time given to an entry, in ms: each later one gets a later time, so use orders them even within a clock tick. */
  #lastUse = 0;

  private constructor(dir: string, salt: string) {
    this.#dir = dir;
    this.#salt = salt;
  }

  /**
   * The cache in `dir` (created if absent), or undefined when `dir` cannot be used safely: a
   * folder in the OS temp directory must be this user's own, unreadable to others, since its
   * entries become code in the output.
   */
  static async open(dir: string): Promise<PassCache | undefined> {
    try {
      // Only the cache's own folder is private; its parent (`node_modules/.cache`) is every tool's.
      await mkdir(dirname(dir), { recursive: true });
      await mkdir(dir, { mode: 0o700 }).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== "EEXIST") throw error;
      });
      if (!(await isPrivateFolder(dir))) return undefined;
      return new PassCache(dir, await generatorFingerprint());
    } catch {
      return undefined;
    }
  }

  /** The key of a document: its bytes (`v8.serialize`) with the generator's fingerprint. */
  key(documentBytes: Uint8Array): string {
    return createHash("sha256").update(this.#salt).update("\0").update(documentBytes).digest("hex");
  }

  /** The files stored under `key`, or undefined (absent, or unreadable: a miss, never an error). */
  async get(key: string): Promise<[string, string][] | undefined> {
    const file = join(this.#dir, `${key}${ENTRY_EXTENSION}`);
    try {
      const files = decodeTexts(await readFile(file));
      if (!files) return undefined;
      // Marks it recently used, for the pruning below.
      await this.#markUsed(file).catch(() => {});
      return files;
    } catch {
      return undefined;
    }
  }

  /**
   * Stores `files` under `key`: written beside and renamed into place, so a reader (another
   * process on the same spec) sees a whole entry or none. Then the oldest entries past
   * MAX_CACHE_ENTRIES are removed. A failure to write only costs the next run a miss.
   */
  async set(key: string, files: [string, string][]): Promise<void> {
    const file = `${key}${ENTRY_EXTENSION}`;
    if (!(await this.#write(file, files))) return;
    await this.#markUsed(join(this.#dir, file)).catch(() => {});
    await this.#prune().catch(() => {});
  }

  /**
   * The Ajv pass's compiled blocks (see KeptBlocks) that the last run of this generator stored,
   * and the generator's fingerprint, or undefined (none, or unreadable: a miss, never an error).
   * A run on an edited spec, in a new process, compiles only the schemas that changed.
   */
  async getBlocks(): Promise<{ generator: string; entries: [string, string][] } | undefined> {
    try {
      const entries = decodeTexts(await readFile(join(this.#dir, this.#blocksFile())));
      return entries && { generator: this.#salt, entries };
    } catch {
      return undefined;
    }
  }

  /**
   * Stores the Ajv pass's blocks for the next process, in place of those stored before (one
   * set, the last run's: a block is kept by its schema's content, so another spec's set only
   * costs misses). Written beside and renamed into place; sets of other generators are removed.
   */
  async setBlocks(entries: [string, string][]): Promise<void> {
    const name = this.#blocksFile();
    if (!(await this.#write(name, entries))) return;
    const others = (await readdir(this.#dir).catch(() => [])).filter((n) => BLOCKS_FILE.test(n) && n !== name);
    for (const other of others) await rm(join(this.#dir, other), { force: true }).catch(() => {});
  }

  /**
   * Writes `texts` as the file `name` (its first 64 characters a key), beside and renamed into
   * place, so a reader (another process on the same spec) sees a whole file or none; whether it
   * did. A failure to write only costs the next run a miss.
   */
  async #write(name: string, texts: [string, string][]): Promise<boolean> {
    // The name TEMP_FILE matches.
    const temp = join(this.#dir, `.${name.slice(0, 64)}.${process.pid}-${randomBytes(4).toString("hex")}.tmp`);
    try {
      await writeFile(temp, encodeTexts(texts), { mode: 0o600 });
      await rename(temp, join(this.#dir, name));
      return true;
    } catch {
      await rm(temp, { force: true }).catch(() => {});
      return false;
    }
  }

  /** The blocks' file name: by this generator's fingerprint, so another generator's set is never read. */
  #blocksFile(): string {
    return `${createHash("sha256").update(this.#salt).update("\0blocks").digest("hex")}.blocks`;
  }

  /** Sets the file's time to now, or just after the last time this cache set (file times can share a clock tick). */
  async #markUsed(file: string): Promise<void> {
    this.#lastUse = Math.max(Date.now(), this.#lastUse + 1);
    const used = new Date(this.#lastUse);
    await utimes(file, used, used);
  }

  /** Removes the least recently used entries past MAX_CACHE_ENTRIES, and dead runs' temp files. */
  async #prune(): Promise<void> {
    const names = await readdir(this.#dir);
    const now = Date.now();
    for (const name of names.filter((name) => TEMP_FILE.test(name))) {
      const file = join(this.#dir, name);
      const written = (await stat(file).catch(() => undefined))?.mtimeMs;
      if (written !== undefined && now - written > STALE_TEMP_MS) await rm(file, { force: true });
    }
    const entryNames = names.filter((name) => ENTRY_FILE.test(name));
    if (entryNames.length <= MAX_CACHE_ENTRIES) return;
    const entries = await Promise.all(
      entryNames.map(async (name) => ({
        name,
        used: (await stat(join(this.#dir, name)).catch(() => undefined))?.mtimeMs,
      })),
    );
    entries.sort((a, b) => (b.used ?? 0) - (a.used ?? 0));
    for (const { name } of entries.slice(MAX_CACHE_ENTRIES)) await rm(join(this.#dir, name), { force: true });
  }
}

/** An entry's file name: its key. */
const ENTRY_FILE = /^[0-9a-f]{64}\.files$/;
/** ENTRY_FILE's extension. */
const ENTRY_EXTENSION = ".files";
/** The Ajv pass's stored blocks. */
const BLOCKS_FILE = /^[0-9a-f]{64}\.blocks$/;
/** An entry being written: its key, the writer's process id and a random suffix. */
const TEMP_FILE = /^\.[0-9a-f]{64}\.\d+-[0-9a-f]{8}\.tmp$/;

/**
 * Where the cache lives by default: `node_modules/.cache/devrev-plug-session` in the nearest
 * folder at or above `cwd` that has a `node_modules` outside `out`, where build tools keep their
 * caches (ignored with `node_modules`, per project, gone with a clean install); else a folder of
 * this user's in the OS temp directory (a project without `node_modules`, such as a one-off
 * `npx`). Undefined, for no cache, when that too is inside `out` (an `out` of `/`). Never the
 * output folder or inside it, whose files the write replaces and `--check` compares: from a
 * `generate --out .` at a project root, the project's own `node_modules` is in `out`.
 */
export async function defaultCacheDir(cwd?: string): Promise<string>;
export async function defaultCacheDir(cwd: string | undefined, out: string): Promise<string | undefined>;
export async function defaultCacheDir(cwd: string = process.cwd(), out?: string): Promise<string | undefined> {
  const outFolder = out === undefined ? undefined : await realFolder(out);
  const outside = async (dir: string) => outFolder === undefined || !isInside(await realFolder(dir), outFolder);
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const modules = join(dir, "node_modules");
    if ((await stat(modules).catch(() => undefined))?.isDirectory() && (await outside(modules)))
      return join(modules, ".cache", "devrev-plug-session");
    if (dirname(dir) === dir) break;
  }
  const temp = join(tmpdir(), `devrev-plug-session-cache-${safeUserName()}`);
  return (await outside(temp)) ? temp : undefined;
}

/**
 * `path` with its links resolved, as the write follows `out`'s: its nearest existing folder's
 * real path, with the rest (not created yet) joined on.
 */
export async function realFolder(path: string): Promise<string> {
  const absolute = resolve(path);
  const real = await realpath(absolute).catch(() => undefined);
  if (real !== undefined) return real;
  const parent = dirname(absolute);
  return parent === absolute ? absolute : join(await realFolder(parent), basename(absolute));
}

/** Whether `path` is `folder` or inside it (both absolute). */
export function isInside(path: string, folder: string): boolean {
  const rest = relative(folder, path);
  return rest === "" || (!isAbsolute(rest) && rest !== ".." && !rest.startsWith(`..${sep}`));
}

function safeUserName(): string {
  try {
    return userInfo().username.replace(/[^\w.-]/g, "_") || String(process.getuid?.() ?? "user");
  } catch {
    return String(process.getuid?.() ?? "user");
  }
}

/** A real folder (not a link), owned by this user, that no one else may write or read (POSIX). */
async function isPrivateFolder(dir: string): Promise<boolean> {
  const info = await lstat(dir);
  if (!info.isDirectory()) return false;
  const uid = process.getuid?.();
  // Windows has no POSIX owner or mode; its temp folder is per user already.
  if (uid === undefined) return true;
  return info.uid === uid && (info.mode & 0o077) === 0;
}

let fingerprint: Promise<string> | undefined;

/**
 * A digest of the generator's code (every file in this folder and below: the passes,
 * the transforms, the runtime copied into the output) and of the versions of the libraries
 * that shape the output. Computed once per process.
 */
export function generatorFingerprint(): Promise<string> {
  fingerprint ??= (async () => {
    const hash = createHash("sha256");
    const root = dirname(fileURLToPath(import.meta.url));
    for (const file of await sourceFiles(root)) {
      hash
        .update(`${file.slice(root.length)}\0`)
        .update(await readFile(file))
        .update("\0");
    }
    for (const library of dependencyClosure(OUTPUT_LIBRARIES, root)) hash.update(`${library}\0`);
    hash.update(`v8@${process.versions.v8}`);
    return hash.digest("hex");
  })();
  return fingerprint;
}

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await sourceFiles(path)));
    else if (/\.(m?[jt]s)$/.test(entry.name)) files.push(path);
  }
  return files;
}

/**
 * `name@version` of each of `names` and of every package each depends on, all the way down
 * (dependencies, optional and peer), found as Node finds them from `from`: the nearest
 * `node_modules/NAME` at or above the dependent's own (real) folder. Sorted and without
 * repeats; a package that is not installed is `name@`. Reads one `package.json` per package.
 */
export function dependencyClosure(names: readonly string[], from: string): string[] {
  const found = new Set<string>();
  const visited = new Set<string>();
  const visit = (name: string, dir: string): void => {
    const folder = packageFolder(name, dir);
    if (folder === undefined) {
      found.add(`${name}@`);
      return;
    }
    if (visited.has(folder)) return;
    visited.add(folder);
    const manifest = readManifest(folder);
    found.add(`${name}@${manifest.version ?? ""}`);
    const dependencies = { ...manifest.peerDependencies, ...manifest.optionalDependencies, ...manifest.dependencies };
    for (const dependency of Object.keys(dependencies)) visit(dependency, folder);
  };
  for (const name of names) visit(name, resolve(from));
  return [...found].sort();
}

interface Manifest {
  version?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

function readManifest(folder: string): Manifest {
  try {
    const manifest = JSON.parse(readFileSync(join(folder, "package.json"), "utf8")) as unknown;
    return typeof manifest === "object" && manifest !== null ? (manifest as Manifest) : {};
  } catch {
    return {};
  }
}

/** The real folder of package `name` as `require` from `dir` finds it, or undefined. */
function packageFolder(name: string, dir: string): string | undefined {
  for (let at = dir; ; at = dirname(at)) {
    const folder = join(at, "node_modules", name);
    if (existsSync(join(folder, "package.json"))) return realpathSync(folder);
    if (dirname(at) === at) return undefined;
  }
}

/**
 * Named texts (an entry's files, the Ajv pass's blocks) as one file: a first line of JSON,
 * `[[name, byte length], …]`, then the texts back to back. Code has quotes and backslashes in
 * every line, which JSON would escape and unescape again (megabytes, for a large spec); read
 * this way, each text is a slice.
 */
function encodeTexts(entries: [string, string][]): Buffer {
  const texts = entries.map(([, block]) => Buffer.from(block));
  const index = entries.map(([key], i) => [key, texts[i]?.length ?? 0]);
  return Buffer.concat([Buffer.from(`${JSON.stringify(index)}\n`), ...texts]);
}

/** What encodeTexts wrote, or undefined for anything else. */
function decodeTexts(bytes: Buffer): [string, string][] | undefined {
  const newline = bytes.indexOf(10);
  if (newline < 0) return undefined;
  const index = JSON.parse(bytes.subarray(0, newline).toString()) as unknown;
  if (!Array.isArray(index)) return undefined;
  const entries: [string, string][] = [];
  let at = newline + 1;
  for (const item of index) {
    if (!Array.isArray(item) || typeof item[0] !== "string" || !Number.isSafeInteger(item[1]) || item[1] < 0) {
      return undefined;
    }
    const end = at + (item[1] as number);
    if (end > bytes.length) return undefined;
    entries.push([item[0], bytes.subarray(at, end).toString()]);
    at = end;
  }
  return at === bytes.length ? entries : undefined;
}
