// The Node.js entry (`devrev-plug-session/node`): what needs Node's own modules. Kept apart
// so `devrev-plug-session/server` runs where they do not exist (workerd, edge runtimes).
export { toNodeHandler } from "./node-adapter.js";
