import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { PlugEvent, PlugInitOptions, PlugSDK } from "../../src/browser/index.js";

// The browser entry's logic in Node, for a developer without Chromium: a hand-written page
// (window, location, document with a <head> that "loads" scripts) and a fake plugSDK that
// reports ready after each init. test/browser/ drives the same entry in Chromium against the
// mock's SDK; this file runs with every `npm test`.

type Browser = typeof import("../../src/browser/index.js");

/** PLuG as the entry sees it: records each call, and reports ready after each init. */
class FakeSdk {
  readonly calls: string[] = [];
  readonly inits: PlugInitOptions[] = [];
  isPlugInitialized = false;
  isWidgetOpen = false;
  readonly #listeners: ((event: PlugEvent) => void)[] = [];
  readonly #waiting: { count: number; resolve: () => void }[] = [];

  onEvent(callback: (event: PlugEvent) => void): void {
    this.#listeners.push(callback);
  }
  emit(type: PlugEvent["type"]): void {
    for (const listener of this.#listeners) listener({ type });
  }
  init(options: PlugInitOptions): void {
    this.calls.push("init");
    this.inits.push(options);
    this.isPlugInitialized = true;
    queueMicrotask(() => {
      this.emit("ON_PLUG_WIDGET_READY");
      for (const wait of this.#waiting.filter(({ count }) => this.inits.length >= count)) wait.resolve();
    });
  }
  async shutdown(): Promise<void> {
    this.calls.push("shutdown");
    this.isPlugInitialized = false;
  }
  getSessionDetails() {
    return { sessionId: "session-1", tabId: "tab-1" };
  }
  /** Resolves once `count` inits have been reported ready: the test waits on an event, not a clock. */
  initialized(count: number): Promise<void> {
    if (this.inits.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.#waiting.push({ count, resolve }));
  }
}

interface FakeScript {
  src?: unknown;
  nonce?: string;
  async?: boolean;
  onload?: (() => void) | null;
  onerror?: (() => void) | null;
  removed: boolean;
  remove(): void;
}

/** How the page's <head> answers a script: it runs and defines plugSDK, fails, or loads but defines nothing. */
type ScriptOutcome = "sdk" | "error" | "nothing";

function installPage() {
  const sdk = new FakeSdk();
  const scripts: FakeScript[] = [];
  const page = { outcome: "sdk" as ScriptOutcome };
  const window: { location: { href: string }; plugSDK?: PlugSDK } = { location: { href: "https://site.example/app" } };
  const document = {
    createElement: (tag: string): FakeScript => {
      expect(tag).toBe("script");
      return {
        removed: false,
        remove() {
          this.removed = true;
        },
      };
    },
    head: {
      append(script: FakeScript) {
        scripts.push(script);
        const outcome = page.outcome;
        queueMicrotask(() => {
          if (outcome === "sdk") window.plugSDK = sdk as unknown as PlugSDK;
          if (outcome === "error") script.onerror?.();
          else script.onload?.();
        });
      },
    },
  };
  vi.stubGlobal("window", window);
  vi.stubGlobal("location", window.location);
  vi.stubGlobal("document", document);
  return { sdk, scripts, page, window };
}

interface FetchCall {
  path: string;
  method?: string;
}

/** The session endpoint: `answer` gives each call's Response (or never answers, honouring the abort). */
function stubSessionEndpoint(answer: (call: FetchCall) => Response | "hang") {
  const calls: FetchCall[] = [];
  vi.stubGlobal("fetch", (path: string, init: RequestInit = {}) => {
    const call = { path, method: init.method };
    calls.push(call);
    const response = answer(call);
    if (response !== "hang") return Promise.resolve(response);
    return new Promise((_, reject) => init.signal?.addEventListener("abort", () => reject(init.signal?.reason)));
  });
  return calls;
}

const token = (session_token: string, extra: Record<string, unknown> = {}) =>
  Response.json({ session_token, ...extra });

let browser: Browser;
let page: ReturnType<typeof installPage>;

beforeEach(async () => {
  // The entry keeps the page's state in its modules (one init per page): a fresh copy per test.
  vi.resetModules();
  browser = await import("../../src/browser/index.js");
  page = installPage();
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe("initPlug, with a fake page and plugSDK", () => {
  it("adds the script once, asks the session endpoint, and inits with its token and PLuG's option names", async () => {
    const calls = stubSessionEndpoint(() => token("tok-ada"));
    const options = {
      appId: "app-1",
      widgetAlignment: "left" as const,
      sdk: { src: "https://cdn.example/plug.js", nonce: "n-1" },
    };
    const handle = await browser.initPlug(options);

    expect(page.scripts.map(({ src, nonce }) => ({ src, nonce }))).toEqual([
      { src: "https://cdn.example/plug.js", nonce: "n-1" },
    ]);
    expect(calls).toEqual([{ path: "/api/plug/session", method: "POST" }]);
    expect(page.sdk.inits).toEqual([{ app_id: "app-1", widget_alignment: "left", session_token: "tok-ada" }]);
    expect(handle.sdk).toBe(page.sdk);

    // React's strict mode runs an effect twice: the same options give the same handle, and nothing more.
    expect(await browser.initPlug({ ...options })).toBe(handle);
    expect(page.scripts).toHaveLength(1);
    expect(page.sdk.inits).toHaveLength(1);
    await expect(browser.initPlug({ ...options, appId: "app-2" })).rejects.toMatchObject({
      name: "PlugError",
      code: "invalid_options",
    });
  });

  it("refuses an SDK URL that is not https: or loopback before adding any script", async () => {
    stubSessionEndpoint(() => token("tok"));
    for (const src of ["http://cdn.example/plug.js", "javascript:alert(1)", "https://user:pw@cdn.example/plug.js"]) {
      const error = await browser.initPlug({ appId: "app", sdk: { src } }).catch((e: unknown) => e);
      expect(error).toMatchObject({ name: "PlugError", code: "invalid_options" });
      expect(String((error as Error).message)).not.toContain("pw");
    }
    expect(page.scripts).toEqual([]);
  });

  it("a script that fails is removed and a later call adds it again; one that defines no plugSDK fails too", async () => {
    stubSessionEndpoint(() => token("tok"));
    page.page.outcome = "error";
    await expect(browser.initPlug({ appId: "app" })).rejects.toMatchObject({ code: "load_failed" });
    page.page.outcome = "nothing";
    await expect(browser.initPlug({ appId: "app" })).rejects.toMatchObject({ code: "load_failed" });
    page.page.outcome = "sdk";
    await browser.initPlug({ appId: "app" });
    expect(page.scripts.map((s) => s.removed)).toEqual([true, true, false]);
    expect(page.sdk.inits).toHaveLength(1);
  });
});

describe("refresh before expiry, on a fake clock", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"], now: new Date("2026-12-03T12:00:00Z") });
  });

  /** A token source whose nth token lives `lifetimeMs` from when it is fetched. */
  const tokens = (lifetimeMs: number) => {
    let n = 0;
    return vi.fn(async () => ({
      session_token: `tok-${++n}`,
      expires_at: new Date(Date.now() + lifetimeMs).toISOString(),
    }));
  };

  it("fetches a fresh token refreshBeforeMs before expiry and re-inits, keeping the recording session", async () => {
    const getSessionToken = tokens(600_000);
    await browser.initPlug({ appId: "app", getSessionToken });
    expect(getSessionToken).toHaveBeenCalledTimes(1);

    await vi.advanceTimersByTimeAsync(600_000 - browser.BROWSER_DEFAULTS.refreshBeforeMs - 1);
    expect(getSessionToken).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    await page.sdk.initialized(2);

    expect(getSessionToken).toHaveBeenCalledTimes(2);
    expect(page.sdk.calls).toEqual(["init", "shutdown", "init"]);
    expect(page.sdk.inits[1]).toEqual({
      app_id: "app",
      session_token: "tok-2",
      session_recording_options: { sessionDetails: { sessionId: "session-1", tabId: "tab-1" } },
    });
  });

  it("refreshes a short-lived token at half its lifetime, and stops refreshing on logout", async () => {
    const getSessionToken = tokens(40_000);
    const handle = await browser.initPlug({ appId: "app", getSessionToken });
    await vi.advanceTimersByTimeAsync(19_999);
    expect(getSessionToken).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    await page.sdk.initialized(2);
    expect(page.sdk.inits[1]?.session_token).toBe("tok-2");

    await handle.logout();
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(getSessionToken).toHaveBeenCalledTimes(2);
    expect(page.sdk.calls).toEqual(["init", "shutdown", "init", "shutdown"]);
  });

  it("never interrupts an open widget: the refresh waits for ON_PLUG_WIDGET_CLOSED", async () => {
    const getSessionToken = tokens(600_000);
    await browser.initPlug({ appId: "app", getSessionToken });
    page.sdk.isWidgetOpen = true;
    await vi.advanceTimersByTimeAsync(600_000);
    expect(getSessionToken).toHaveBeenCalledTimes(1);

    page.sdk.isWidgetOpen = false;
    page.sdk.emit("ON_PLUG_WIDGET_CLOSED");
    await page.sdk.initialized(2);
    expect(page.sdk.inits[1]?.session_token).toBe("tok-2");
  });
});

describe("a handle after logout", () => {
  it("is dead: its methods reject with logged_out and never reach the SDK; initPlug gives a live one", async () => {
    stubSessionEndpoint(() => token("tok-ada"));
    const handle = await browser.initPlug({ appId: "app" });
    const heard: string[] = [];
    handle.onEvent("ON_PLUG_WIDGET_OPENED", (event) => heard.push(event.type));

    await handle.logout();
    expect(page.sdk.calls).toEqual(["init", "shutdown"]);
    await expect(handle.switchUser("tok-bob")).rejects.toMatchObject({ name: "PlugError", code: "logged_out" });
    await expect(handle.logout()).rejects.toMatchObject({ code: "logged_out" });
    handle.onEvent("ON_PLUG_WIDGET_OPENED", (event) => heard.push(`late ${event.type}`));
    page.sdk.emit("ON_PLUG_WIDGET_OPENED");
    expect(heard).toEqual([]);
    expect(page.sdk.calls).toEqual(["init", "shutdown"]);

    const next = await browser.initPlug({ appId: "app" });
    expect(next).not.toBe(handle);
    expect(page.sdk.calls).toEqual(["init", "shutdown", "init"]);
    next.onEvent("ON_PLUG_WIDGET_OPENED", (event) => heard.push(event.type));
    page.sdk.emit("ON_PLUG_WIDGET_OPENED");
    expect(heard).toEqual(["ON_PLUG_WIDGET_OPENED"]);
  });
});

describe("switchUser", () => {
  it("rejects without a token source, and a failed fetch leaves the widget as it was", async () => {
    stubSessionEndpoint(() => token("tok-ada"));
    const handle = await browser.initPlug({ appId: "app" });
    await expect(handle.switchUser(undefined as never)).rejects.toMatchObject({ code: "invalid_options" });
    await expect(handle.switchUser("")).rejects.toMatchObject({ code: "session_failed" });
    await expect(
      handle.switchUser(async () => {
        throw new Error("backend down");
      }),
    ).rejects.toMatchObject({ code: "session_failed", message: expect.stringContaining("backend down") });
    expect(page.sdk.calls).toEqual(["init"]);
  });

  it("switches to another user's token, and with null to an anonymous visitor", async () => {
    stubSessionEndpoint(() => token("tok-ada"));
    const handle = await browser.initPlug({ appId: "app" });
    await handle.switchUser({ session_token: "tok-bob" });
    await handle.switchUser(null);
    expect(page.sdk.calls).toEqual(["init", "shutdown", "init", "shutdown", "init"]);
    const recording = { sessionDetails: { sessionId: "session-1", tabId: "tab-1" } };
    expect(page.sdk.inits.slice(1)).toEqual([
      { app_id: "app", session_token: "tok-bob", session_recording_options: recording },
      { app_id: "app", session_recording_options: recording },
    ]);
  });
});

describe("the session endpoint", () => {
  it("that never answers rejects after session.timeoutMs, naming the path, instead of pending forever", async () => {
    const calls = stubSessionEndpoint(() => "hang");
    const error = await browser.initPlug({ appId: "app", session: { path: "/hang", timeoutMs: 20 } }).catch((e) => e);
    expect(error).toMatchObject({ name: "PlugError", code: "session_failed" });
    expect(error.message).toContain("/hang");
    expect(error.cause).toMatchObject({ name: "TimeoutError" });
    expect(calls).toEqual([{ path: "/hang", method: "POST" }]);
    expect(page.sdk.inits).toEqual([]);
  });

  it("a 401 whose body is null is a session_failed, or an anonymous start under allowAnonymous", async () => {
    stubSessionEndpoint(() => new Response("null", { status: 401, headers: { "content-type": "application/json" } }));
    await expect(browser.initPlug({ appId: "app" })).rejects.toMatchObject({
      code: "session_failed",
      status: 401,
      body: null,
    });
    expect(page.sdk.inits).toEqual([]);

    await browser.initPlug({ appId: "app", allowAnonymous: true });
    expect(page.sdk.inits).toEqual([{ app_id: "app" }]);
  });

  it("another failure is no anonymous start, even under allowAnonymous", async () => {
    stubSessionEndpoint(() => Response.json({ error: "upstream_unavailable" }, { status: 502 }));
    await expect(browser.initPlug({ appId: "app", allowAnonymous: true })).rejects.toMatchObject({
      code: "session_failed",
      status: 502,
      message: expect.stringContaining("upstream_unavailable"),
    });
    expect(page.sdk.inits).toEqual([]);
  });
});

describe("identity conflicts on one page", () => {
  it("refuses to identify unverified a user_ref this page identified with a session token", async () => {
    stubSessionEndpoint(() => token("tok-uma", { user_ref: "uma" }));
    const handle = await browser.initPlug({ appId: "app" });
    await handle.logout();
    await expect(browser.initPlug({ appId: "app", identity: { user_ref: "uma" } })).rejects.toMatchObject({
      code: "invalid_options",
      message: expect.stringContaining("uma"),
    });
    expect(page.sdk.calls).toEqual(["init", "shutdown"]);
  });

  it("refuses a session token for a user_ref identified unverified; the visitor stays", async () => {
    const calls = stubSessionEndpoint(() => token("never asked"));
    const handle = await browser.initPlug({ appId: "app", identity: { user_ref: "vic" } });
    expect(calls).toEqual([]);
    expect(page.sdk.inits).toEqual([{ app_id: "app", identity: { user_ref: "vic" } }]);
    await expect(handle.switchUser({ session_token: "tok-vic", user_ref: "vic" })).rejects.toMatchObject({
      code: "invalid_options",
    });
    expect(page.sdk.calls).toEqual(["init"]);
  });
});
