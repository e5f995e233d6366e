// Worker thread entry for `generate`: loads its pass's libraries right away (ts-morph
// for the morph pass, Ajv for the Ajv pass), then runs the pass on each document the
// main thread sends, as bytes from `v8.serialize`. Each answer carries the fingerprint
// of the generator code this thread loaded, so the main thread caches no output that
// code it does not run made.
import { deserialize } from "node:v8";
import { parentPort, workerData } from "node:worker_threads";
import type { OpenAPI3 } from "openapi-typescript";
import { generatorFingerprint } from "./pass-cache.js";
import { SchemaError } from "./spec-reader/generate-error.js";

const { pass } = workerData as { pass: "morph" | "ajv" };
// Taken as the pass's modules load, so that it names the code they were read from.
const fingerprinting = generatorFingerprint();
const run: (document: OpenAPI3) => [string, string][] =
  pass === "morph" ? (await import("./morph-pass.js")).morphPass : (await import("./ajv-pass.js")).ajvPass;
const fingerprint = await fingerprinting;

parentPort?.on("message", (bytes: Uint8Array) => {
  try {
    parentPort?.postMessage({ files: run(deserialize(bytes)), fingerprint });
  } catch (error) {
    const { message, stack } = error instanceof Error ? error : { message: String(error), stack: undefined };
    const pointer = error instanceof SchemaError ? error.pointer : undefined;
    parentPort?.postMessage({ error: { message, stack, pointer } });
  }
});
