import { basename, dirname, relative, resolve } from "node:path";
import { serialize } from "node:v8";
import { Worker } from "node:worker_threads";
import type { OpenAPI3 } from "openapi-typescript";
import { backtrackingPatterns } from "./backtracking-patterns.js";
import { safeLineComment } from "./naming.js";
import { openapiTypes } from "./openapi-types.js";
import { layOut } from "./output-layout.js";
import { defaultCacheDir, generatorFingerprint, isInside, PassCache, realFolder } from "./pass-cache.js";
import { RESERVED_NAMES, SpecModel } from "./spec-model.js";
import { GenerateError, SchemaError } from "./spec-reader/generate-error.js";
import { type LoadedSpec, loadSpec } from "./spec-reader/load-spec.js";
import { GENERATOR_PEERS, requirePeers } from "./spec-reader/peers.js";
import { typesKey } from "./types-key.js";
import type { PassRequest } from "./worker.js";

// Taken as this thread's modules load, as each worker takes its own, so that it names the code
// they were read from: taken at the first run instead, a rebuild in between would store old
// output under the new code's key. (A failure here is the cache's to report: it opens none.)
generatorFingerprint().catch(() => {});

export interface GenerateOptions {
  /** The OpenAPI 3.0/3.1 file to read. */
  spec: string;
  /** The folder the files are meant for; only used to write the spec's relative path in the banner. */
  out: string;
  /**
   * Where warnings go, one line each: a spec `pattern` that can backtrack catastrophically.
   * @default a line on stderr
   */
  warn?: (line: string) => void;
  /**
   * The command the banner tells a reader to run after changing the spec.
   * @default `npx devrev-plug-session generate --spec SPEC --out FOLDER`, run from the output folder's parent
   */
  command?: string;
  /**
   * The folder where the passes' output is kept by a hash of the parsed spec and the
   * generator (see `PassCache`), so a run on an unchanged spec reads it back instead of
   * compiling every schema again; `false` for no cache. A folder that is `out` or inside it is refused (a GenerateError).
   * @default the nearest `node_modules/.cache/devrev-plug-session` at or above the working directory and outside `out`, else a folder of this user's in the OS temp directory (see defaultCacheDir)
   */
  cache?: string | false;
}

/** File name (inside the output folder) -> contents. */
export type GeneratedFiles = Map<string, string>;

/**
 * Runs the whole generator in memory, on three threads at once: openapi-typescript
 * for the `paths`, `components` and `operations` types on this one; the ts-morph
 * pass (named types, constants, typed validators, operations) and the Ajv pass
 * (Ajv's standalone code) each in a worker. They only share the parsed spec, and
 * much of each one's time is loading its own libraries (two copies of the
 * TypeScript compiler among them), so side by side they take little more than
 * the longest of them. Writes nothing; see `writeGenerated`.
 */
export async function generate(options: GenerateOptions, workers?: GeneratorWorkers): Promise<GeneratedFiles> {
  const { files, stored } = await generateThenStore(options, workers);
  await stored;
  return files;
}

/**
 * `generate`, answering as soon as the files are ready, with the cache's writes still under way
 * (`stored`, which never rejects: a failed write only costs a later run a miss), and the files the
 * spec was read from. `--watch` writes and reports the output first: a Stripe-sized entry and the
 * Ajv pass's blocks are 20 MB to write.
 */
export async function generateThenStore(
  options: GenerateOptions,
  workers?: GeneratorWorkers,
): Promise<{ files: GeneratedFiles; stored: Promise<void>; specFiles: string[] }> {
  requirePeers("the generator", GENERATOR_PEERS);
  await refuseCacheInsideOut(options);
  // Fresh workers start loading their libraries at once, while this thread reads the spec.
  const own = workers ?? new GeneratorWorkers();
  const opening = openCache(options);
  try {
    const spec = await loadSpec(options.spec);
    const warn = options.warn ?? ((line: string) => process.stderr.write(`${line}\n`));
    for (const { pointer, pattern } of backtrackingPatterns(spec.document)) {
      warn(
        `warning: ${spec.path} (at ${pointer}): the pattern ${JSON.stringify(pattern)} can backtrack catastrophically ` +
          "(a repetition inside a repetition): one long value that fails it blocks the validator for seconds",
      );
    }
    // Serialized once: the workers' input, and what the cache's key is made from.
    const bytes = serialize(spec.document);
    const cache = await opening;
    const key = cache?.key(bytes);
    let files = key === undefined ? undefined : await cache?.get(key);
    let stored = Promise.resolve();
    if (!files) {
      // Only workers that run again can reuse what a run typed (see typesKey).
      const run = await runPasses(spec, bytes, own, cache, workers !== undefined);
      files = run.files;
      if (cache && key !== undefined && run.cacheable) stored = storeRun(cache, key, run.files, run.blocks);
    }
    const banner = bannerFor(spec, options.out, options.command ?? regenerateCommand(options));
    return { files: layOut(files, banner), stored, specFiles: spec.files };
  } finally {
    if (!workers) own.stop();
  }
}

