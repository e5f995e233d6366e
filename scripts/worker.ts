// Worker thread entry for `generate`: loads its pass's libraries right away (ts-morph
// for the morph pass, Ajv for the Ajv pass), then runs the pass on each document the
// main thread sends, as bytes from `v8.serialize`. Each answer carries the fingerprint
// of the generator code this thread loaded, so the main thread caches no output that
// code it does not run made. The Ajv pass keeps each schema's compiled block between
// runs, takes those of an earlier process, and hands its own back to be stored; the ts-morph
// pass answers a document whose types key is the last one's with the last answer.
import { deserialize } from "node:v8";
import { parentPort, workerData } from "node:worker_threads";
import type { OpenAPI3 } from "openapi-typescript";
import { enableCompileCache } from "./compile-cache.js";
import { generatorFingerprint } from "./pass-cache.js";
import { SchemaError } from "./spec-reader/generate-error.js";
import type { KeptBlocks } from "./transforms/ajv-code.js";

/** What the main thread sends for one run. */
export interface PassRequest {
  bytes: Uint8Array;
  /** Blocks an earlier process's Ajv pass kept, and the fingerprint of the generator that compiled them. */
  blocks?: { generator: string; entries: [string, string][] };
  /** Whether to answer with the blocks the Ajv pass holds, when the run compiled any. */
  wantBlocks?: boolean;
  /**
   * The document's types key (see typesKey), for the ts-morph pass: when it is the last run's,
   * that run's files are the answer, as its modules do not read what the two documents differ in.
   */
  typesKey?: string;
}

const { pass } = workerData as { pass: "morph" | "ajv" };
// Before the pass's libraries load.
enableCompileCache();
// Taken as the pass's modules load, so that it names the code they were read from.
const fingerprinting = generatorFingerprint();
let run: (document: OpenAPI3) => [string, string][];
let kept: KeptBlocks | undefined;
/** The ts-morph pass's last keyed run: its document's types key and its files. */
let last: { typesKey: string; files: [string, string][] } | undefined;
if (pass === "morph") {
  run = (await import("./morph-pass.js")).morphPass;
} else {
  const [{ ajvPass }, { KeptBlocks }] = await Promise.all([
    import("./ajv-pass.js"),
    import("./transforms/ajv-code.js"),
  ]);
  const blocks = new KeptBlocks();
  kept = blocks;
  run = (document) => ajvPass(document, blocks);
}
const fingerprint = await fingerprinting;

parentPort?.on("message", ({ bytes, blocks, wantBlocks, typesKey }: PassRequest) => {
  try {
    // Blocks another generator compiled could differ from this one's.
    if (blocks?.generator === fingerprint) kept?.add(blocks.entries);
    const reused = typesKey !== undefined && last?.typesKey === typesKey ? last.files : undefined;
    const files = reused ?? run(deserialize(bytes));
    last = typesKey === undefined ? undefined : { typesKey, files };
    const own = wantBlocks && kept?.compiledLastRun ? kept.entries() : undefined;
    parentPort?.postMessage({ files, fingerprint, blocks: own });
  } catch (error) {
    const { message, stack } = error instanceof Error ? error : { message: String(error), stack: undefined };
    const pointer = error instanceof SchemaError ? error.pointer : undefined;
    parentPort?.postMessage({ error: { message, stack, pointer } });
  }
});
