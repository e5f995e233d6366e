// Worker thread entry for `generate`: loads its pass's libraries right away (ts-morph
// for the morph pass, Ajv for the Ajv pass), then runs the pass on each document the
// main thread sends, as bytes from `v8.serialize`.
import { deserialize } from "node:v8";
import { parentPort, workerData } from "node:worker_threads";
import type { OpenAPI3 } from "openapi-typescript";
import { SchemaError } from "./spec-reader/generate-error.js";

const { pass } = workerData as { pass: "morph" | "ajv" };
const run: (document: OpenAPI3) => [string, string][] =
  pass === "morph" ? (await import("./morph-pass.js")).morphPass : (await import("./ajv-pass.js")).ajvPass;

parentPort?.on("message", (bytes: Uint8Array) => {
  try {
    parentPort?.postMessage({ files: run(deserialize(bytes)) });
  } catch (error) {
    const { message, stack } = error instanceof Error ? error : { message: String(error), stack: undefined };
    const pointer = error instanceof SchemaError ? error.pointer : undefined;
    parentPort?.postMessage({ error: { message, stack, pointer } });
  }
});
