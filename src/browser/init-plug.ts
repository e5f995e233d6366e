import { BROWSER_DEFAULTS } from "./defaults.js";
import { type LoadPlugSdkOptions, loadPlugSdk } from "./load-plug-sdk.js";
import { asPlugError, PlugError } from "./plug-error.js";
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
  /**
   * Start the widget for a visitor who is not signed in (the token endpoint
   * answers 401) as an anonymous PLuG user, instead of rejecting. They can be
   * identified later with `switchUser`. @default false
   */
  allowAnonymous?: boolean;
  /** How to load the SDK script: `src` (the mock serves one at `/static/plug.js`), `nonce`, `trustedTypesPolicy`, `timeoutMs`. */
  sdk?: LoadPlugSdkOptions;
  /** How long to wait for ON_PLUG_WIDGET_READY. @default 10000 @unit milliseconds */
  readyTimeoutMs?: number;
};

export interface PlugHandle {
  /** The SDK itself, for the rest of its surface (`toggleWidget`, `trackEvent`, ...). */
  readonly sdk: PlugSDK;
  /**
   * Shuts the widget down and starts it again for another user, keeping the
   * recording session. Calls run one after another, in order.
   */
  switchUser(token: TokenSource): Promise<void>;
  /** Shuts the widget down, after any switch in progress; `initPlug` may be called again afterwards. */
  logout(): Promise<void>;
  /** Listens to one kind of event; returns a function that stops listening. */
  onEvent(type: PlugEventType, callback: (event: PlugEvent) => void): () => void;
}

let current: { options: string; handle: Promise<PlugHandle> } | undefined;
const listeners = new Set<(event: PlugEvent) => void>();
const wired = new WeakSet<PlugSDK>();

/**
 * Loads PLuG, fetches a session token and initialises the widget, resolving
 * once it reports ready. PLuG allows one init per page, so a second call with
 * the same options (React strict mode runs effects twice) returns the first
 * call's handle, and one with other options rejects (`invalid_options`):
 * `logout()` first, or `switchUser` for another user.
 */
export function initPlug(options: InitPlugOptions): Promise<PlugHandle> {
  const key = optionsKey(options);
  if (current && current.options !== key) {
    return Promise.reject(new PlugError("invalid_options", "initPlug already ran with other options: logout() first"));
  }
  if (!current) {
    const handle = sdkStep(start(options)).catch((error: unknown) => {
      current = undefined;
      throw error;
    });
    current = { options: key, handle };
  }
  return current.handle;
}

async function start(options: InitPlugOptions): Promise<PlugHandle> {
  const {
    appId,
    sessionToken,
    getSessionToken = fetchSessionToken,
    allowAnonymous = false,
    sdk: load,
    readyTimeoutMs = BROWSER_DEFAULTS.readyTimeoutMs,
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

  const boot = async (token: TokenSource | undefined) => {
    const { session_token: _previous, ...base } = init;
    init = token === undefined ? base : { ...base, session_token: await tokenFrom(token) };
    if (sdk.isPlugInitialized) await sdk.shutdown();
    await waitFor("ON_PLUG_WIDGET_READY", readyTimeoutMs, () => sdk.init(init));
  };
  const first = sessionToken ?? (await tokenFrom(getSessionToken).catch(orAnonymous(allowAnonymous)));
  await boot(first);

  // switchUser and logout each wait for the one before: two switches at once would init twice.
  let queue: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(task: () => Promise<T>): Promise<T> => {
    const run = sdkStep(queue.then(task));
    queue = run.catch(() => {});
    return run;
  };
  const onEvent = (type: PlugEventType, callback: (event: PlugEvent) => void) => {
    const listener = (event: PlugEvent) => event.type === type && callback(event);
    listeners.add(listener);
    return () => void listeners.delete(listener);
  };
  return {
    sdk,
    onEvent,
    switchUser: (token) =>
      inTurn(async () => {
        const sessionDetails = sdk.getSessionDetails();
        init = { ...init, session_recording_options: { ...init.session_recording_options, sessionDetails } };
        await boot(token);
      }),
    logout: () =>
      inTurn(async () => {
        current = undefined;
        await sdk.shutdown();
      }),
  };
}

/** The step's result; whatever the SDK throws along the way becomes a PlugError (`sdk_failed`) with it as cause. */
function sdkStep<T>(step: Promise<T>): Promise<T> {
  return step.catch((error: unknown) => {
    throw asPlugError(error, "sdk_failed", "plugSDK failed");
  });
}

/** The token, with any failure of a caller's own function reported as `session_failed`. */
async function tokenFrom(source: TokenSource): Promise<string> {
  try {
    return typeof source === "string" ? source : await source();
  } catch (error) {
    throw asPlugError(error, "session_failed", "getSessionToken failed");
  }
}

/** With `allowAnonymous`, a 401 from the token endpoint starts the widget without a token. */
function orAnonymous(allowAnonymous: boolean): (error: unknown) => undefined {
  return (error) => {
    if (!(allowAnonymous && error instanceof PlugError && error.status === 401)) throw error;
    return undefined;
  };
}

/** Runs `action` and resolves when PLuG reports `type`; rejects if `action` throws or time runs out. */
function waitFor(type: PlugEventType, timeoutMs: number, action: () => void): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const done = (error?: unknown) => {
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
    try {
      action();
    } catch (error) {
      done(error);
    }
  });
}

/**
 * What makes two calls' options the same: every value but functions (a
 * component passes a new `getSessionToken` closure on each render, and
 * JSON leaves functions out) and the SDK loading options (the script loads
 * once whatever they say).
 */
function optionsKey({ sdk: _sdk, ...options }: InitPlugOptions): string {
  return JSON.stringify(options);
}

/** `widgetAlignment` -> `widget_alignment`; nested objects keep their keys, as PLuG expects. */
function snakeCase(options: Record<string, unknown>): Partial<PlugInitOptions> {
  const result: Record<string, unknown> = {};
  for (const key in options) result[key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)] = options[key];
  return result;
}
