// The browser entry (`devrev-plug-session/browser`): no dependencies, and
// nothing that could hold the AAT. It never imports from the server entry,
// the generated client or openapi-fetch.

export { BROWSER_DEFAULTS } from "./defaults.js";
export { type InitPlugOptions, initPlug, type PlugHandle, type TokenSource } from "./init-plug.js";
export { type LoadPlugSdkOptions, loadPlugSdk, type ScriptUrlPolicy } from "./load-plug-sdk.js";
export { PlugError, type PlugErrorCode } from "./plug-error.js";
export {
  fetchSessionToken,
  type SessionEndpointOptions,
  type SessionTokenResponseBody,
} from "./session-endpoint.js";
export type {
  PlugEvent,
  PlugEventType,
  PlugInitOptions,
  PlugMaskInputOptions,
  PlugOptions,
  PlugSDK,
  PlugSessionDetails,
  PlugSessionRecordingOptions,
} from "./types.js";
