import { type LoadPlugSdkOptions, loadPlugSdk } from "./load-plug-sdk.js";
import { PlugError } from "./plug-error.js";
import { fetchSessionToken } from "./session-endpoint.js";
import type { PlugEvent, PlugEventType, PlugInitOptions, PlugOptions, PlugSDK } from "./types.js";

/** A session token, or a function that fetches one. */
export type TokenSource = string | (() => Promise<string>);

export type InitPlugOptions = Omit<PlugOptions, "sessionToken"> & {
  appId: string;
  /** The session token, if you already have it. */
  sessionToken?: string;
  /** Fetches a session token. @default POST /api/plug/session on this origin */
  getSessionToken?: () => Promise<string>;
  /** How to load the SDK script. */
  sdk?: LoadPlugSdkOptions;
  /** How long to wait for ON_PLUG_WIDGET_READY. @default 10000 @unit milliseconds */
  readyTimeoutMs?: number;
};

export interface PlugHandle {
  /** The SDK itself, for the rest of its surface (`toggleWidget`, `trackEvent`, ...). */
  readonly sdk: PlugSDK;
  /** Shuts the widget down and starts it again for another user, keeping the recording session. */
  switchUser(token: TokenSource): Promise<void>;
  /** Shuts the widget down; `initPlug` may be called again afterwards. */
  logout(): Promise<void>;
  /** Listens to one kind of event; returns a function that stops listening. */
  onEvent(type: PlugEventType, callback: (event: PlugEvent) => void): () => void;
}

let current: Promise<PlugHandle> | undefined;
const listeners = new Set<(event: PlugEvent) => void>();
const wired = new WeakSet<PlugSDK>();

/**
 * Loads PLuG, fetches a session token and initialises the widget, resolving
 * once it reports ready. PLuG allows one init per page, so a second call
 * (React strict mode runs effects twice) returns the first call's handle.
 */
export function initPlug(options: InitPlugOptions): Promise<PlugHandle> {
  current ??= start(options).catch((error: unknown) => {
    current = undefined;
    throw error;
  });
  return current;
}

async function start(options: InitPlugOptions): Promise<PlugHandle> {
  const {
    appId,
    sessionToken,
    getSessionToken = fetchSessionToken,
    sdk: load,
    readyTimeoutMs = 10_000,
    ...rest
  } = options;
  const sdk = await loadPlugSdk(load);
  if (!wired.has(sdk)) {
    // The SDK has no way to unsubscribe, so one listener fans events out to ours.
    sdk.onEvent((event) => {
      for (const listener of [...listeners]) listener(event);
    });
    wired.add(sdk);
  }
  let init: PlugInitOptions = { app_id: appId, ...snakeCase(rest) };

  const boot = async (token: TokenSource) => {
    init = { ...init, session_token: typeof token === "string" ? token : await token() };
    if (sdk.isPlugInitialized) await sdk.shutdown();
    const ready = waitFor("ON_PLUG_WIDGET_READY", readyTimeoutMs);
    sdk.init(init);
    await ready;
  };
  await boot(sessionToken ?? getSessionToken);

  const onEvent = (type: PlugEventType, callback: (event: PlugEvent) => void) => {
    const listener = (event: PlugEvent) => event.type === type && callback(event);
    listeners.add(listener);
    return () => void listeners.delete(listener);
  };
  return {
    sdk,
    onEvent,
    async switchUser(token) {
      const sessionDetails = sdk.getSessionDetails();
      init = { ...init, session_recording_options: { ...init.session_recording_options, sessionDetails } };
      await boot(token);
    },
    async logout() {
      current = undefined;
      await sdk.shutdown();
    },
  };
}

function waitFor(type: PlugEventType, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (error?: PlugError) => {
      clearTimeout(timer);
      listeners.delete(listener);
      error ? reject(error) : resolve();
    };
    const listener = (event: PlugEvent) => event.type === type && done();
    const timer = setTimeout(
      () => done(new PlugError("ready_timeout", `PLuG did not report ${type} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    listeners.add(listener);
  });
}

/** `widgetAlignment` -> `widget_alignment`; nested objects keep their keys, as PLuG expects. */
function snakeCase(options: Record<string, unknown>): Partial<PlugInitOptions> {
  const result: Record<string, unknown> = {};
  for (const key in options) result[key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)] = options[key];
  return result;
}
