/**
 * Every default of the browser entry, defined once, as the server entry's
 * `DEFAULTS` are. Options documented on `loadPlugSdk`, `fetchSessionToken`
 * and `initPlug` fall back to these.
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
  /** How long the session endpoint may take to answer, body included, in milliseconds. */
  sessionTimeoutMs: 10_000,
  /**
   * How long before a session token expires a fresh one is fetched, in
   * milliseconds (never earlier than half the token's lifetime). Shorter than
   * the server's token cache margin (60 s), which then mints a new token
   * instead of serving the one about to expire.
   */
  refreshBeforeMs: 30_000,
  /** The first wait after a failed refresh, in milliseconds; it doubles per failure. */
  refreshRetryMs: 1_000,
  /** The longest wait between refresh attempts, in milliseconds. */
  refreshRetryMaxMs: 60_000,
} as const;
