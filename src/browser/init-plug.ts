import { BROWSER_DEFAULTS } from "./defaults.js";
import { type LoadPlugSdkOptions, loadPlugSdk } from "./load-plug-sdk.js";
import { asPlugError, PlugError } from "./plug-error.js";
import { fetchSessionToken, type SessionEndpointOptions, type SessionTokenResponseBody } from "./session-endpoint.js";
import type { PlugEvent, PlugEventType, PlugInitOptions, PlugOptions, PlugSDK } from "./types.js";
import { within } from "./within.js";

type TokenFunction = () => Promise<string | SessionTokenResponseBody>;

/** A session token, the session endpoint's answer, or a function that fetches either (then refreshed before expiry). */
export type TokenSource = string | SessionTokenResponseBody | TokenFunction;

export type InitPlugOptions = Omit<PlugOptions, "sessionToken"> & {
  appId: string;
  /** The session token, if you already have it (it is not refreshed). */
  sessionToken?: string;
  /**
   * Fetches a session token, or the session endpoint's whole answer: with its
   * `expires_at`, a fresh token is fetched before that time.
   * @default fetchSessionToken(session)
   */
  getSessionToken?: TokenFunction;
  /** Where and how long the default `getSessionToken` asks: `path`, `timeoutMs`. */
  session?: SessionEndpointOptions;
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
  /**
   * How long before `expires_at` to fetch a fresh token and re-init, keeping
   * the recording session; never before half the token's lifetime, and never
   * while the widget is open. @default 30000 @unit milliseconds
   */
  refreshBeforeMs?: number;
};

export interface PlugHandle {
  /** The SDK itself, for the rest of its surface (`toggleWidget`, `trackEvent`, ...). */
  readonly sdk: PlugSDK;
  /**
   * Shuts the widget down and starts it again for another user (`null`: an
   * anonymous visitor), keeping the recording session. The token is fetched
   * first, so a failure leaves the widget as it was. Calls run one after
   * another, in order.
   */
  switchUser(token: TokenSource | null): Promise<void>;
  /**
   * Shuts the widget down, after any call in progress, and stops refreshing.
   * From then on the handle is dead: its methods reject with `logged_out`
   * and never reach the SDK. `initPlug` may be called again.
   */
  logout(): Promise<void>;
  /** Listens to one kind of event until the returned function is called, or the handle logs out. */
  onEvent(type: PlugEventType, callback: (event: PlugEvent) => void): () => void;
}

let currentKey: string | undefined;
let current: Promise<PlugHandle> | undefined;
const listeners = new Set<(event: PlugEvent) => void>();
const wired = new WeakSet<PlugSDK>();
/** Every SDK step on the page (init, switch, refresh, logout) runs in turn, whichever handle asks. */
let queue: Promise<unknown> = Promise.resolve();
/** `user_ref`s this page identified: true with a session token, false with `identity`. */
const identified = new Map<string, boolean>();

/**
 * Loads PLuG, fetches a session token and initialises the widget, resolving
 * once it reports ready. PLuG allows one init per page, so a second call with
 * the same options (React strict mode runs effects twice) returns the first
 * call's handle, and one with other options rejects (`invalid_options`):
 * `logout()` first, or `switchUser` for another user. With `identity` instead
 * of a session token, the user is identified unverified (DevRev's beta: not
 * secure, and that `user_ref` can never become a verified user).
 */
export async function initPlug(options: InitPlugOptions): Promise<PlugHandle> {
  const key = JSON.stringify({ ...options, sdk: 0 }, (name, value) => {
    // Functions are left out (a component passes a new closure each render); a BigInt is no JSON value.
    if (typeof value === "bigint") throw new PlugError("invalid_options", `${name} is a BigInt`);
    return value;
  });
  if (current && key !== currentKey) {
    throw new PlugError("invalid_options", "initPlug ran with other options: logout() first");
  }
  currentKey = key;
  return (current ??= start(options).catch((error: unknown) => {
    current = undefined;
    throw error;
  }));
}

