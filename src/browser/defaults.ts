/**
 * Every default of the browser entry, defined once, as the server entry's
 * `DEFAULTS` are. Options documented on `loadPlugSdk` and `initPlug` fall back
 * to these.
 */
export const BROWSER_DEFAULTS = {
  /** Where DevRev serves the PLuG SDK. */
  sdkSrc: "https://plug-platform.devrev.ai/static/plug.js",
  /** How long the SDK script may take to load, in milliseconds. */
  loadTimeoutMs: 10_000,
  /** How long PLuG may take to report ON_PLUG_WIDGET_READY after init, in milliseconds. */
  readyTimeoutMs: 10_000,
  /** The backend route the server entry's session token handler is mounted on. */
  sessionPath: "/api/plug/session",
} as const;
