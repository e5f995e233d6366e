// The generator entry (`devrev-plug-session/generator`): the code generator as a library.
export { type GeneratedFiles, type GenerateOptions, GeneratorWorkers, generate } from "./generate.js";
export { type ErrorLocation, GenerateError } from "./spec-reader/generate-error.js";
export { type LoadedSpec, loadSpec } from "./spec-reader/load-spec.js";
export { MissingPeersError } from "./spec-reader/peers.js";
export { type WatchHandle, watchSpec } from "./watch.js";
export { staleFiles, writeGenerated } from "./write-output.js";
