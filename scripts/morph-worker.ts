// Worker thread entry for `generate`: loads ts-morph right away, then runs
// the ts-morph pass on each document the main thread sends.
import { parentPort } from "node:worker_threads";
import { morphPass } from "./morph-pass.js";

parentPort?.on("message", (document) => {
  try {
    parentPort?.postMessage({ files: morphPass(document) });
  } catch (error) {
    parentPort?.postMessage({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