/** Stores a run's files and the Ajv pass's blocks; never rejects (see PassCache). */
async function storeRun(cache: PassCache, key: string, files: [string, string][], blocks?: [string, string][]) {
  await cache.set(key, files).catch(() => {});
  if (blocks) await cache.setBlocks(blocks).catch(() => {});
}

/**
 * Every pass's files, name -> text (no banner): openapi-typescript's `schema.ts` from this
 * thread, the workers' modules from theirs. Not cacheable when a worker ran other generator
 * code than this thread's fingerprint names (a source file edited since either loaded). With a
 * cache, new workers start from the Ajv blocks it holds, and the blocks a run compiled come back.
 * `keyed`: give `schema.ts` and the ts-morph pass the document's types key, so that a run whose
 * document differs from the last one's in its limits alone reuses their text.
 */
async function runPasses(
  spec: LoadedSpec,
  bytes: Uint8Array,
  workers: GeneratorWorkers,
  cache: PassCache | undefined,
  keyed: boolean,
): Promise<{ files: [string, string][]; cacheable: boolean; blocks?: [string, string][] }> {
  const blocks = workers.fresh ? await cache?.getBlocks() : undefined;
  // Taken before openapiTypes writes into the document.
  const key = keyed ? typesKey(spec.document) : undefined;
  const passes = workers.run(bytes, { blocks, wantBlocks: cache !== undefined, typesKey: key });
  // If this thread fails first, the workers' outcome no longer matters.
  passes.catch(() => {});
  const schemaSource = schemaSourceFor(workers, key, () =>
    openapiTypes(spec, new SpecModel(spec.document, RESERVED_NAMES)),
  );
  const {
    files,
    fingerprints,
    blocks: compiled,
  } = await passes.catch((error: unknown) => {
    if (!(error instanceof SchemaError)) throw error;
    throw new GenerateError({ file: spec.path, pointer: error.pointer }, error.message, { cause: error });
  });
  const own = await generatorFingerprint().catch(() => undefined);
  return {
    files: [["schema.ts", schemaSource], ...files],
    cacheable: fingerprints.every((f) => f === own),
    blocks: compiled,
  };
}

/**
 * Refuses a `cache` folder that is `out` or inside it, naming both: `writeGenerated` replaces
 * the output folder whole (and refuses one holding files it did not write), and `--check`
 * would count the entries as extra files.
 */
async function refuseCacheInsideOut({ cache, out }: GenerateOptions): Promise<void> {
  if (typeof cache !== "string") return;
  // Through links, as the write follows `out`'s.
  const [cacheFolder, outFolder] = await Promise.all([realFolder(cache), realFolder(out)]);
  if (isInside(cacheFolder, outFolder)) {
    throw new GenerateError(
      { file: cache },
      `the cache folder is ${cacheFolder === outFolder ? "" : "inside "}the output folder ${out}: choose a cache folder outside it`,
    );
  }
}

function openCache({ cache, out }: GenerateOptions): Promise<PassCache | undefined> {
  if (cache === false) return Promise.resolve(undefined);
  if (cache !== undefined) return PassCache.open(cache);
  return defaultCacheDir(process.cwd(), out).then((dir) => (dir === undefined ? undefined : PassCache.open(dir)));
}

/** The last `schema.ts` text a keyed run on these workers wrote, and its document's types key. */
const lastSchemaSource = new WeakMap<GeneratorWorkers, { key: string; text: string }>();

/**
 * `schema.ts`'s text for a run on `workers`: the last keyed run's when `key` (the document's types
 * key, see typesKey) is its key too, else what `write` returns, kept under `key`. Beside the
 * workers rather than on them, so that no caller of the public class can set it. Exported for tests.
 */
export function schemaSourceFor(workers: GeneratorWorkers, key: string | undefined, write: () => string): string {
  const last = lastSchemaSource.get(workers);
  if (key !== undefined && last?.key === key) return last.text;
  const text = write();
  if (key === undefined) lastSchemaSource.delete(workers);
  else lastSchemaSource.set(workers, { key, text });
  return text;
}

/**
 * The generator's two worker threads, one per pass. A one-off `generate` makes
 * its own; `--watch` keeps one pair for every save, so a warm regenerate loads
 * no library again and compiles only the schemas that changed. A program that
 * generates again and again (`generate(options, workers)`, `watchSpec(…, workers)`)
 * can keep a pair the same way, and calls `stop` when done.
 */
export class GeneratorWorkers {
  readonly #morph = new PassWorker("morph");
  readonly #ajv = new PassWorker("ajv");
  #runs = 0;

  /** Whether no document was sent yet: the Ajv worker holds no compiled block. */
  get fresh(): boolean {
    return this.#runs === 0;
  }

