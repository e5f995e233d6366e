// The worker entry when the generator runs from TypeScript source (tsx, tests):
// loader flags do not reach worker threads on Node 20, so register tsx here.
import { register } from "tsx/esm/api";

register();
await import("./worker.ts");