async function start({
  appId,
  sessionToken,
  session,
  getSessionToken = () => fetchSessionToken(session),
  allowAnonymous,
  sdk: load,
  readyTimeoutMs = BROWSER_DEFAULTS.readyTimeoutMs,
  refreshBeforeMs = BROWSER_DEFAULTS.refreshBeforeMs,
  ...rest
}: InitPlugOptions): Promise<PlugHandle> {
  if (!appId || typeof appId !== "string") throw new PlugError("invalid_options", "appId must be a non-empty string");
  const sdk = await loadPlugSdk(load);
  if (!wired.has(sdk)) {
    // The SDK has no way to unsubscribe, so one listener fans events out to ours.
    sdk.onEvent((event) => {
      for (const listener of [...listeners]) listener(event);
    });
    wired.add(sdk);
  }
  let init: PlugInitOptions = { app_id: appId, ...snakeCase(rest) };
  let dead = false;
  /** Counts identifications (and the logout): a refresh fetched for an earlier one is dropped. */
  let generation = 0;
  // The refresh: the function that fetches the token, the timer, the failures in a row, and
  // whether it fell due while the widget was open (then it runs once the widget closes).
  let source: TokenFunction;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;
  let due = false;
  const mine = new Set<() => void>();

  /**
   * (Re)starts the widget with the token in `answer`, carrying the recording
   * session over when it ran, and plans a refresh if `from` can fetch another.
   * Without a token: anonymous, except that the first start (`from` undefined)
   * keeps `identity`.
   */
  const identify = async (answer: SessionTokenResponseBody | undefined, from: TokenSource | null | undefined) => {
    const { session_token: _token, identity: _identity, ...base } = init;
    let next: PlugInitOptions = answer
      ? { ...base, session_token: answer.session_token }
      : from === undefined
        ? init
        : base;
    const ref = answer ? answer.user_ref : next.identity?.user_ref;
    if (ref !== undefined && identified.get(ref) === !answer) {
      throw new PlugError("invalid_options", `user_ref ${ref} was already identified the other way`);
    }
    clearTimeout(timer);
    due = false;
    failures = 0;
    const at = ++generation;
    if (sdk.isPlugInitialized) {
      const options = { ...next.session_recording_options, sessionDetails: sdk.getSessionDetails() };
      next = { ...next, session_recording_options: options };
      await sdk.shutdown();
    }
    init = next;
    if (ref !== undefined) identified.set(ref, !!answer);
    let off = () => {};
    await within(
      new Promise((resolve) => {
        off = listen("ON_PLUG_WIDGET_READY", resolve);
        sdk.init(next);
      }),
      readyTimeoutMs,
      "ready_timeout",
      "PLuG did not report ON_PLUG_WIDGET_READY",
    ).finally(() => off());
    const left = Date.parse(answer?.expires_at as string) - Date.now();
    if (typeof from === "function" && left > 0 && at === generation) {
      source = from;
      // Never earlier than half the lifetime, so a short-lived token cannot loop. setTimeout fires at
      // once past 2^31 ms: a token living weeks is refreshed after 23 days instead.
      timer = setTimeout(refresh, Math.min(left - Math.min(refreshBeforeMs, left / 2), 2e9));
    }
  };

  const refresh = () => {
    // An open conversation is never interrupted: the refresh waits for the widget to close.
    if ((due = sdk.isWidgetOpen)) return;
    const at = generation;
    inTurn(async () => {
      // Switched or logged out since: this refresh is stale (checked again once the token is fetched).
      const answer = at === generation && (await tokenFrom(source));
      if (!answer || at !== generation) return;
      // The same token again (a cache still serving it) or a widget opened meanwhile: try again later.
      if (answer.session_token === init.session_token || sdk.isWidgetOpen) throw 0;
      await identify(answer, source);
    }).catch(() => {
      // A failed refresh leaves the widget as it is, and tries again, less and less often.
      const { refreshRetryMs, refreshRetryMaxMs } = BROWSER_DEFAULTS;
      if (at === generation) timer = setTimeout(refresh, Math.min(refreshRetryMs * 2 ** failures++, refreshRetryMaxMs));
    });
  };

  /** Runs a method's step in turn, unless the handle is dead. */
  const live = async (step: () => Promise<unknown>): Promise<void> => {
    if (dead) throw new PlugError("logged_out", "this PlugHandle was logged out: call initPlug again");
    await inTurn(step);
  };

  const first = init.identity ? undefined : (sessionToken ?? getSessionToken);
  await inTurn(async () =>
    identify(
      await tokenFrom(first).catch((error: PlugError) => {
        if (!(allowAnonymous && error.status === 401)) throw error;
        return undefined;
      }),
      first,
    ),
  );
  mine.add(listen("ON_PLUG_WIDGET_CLOSED", () => due && refresh()));
  return {
    sdk,
    onEvent: (type, callback) => {
      if (dead) return () => {};
      const off = listen(type, callback);
      mine.add(off);
      return off;
    },
    switchUser: async (token) => {
      if (token === undefined) throw new PlugError("invalid_options", "switchUser needs a token source, or null");
      await live(async () => identify(await tokenFrom(token), token));
    },
    logout: () => {
      const done = live(() => sdk.shutdown());
      if (!dead) {
        dead = true;
        current = undefined;
        generation++;
        clearTimeout(timer);
        for (const off of mine) off();
      }
      return done;
    },
  };
}

/** The step, after every step before it; whatever the SDK throws becomes a PlugError (`sdk_failed`) with it as cause. */
function inTurn<T>(step: () => Promise<T>): Promise<T> {
  const run = queue.then(step).catch((error: unknown) => {
    throw asPlugError(error, "sdk_failed", "plugSDK failed");
  });
  queue = run.catch(() => {});
  return run;
}

/** The session answer, with any failure of a caller's own function reported as `session_failed`. */
async function tokenFrom(source: TokenSource | null | undefined): Promise<SessionTokenResponseBody | undefined> {
  if (source === null || source === undefined) return;
  try {
    const value = typeof source === "function" ? await source() : source;
    const answer = typeof value === "string" ? { session_token: value } : value;
    if (!(typeof answer?.session_token === "string" && answer.session_token)) {
      throw new PlugError("session_failed", "no session_token");
    }
    return answer;
  } catch (error) {
    throw asPlugError(error, "session_failed", "getSessionToken failed");
  }
}

/** Calls `callback` for each event of `type`; returns the function that stops it. */
function listen(type: PlugEventType, callback: (event: PlugEvent) => void): () => void {
  const listener = (event: PlugEvent) => event.type === type && callback(event);
  listeners.add(listener);
  return () => void listeners.delete(listener);
}

/** `widgetAlignment` -> `widget_alignment`; nested objects keep their keys, as PLuG expects. */
function snakeCase(options: Record<string, unknown>): Partial<PlugInitOptions> {
  const result: Record<string, unknown> = {};
  for (const key in options) result[key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)] = options[key];
  return result;
}