  /**
   * Both passes' files, name -> text (no banner), from the document or its `v8.serialize`d
   * bytes; the fingerprint of the generator code each worker loaded; and, when asked
   * (`wantBlocks`) and the Ajv pass compiled any, the blocks it holds. `blocks`: those of an
   * earlier process for the Ajv pass to start from. `typesKey`: the document's (see typesKey), for
   * the ts-morph pass to answer with its last keyed run's files when that run's key is the same.
   */
  async run(
    document: OpenAPI3 | Uint8Array,
    { blocks, wantBlocks, typesKey }: Pick<PassRequest, "blocks" | "wantBlocks" | "typesKey"> = {},
  ): Promise<{ files: [string, string][]; fingerprints: string[]; blocks?: [string, string][] }> {
    this.#runs++;
    // Serialized once for both workers, rather than cloned once for each.
    const bytes = document instanceof Uint8Array ? document : serialize(document);
    const [morph, ajv] = await Promise.all([
      this.#morph.run({ bytes, typesKey }),
      this.#ajv.run({ bytes, blocks, wantBlocks }),
    ]);
    return {
      files: [...morph.files, ...ajv.files],
      fingerprints: [morph.fingerprint, ajv.fingerprint],
      blocks: ajv.blocks,
    };
  }

  stop(): void {
    this.#morph.stop();
    this.#ajv.stop();
  }
}

/** A worker thread that runs one pass, one document at a time. */
class PassWorker {
  readonly #pass: "morph" | "ajv";
  readonly #worker: Worker;
  /** Settles when the last run sent or queued has its answer. */
  #queue: Promise<unknown> = Promise.resolve();
  /** Runs sent or queued and not answered yet. */
  #unanswered = 0;
  /** How the worker ended, once it has (out of memory, say, or `stop`): every later run fails with it. */
  #exited?: Error;

  constructor(pass: "morph" | "ajv") {
    this.#pass = pass;
    this.#worker = new Worker(workerEntry(), { workerData: { pass } });
    this.#worker.once("exit", (code) => {
      this.#exited = new Error(`the ${pass} worker exited with code ${code}`);
    });
  }

  /**
   * Sends `request` now when the worker is idle, else once it has answered the runs before it.
   * Now, not from a promise callback: `generate` goes on with openapi-typescript's types, which
   * hold this thread for most of a second on a large spec, and a callback would only send the
   * document after them, leaving the worker idle meanwhile.
   */
  run(request: PassRequest): Promise<PassResult> {
    const send = () =>
      new Promise<PassResult>((resolve, reject) => {
        // A thread that has exited never answers, nor exits again.
        if (this.#exited) return reject(this.#exited);
        const onExit = (code: number) => reject(new Error(`the ${this.#pass} worker exited with code ${code}`));
        this.#worker.once("exit", onExit);
        this.#worker.once("message", (answer: PassResult | { error: PassFailure }) => {
          this.#worker.off("exit", onExit);
          if ("files" in answer) resolve(answer);
          else reject(passError(this.#pass, answer.error));
        });
        this.#worker.postMessage(request);
      });
    const result = this.#unanswered === 0 ? send() : this.#queue.then(send);
    this.#unanswered++;
    const answered = () => {
      this.#unanswered--;
    };
    this.#queue = result.then(answered, answered);
    return result;
  }

  stop(): void {
    void this.#worker.terminate();
  }
}

/** A pass's files, the fingerprint of the generator code its worker loaded, and the Ajv pass's blocks when asked. */
interface PassResult {
  files: [string, string][];
  fingerprint: string;
  blocks?: [string, string][];
}

/** Why a pass failed, as a worker reports it. */
interface PassFailure {
  message: string;
  stack?: string;
  /** Where in the document, when the spec is at fault (a schema Ajv cannot compile). */
  pointer?: string;
}

/** A SchemaError for a failure the spec caused (the caller adds the file), else the worker's error. */
function passError(pass: string, { message, stack, pointer }: PassFailure): Error {
  const error =
    pointer === undefined ? new Error(`the ${pass} pass failed: ${message}`) : new SchemaError(pointer, message);
  // The worker's stack, for --verbose.
  if (stack) error.stack = stack;
  return error;
}

/** The compiled worker next to this file, or its TypeScript twin through a tsx shim. */
function workerEntry(): URL {
  const fromSource = import.meta.url.endsWith(".ts");
  return new URL(fromSource ? "./worker-dev.mjs" : "./worker.js", import.meta.url);
}

/**
 * The command that regenerates `out` from `spec`, with paths relative to the
 * output folder's parent (so it reads the same from any working directory):
 * a project that uses the package has no `npm run generate`.
 */
export function regenerateCommand({ spec, out }: Pick<GenerateOptions, "spec" | "out">): string {
  const parent = dirname(resolve(out));
  const arg = (path: string) => {
    const posix = path.split("\\").join("/") || ".";
    return /^[\w./@-]+$/.test(posix) ? posix : `'${posix.replaceAll("'", "'\\''")}'`;
  };
  return `npx devrev-plug-session generate --spec ${arg(relative(parent, resolve(spec)))} --out ${arg(basename(resolve(out)))}`;
}

function bannerFor(spec: LoadedSpec, out: string, command: string): string {
  const specPath = relative(resolve(out), resolve(spec.path)).split("\\").join("/");
  return [
    "// Generated by devrev-plug-session's generator. Do not edit this file:",
    `// change the spec or the generator, then run \`${safeLineComment(command)}\`.`,
    `// spec: ${safeLineComment(specPath)}`,
    `// spec sha256: ${spec.hash}`,
    "",
    "",
  ].join("\n");
}
