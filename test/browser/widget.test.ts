import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { browserTestsEnabled, launchChromium } from "../helpers/chromium.js";
import { type PageServer, startPageServer } from "../helpers/page-server.js";
import { TEST_AAT } from "../helpers/tokens.js";

// The page's view of the browser entry and the fake SDK, for page.evaluate.
type PageWindow = Window & {
  plug: typeof import("../../src/browser/index.js");
  handle?: import("../../src/browser/index.js").PlugHandle;
  plugSDK: import("../../src/browser/index.js").PlugSDK & { __calls: { method: string; args: unknown[] }[] };
};

const mockUrl = inject("devrevMockUrl");
const SDK = `${mockUrl}/static/plug.js`;

describe.runIf(browserTestsEnabled("browser tests"))("the browser helper in Chromium", () => {
  let browser: Browser;
  let site: PageServer;
  const contexts: BrowserContext[] = [];
  const received: string[] = [];

  beforeAll(async () => {
    [browser, site] = await Promise.all([launchChromium(), startPageServer(mockUrl)]);
  });
  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close()));
    await browser?.close();
    await site?.close();
    // Everything the pages received over the whole suite, checked once.
    expect(received.join("\n")).not.toContain(TEST_AAT);
  });

  async function openPage(user?: string, path = "/"): Promise<Page> {
    const context = await browser.newContext();
    contexts.push(context);
    if (user) await context.addCookies([{ name: "user", value: user, url: site.url }]);
    const page = await context.newPage();
    page.on("response", async (response) => received.push(await response.text().catch(() => "")));
    await page.goto(`${site.url}${path}`);
    await page.waitForFunction(() => Boolean((window as unknown as PageWindow).plug));
    return page;
  }

  /** Runs initPlug in the page and reports the handle's presence or the error's fields. */
  function init(page: Page, options: Record<string, unknown> = {}) {
    return page.evaluate(
      async ({ sdk, options }) => {
        const w = window as unknown as PageWindow;
        try {
          w.handle = await w.plug.initPlug({ appId: "test-app", sdk: { src: sdk }, ...options });
          return { ok: true as const };
        } catch (e) {
          const error = e as InstanceType<PageWindow["plug"]["PlugError"]>;
          return {
            ok: false as const,
            name: error.name,
            code: error.code,
            status: error.status,
            body: error.body,
            message: error.message,
          };
        }
      },
      { sdk: SDK, options },
    );
  }

  const calls = (page: Page) => page.evaluate(() => (window as unknown as PageWindow).plugSDK.__calls);
  const launcher = (page: Page) => page.locator("#plug-launcher");

  it("inits the widget with a session token minted through the mock, naming the user", async () => {
    const page = await openPage("ada");
    expect(await init(page)).toEqual({ ok: true });
    await expect.poll(() => launcher(page).textContent()).toBe("Support · Ada Lovelace");
    expect(await launcher(page).getAttribute("data-verified")).toBe("true");
    const [initCall] = (await calls(page)).filter((c) => c.method === "init");
    const options = initCall?.args[0] as { app_id: string; session_token: string };
    expect(options.app_id).toBe("test-app");
    const claims = JSON.parse(Buffer.from(options.session_token.split(".")[1] ?? "", "base64url").toString());
    expect(claims).toMatchObject({
      sub: expect.stringMatching(/:revu\/\d+$/),
      "http://devrev.ai/displayname": "Ada Lovelace",
    });
    expect(await page.evaluate(() => (window as unknown as PageWindow).plugSDK.isPlugInitialized)).toBe(true);
  });

  it("makes a second init (React strict mode) harmless: one script, one init, one handle", async () => {
    const page = await openPage("ada");
    const same = await page.evaluate(async (sdk) => {
      const w = window as unknown as PageWindow;
      const options = { appId: "test-app", sdk: { src: sdk } };
      const [a, b] = await Promise.all([w.plug.initPlug(options), w.plug.initPlug(options)]);
      const c = await w.plug.initPlug(options);
      return a === b && b === c;
    }, SDK);
    expect(same).toBe(true);
    expect((await calls(page)).filter((c) => c.method === "init")).toHaveLength(1);
    expect(await page.locator(`script[src="${SDK}"]`).count()).toBe(1);
  });

  it("maps camelCase options to PLuG's names", async () => {
    const page = await openPage("ada");
    await init(page, {
      widgetAlignment: "left",
      accentColor: "#ff0000",
      enableSessionRecording: true,
      sessionRecordingOptions: { sessionDetails: { sessionId: "s", tabId: "t" } },
      spacing: { bottom: "40px", side: "10px" },
    });
    const [initCall] = (await calls(page)).filter((c) => c.method === "init");
    expect(initCall?.args[0]).toMatchObject({
      app_id: "test-app",
      widget_alignment: "left",
      accent_color: "#ff0000",
      enable_session_recording: true,
      session_recording_options: { sessionDetails: { sessionId: "s", tabId: "t" } },
      spacing: { bottom: "40px", side: "10px" },
    });
  });

  it("switches user without a reload, carrying the recording session over", async () => {
    const page = await openPage("ada");
    await init(page);
    await page.evaluate(() => {
      (window as unknown as { marker: number }).marker = 42;
    });
    await page.evaluate(async () => {
      const w = window as unknown as PageWindow;
      document.cookie = "user=grace";
      await w.handle?.switchUser(w.plug.fetchSessionToken);
    });
    await expect.poll(() => launcher(page).textContent()).toBe("Support · Grace Hopper");
    expect(await page.evaluate(() => (window as unknown as { marker: number }).marker)).toBe(42);
    const log = await calls(page);
    const methods = log.map((c) => c.method).filter((m) => m !== "onEvent");
    expect(methods).toEqual(["init", "getSessionDetails", "shutdown", "init"]);
    const details = await page.evaluate(() => (window as unknown as PageWindow).plugSDK.getSessionDetails());
    expect(log.filter((c) => c.method === "init")[1]?.args[0]).toMatchObject({
      app_id: "test-app",
      session_recording_options: { sessionDetails: details },
    });
  });

  it("logs out with shutdown, and can init again afterwards", async () => {
    const page = await openPage("ada");
    await init(page);
    await page.evaluate(() => (window as unknown as PageWindow).handle?.logout());
    expect(await launcher(page).count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as PageWindow).plugSDK.isPlugInitialized)).toBe(false);
    expect(await init(page)).toEqual({ ok: true });
    await expect.poll(() => launcher(page).textContent()).toBe("Support · Ada Lovelace");
  });

  it("delivers events to onEvent listeners until they unsubscribe", async () => {
    const page = await openPage("ada");
    await init(page);
    const counts = await page.evaluate(() => {
      const w = window as unknown as PageWindow;
      let opened = 0;
      const stop = w.handle?.onEvent("ON_PLUG_WIDGET_OPENED", () => opened++);
      w.plugSDK.toggleWidget(true);
      w.plugSDK.toggleWidget(false);
      const before = opened;
      stop?.();
      w.plugSDK.toggleWidget(true);
      return { before, after: opened };
    });
    expect(counts).toEqual({ before: 1, after: 1 });
  });

  it("rejects clearly when the script 404s, and a later call can try again", async () => {
    const page = await openPage("ada");
    expect(await init(page, { sdk: { src: `${site.url}/missing/plug.js` } })).toMatchObject({
      ok: false,
      name: "PlugError",
      code: "load_failed",
      message: `the PLuG SDK did not load from ${site.url}/missing/plug.js`,
    });
    expect(await page.locator('script[src$="/missing/plug.js"]').count()).toBe(0);
    expect(await init(page)).toEqual({ ok: true });
  });

  it("rejects a script that loads but defines no window.plugSDK as a failed load, and a later call can try again", async () => {
    const page = await openPage("ada");
    await page.route("**/empty/plug.js", (route) =>
      route.fulfill({ contentType: "text/javascript", body: "window.ranEmpty = true;" }),
    );
    expect(await init(page, { sdk: { src: `${site.url}/empty/plug.js` } })).toMatchObject({
      ok: false,
      code: "load_failed",
      message: `the PLuG SDK did not load from ${site.url}/empty/plug.js`,
    });
    expect(await page.evaluate(() => (window as unknown as { ranEmpty?: boolean }).ranEmpty)).toBe(true);
    expect(await page.locator('script[src$="/empty/plug.js"]').count()).toBe(0);
    expect(await init(page)).toEqual({ ok: true });
  });

  it("rejects clearly when the script never loads, and a later call can try again", async () => {
    const page = await openPage("ada");
    expect(await init(page, { sdk: { src: `${site.url}/slow/plug.js`, timeoutMs: 300 } })).toMatchObject({
      ok: false,
      code: "load_timeout",
      message: `the PLuG SDK did not load from ${site.url}/slow/plug.js within 300 ms`,
    });
    expect(await init(page)).toEqual({ ok: true });
  });

  it("a retry after a timeout waits for the script still loading: one copy runs, not two", async () => {
    const page = await openPage("ada");
    const late = `${site.url}/late/plug.js`;
    expect(await init(page, { sdk: { src: late, timeoutMs: 300 } })).toMatchObject({ code: "load_timeout" });
    expect(await init(page, { sdk: { src: late, timeoutMs: 5_000 } })).toEqual({ ok: true });
    expect(await page.evaluate(() => (window as unknown as { __plugRuns: number }).__plugRuns)).toBe(1);
    expect(await page.locator('script[src$="/late/plug.js"]').count()).toBe(1);
  });

  it.each([
    "http://example.test/plug.js",
    "javascript:alert(1)",
    "data:text/javascript,window.plugSDK={}",
    "http://localhost.evil.example/x.js",
    // user-info that reads like a loopback host, in front of another host; a password is never echoed
    "http://localhost:1@evil.example/x.js",
    "http://127.0.0.1@evil.example/x.js",
    "https://user:secret@plug-platform.devrev.ai/static/plug.js",
  ])("refuses to load the SDK from %s: only https:, or http: on loopback, never with user-info", async (src) => {
    const page = await openPage("ada");
    expect(await init(page, { sdk: { src } })).toMatchObject({
      ok: false,
      name: "PlugError",
      code: "invalid_options",
      message: "the PLuG SDK must load over https: (or http: on loopback), without user-info",
    });
    expect(await page.locator("script[src]").count()).toBe(0);
  });

  it("under Trusted Types, a plain URL fails at once, and a policy makes it load", async () => {
    const page = await openPage("ada", "/?trusted-types");
    const started = Date.now();
    expect(await init(page)).toMatchObject({
      ok: false,
      code: "load_failed",
      message: expect.stringContaining("trustedTypesPolicy"),
    });
    expect(Date.now() - started).toBeLessThan(5_000);
    const result = await page.evaluate(async (sdk) => {
      const w = window as unknown as PageWindow & {
        trustedTypes: { createPolicy(name: string, rules: { createScriptURL(url: string): string }): unknown };
      };
      const policy = w.trustedTypes.createPolicy("plug", { createScriptURL: (url) => url });
      await w.plug.initPlug({ appId: "test-app", sdk: { src: sdk, trustedTypesPolicy: policy as never } });
      return w.plugSDK.isPlugInitialized;
    }, SDK);
    expect(result).toBe(true);
  });

  it("runs concurrent switchUser calls one after another, in order", async () => {
    const page = await openPage("ada");
    await init(page);
    const outcome = await page.evaluate(async () => {
      const w = window as unknown as PageWindow;
      const token = (user: string) => async () => {
        document.cookie = `user=${user}`;
        return w.plug.fetchSessionToken();
      };
      const results = await Promise.allSettled([
        w.handle?.switchUser(token("grace")),
        w.handle?.switchUser(token("ada")),
      ]);
      return results.map((r) => r.status);
    });
    expect(outcome).toEqual(["fulfilled", "fulfilled"]);
    const methods = (await calls(page)).map((c) => c.method).filter((m) => m !== "onEvent");
    expect(methods).toEqual(["init", "getSessionDetails", "shutdown", "init", "getSessionDetails", "shutdown", "init"]);
    await expect.poll(() => launcher(page).textContent()).toBe("Support · Ada Lovelace");
  });

  it("wraps an SDK failure in a PlugError, with the SDK's error as cause", async () => {
    const page = await openPage("ada");
    await init(page);
    const error = await page.evaluate(async () => {
      const w = window as unknown as PageWindow;
      w.plugSDK.shutdown = () => Promise.reject(new Error("widget frame gone"));
      try {
        await w.handle?.logout();
        return undefined;
      } catch (e) {
        const error = e as InstanceType<PageWindow["plug"]["PlugError"]>;
        return { name: error.name, code: error.code, message: error.message, cause: (error.cause as Error).message };
      }
    });
    expect(error).toEqual({
      name: "PlugError",
      code: "sdk_failed",
      message: "plugSDK failed: widget frame gone",
      cause: "widget frame gone",
    });
  });

  it("a second initPlug with other options says so instead of ignoring them", async () => {
    const page = await openPage("ada");
    await init(page);
    expect(await init(page, { widgetAlignment: "left" })).toMatchObject({
      ok: false,
      code: "invalid_options",
      message: "initPlug ran with other options: logout() first",
    });
  });

  it("with allowAnonymous, starts the widget for a signed-out visitor", async () => {
    const page = await openPage();
    expect(await init(page, { allowAnonymous: true })).toEqual({ ok: true });
    const [initCall] = (await calls(page)).filter((c) => c.method === "init");
    expect(initCall?.args[0]).not.toHaveProperty("session_token");
    await expect.poll(() => launcher(page).textContent()).toBe("Support · anonymous");
  });

  it("surfaces the token endpoint's failure with its status and body", async () => {
    const page = await openPage();
    expect(await init(page)).toEqual({
      ok: false,
      name: "PlugError",
      code: "session_failed",
      status: 401,
      body: { error: "unauthenticated" },
      message: "POST /api/plug/session answered 401 (unauthenticated)",
    });
    expect((await calls(page)).filter((c) => c.method === "init")).toHaveLength(0);
  });

  describe("the fake SDK behaves as the real one", () => {
    /** Loads the fake SDK into a blank page of the site, without the browser helper. */
    async function sdkPage(): Promise<{ page: Page; warnings: string[] }> {
      const page = await openPage();
      const warnings: string[] = [];
      page.on("console", (message) => {
        if (message.type() === "warning") warnings.push(message.text());
      });
      await page.addScriptTag({ url: SDK });
      return { page, warnings };
    }

    it("a second init only warns, and keeps the first", async () => {
      const { page, warnings } = await sdkPage();
      const outcome = await page.evaluate(() => {
        const sdk = (window as unknown as PageWindow).plugSDK;
        sdk.init({ app_id: "a", identity: { user_ref: "first" } });
        try {
          sdk.init({ app_id: "a", identity: { user_ref: "second" } });
          return "returned";
        } catch {
          return "threw";
        }
      });
      expect(outcome).toBe("returned");
      expect(await launcher(page).getAttribute("data-user")).toBe("first");
      await expect.poll(() => warnings.join("\n")).toContain("init() was already called");
    });

    it("continues the recording session init is given, and starts a new one otherwise", async () => {
      const { page } = await sdkPage();
      const details = await page.evaluate(async () => {
        const sdk = (window as unknown as PageWindow).plugSDK;
        sdk.init({ app_id: "a", session_recording_options: { sessionDetails: { sessionId: "s-1", tabId: "t-1" } } });
        const carried = sdk.getSessionDetails();
        await sdk.shutdown();
        sdk.init({ app_id: "a" });
        return { carried, fresh: sdk.getSessionDetails() };
      });
      expect(details.carried).toEqual({ sessionId: "s-1", tabId: "t-1" });
      expect(details.fresh.sessionId).not.toBe("s-1");
    });

    it("fires ON_OBSERVABILITY_READY after init without enable_session_recording, as DevRev's example expects; ON_SEARCH_AGENT_QUERY for a query only; __emit fires any documented event", async () => {
      const { page } = await sdkPage();
      const seen = await page.evaluate(async () => {
        const sdk = (window as unknown as PageWindow).plugSDK as PageWindow["plugSDK"] & {
          __emit(type: string, data?: unknown): void;
        };
        const events: { type: string; data?: unknown }[] = [];
        sdk.onEvent((event) => events.push(event));
        sdk.init({ app_id: "a" });
        await new Promise((resolve) => setTimeout(resolve, 10));
        sdk.toggleSearchAgent(true);
        const all = [
          "ON_PLUG_WIDGET_UNREAD_COUNT_CHANGE",
          "ON_CONVERSATION_START",
          "ON_SEARCH_AGENT_QUERY",
          "ON_OBSERVABILITY_READY",
        ];
        for (const type of all) sdk.__emit(type, { from: "test" });
        let unknown = "";
        try {
          sdk.__emit("ON_NOTHING");
        } catch (error) {
          unknown = (error as Error).message;
        }
        return { types: events.map((e) => e.type), last: events.at(-1), unknown };
      });
      expect(seen.types).toEqual([
        "ON_PLUG_WIDGET_READY",
        "ON_OBSERVABILITY_READY",
        "ON_PLUG_WIDGET_UNREAD_COUNT_CHANGE",
        "ON_CONVERSATION_START",
        "ON_SEARCH_AGENT_QUERY",
        "ON_OBSERVABILITY_READY",
      ]);
      // DevRev documents `type` alone in a payload; a test's extra fields are merged in, not wrapped in `data`.
      expect(seen.last).toEqual({ type: "ON_OBSERVABILITY_READY", from: "test" });
      expect(seen.unknown).toContain("unknown event ON_NOTHING");
    });

    it("init without app_id logs an error and stays down instead of throwing (DevRev documents no exception)", async () => {
      const { page } = await sdkPage();
      const errors: string[] = [];
      page.on("console", (message) => {
        if (message.type() === "error") errors.push(message.text());
      });
      const outcome = await page.evaluate(() => {
        const sdk = (window as unknown as PageWindow).plugSDK;
        sdk.init({} as never);
        return sdk.isPlugInitialized;
      });
      expect(outcome).toBe(false);
      await expect.poll(() => errors.join("\n")).toContain("needs app_id");
    });

    it("toggleWidget's events carry only their type, as documented", async () => {
      const { page } = await sdkPage();
      const events = await page.evaluate(async () => {
        const sdk = (window as unknown as PageWindow).plugSDK;
        const seen: unknown[] = [];
        sdk.onEvent((event) => seen.push(event));
        sdk.init({ app_id: "a" });
        sdk.toggleWidget(true, "create_conversation", { startConversationContent: "Hi" });
        sdk.toggleWidget(false);
        return seen;
      });
      expect(events).toEqual([{ type: "ON_PLUG_WIDGET_OPENED" }, { type: "ON_PLUG_WIDGET_CLOSED" }]);
    });

    it("enable_default_launcher: false hides the launcher; a custom launcher opens the widget", async () => {
      const { page } = await sdkPage();
      await page.evaluate(() => {
        const button = document.createElement("button");
        button.id = "help";
        document.body.append(button);
        (window as unknown as PageWindow).plugSDK.init({
          app_id: "a",
          enable_default_launcher: false,
          custom_launcher_selector: "#help",
        });
      });
      expect(await launcher(page).isHidden()).toBe(true);
      await page.click("#help");
      expect(await page.evaluate(() => (window as unknown as PageWindow).plugSDK.isWidgetOpen)).toBe(true);
    });
  });
});
