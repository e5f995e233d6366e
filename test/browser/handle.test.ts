import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { browserTestsEnabled } from "../helpers/chromium.js";
import { type PageWindow, plugPages, sdkCalls } from "../helpers/plug-page.js";

/** An unsigned token the fake SDK reads a display name from, as it reads the mock's. */
function fakeToken(name: string): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part({ alg: "none" })}.${part({ sub: `don:${name}`, "http://devrev.ai/displayname": name })}.`;
}

/** Answers `path` on the page's origin with `status` and a JSON `body` (or never, for `"hang"`). */
async function endpoint(page: Page, path: string, answer: { status: number; body: unknown } | "hang") {
  await page.route(`**${path}`, (route) =>
    answer === "hang"
      ? undefined
      : route.fulfill({ status: answer.status, contentType: "application/json", body: JSON.stringify(answer.body) }),
  );
}

const mockUrl = inject("devrevMockUrl");

describe.runIf(browserTestsEnabled("browser tests"))("initPlug's handle and options in Chromium", () => {
  const pages = plugPages(mockUrl);
  beforeAll(() => pages.start());
  afterAll(() => pages.stop());
  const launcher = (page: Page) => page.locator("#plug-launcher");

  it("a logged-out handle is dead: Alice's late switchUser rejects, never reaches the SDK, and Bob stays", async () => {
    const page = await pages.open("ada");
    expect(await pages.init(page)).toEqual({ ok: true });
    await page.evaluate(async () => {
      const w = window as unknown as PageWindow & { alice?: PageWindow["handle"]; opened: number };
      w.alice = w.handle;
      w.opened = 0;
      w.alice?.onEvent("ON_PLUG_WIDGET_OPENED", () => w.opened++);
      await w.alice?.logout();
      document.cookie = "user=grace";
    });
    expect(await pages.init(page)).toEqual({ ok: true });
    await expect.poll(() => launcher(page).textContent()).toBe("Support · Grace Hopper");
    const before = (await sdkCalls(page)).length;

    const late = await page.evaluate(async () => {
      const w = window as unknown as PageWindow & { alice: NonNullable<PageWindow["handle"]>; opened: number };
      document.cookie = "user=ada";
      const outcome = async (call: () => Promise<void>) =>
        call().then(
          () => "resolved",
          (error) => `${error.name} ${error.code}: ${error.message}`,
        );
      const results = [
        await outcome(() => w.alice.switchUser(w.plug.fetchSessionToken)),
        await outcome(() => w.alice.logout()),
      ];
      w.plugSDK.toggleWidget(true);
      return { results, opened: w.opened };
    });
    expect(late.results).toEqual([
      "PlugError logged_out: this PlugHandle was logged out: call initPlug again",
      "PlugError logged_out: this PlugHandle was logged out: call initPlug again",
    ]);
    // Alice's listener went with her handle.
    expect(late.opened).toBe(0);
    expect((await sdkCalls(page)).slice(before).map((c) => c.method)).toEqual(["toggleWidget"]);
    expect(await launcher(page).textContent()).toBe("Support · Grace Hopper");
  });

  it("switchUser() without a token, or with an empty one, rejects; switchUser(null) asks for an anonymous session", async () => {
    const page = await pages.open("ada");
    await pages.init(page);
    const missing = await page.evaluate(() =>
      (window as unknown as PageWindow).handle?.switchUser(undefined as never).then(
        () => "resolved",
        (error) => `${error.code}: ${error.message}`,
      ),
    );
    expect(missing).toBe("invalid_options: switchUser needs a token source, or null");
    const empty = await page.evaluate(() =>
      (window as unknown as PageWindow).handle?.switchUser("").then(
        () => "resolved",
        (error) => `${error.code}: ${error.message}`,
      ),
    );
    expect(empty).toBe("session_failed: no session_token");
    await expect.poll(() => launcher(page).textContent()).toBe("Support · Ada Lovelace");
    await page.evaluate(() => (window as unknown as PageWindow).handle?.switchUser(null));
    expect(await launcher(page).textContent()).toBe("Support · anonymous");
  });

  it("asks the session endpoint at the path given, and reads its whole answer", async () => {
    const page = await pages.open();
    await endpoint(page, "/auth/plug-token", { status: 200, body: { session_token: fakeToken("Routed Rita") } });
    expect(await pages.init(page, { session: { path: "/auth/plug-token" } })).toEqual({ ok: true });
    await expect.poll(() => launcher(page).textContent()).toBe("Support · Routed Rita");
  });

  it("a session endpoint that never answers rejects after session.timeoutMs instead of pending forever", async () => {
    const page = await pages.open("ada");
    await endpoint(page, "/hang", "hang");
    expect(await pages.init(page, { session: { path: "/hang", timeoutMs: 200 } })).toMatchObject({
      ok: false,
      name: "PlugError",
      code: "session_failed",
      message: "POST /hang failed: signal timed out",
    });
    expect(await sdkCalls(page)).toEqual([]);
  });

  it("a 401 whose body is null starts an anonymous session under allowAnonymous, and is a session_failed without", async () => {
    const page = await pages.open();
    await endpoint(page, "/null-401", { status: 401, body: null });
    expect(await pages.init(page, { session: { path: "/null-401" } })).toMatchObject({
      ok: false,
      code: "session_failed",
      status: 401,
      body: null,
      message: "POST /null-401 answered 401",
    });
    expect(await pages.init(page, { session: { path: "/null-401" }, allowAnonymous: true })).toEqual({ ok: true });
    await expect.poll(() => launcher(page).textContent()).toBe("Support · anonymous");
  });

  it("bad options reject (never throw): a BigInt, an empty appId", async () => {
    const page = await pages.open("ada");
    const outcome = await page.evaluate(async (sdk) => {
      const w = window as unknown as PageWindow;
      const settle = (start: () => Promise<unknown>) => {
        let pending: Promise<unknown>;
        try {
          pending = start();
        } catch (error) {
          return Promise.resolve(`threw ${(error as Error).message}`);
        }
        return pending.then(
          () => "resolved",
          (error) => `${error.code}: ${error.message}`,
        );
      };
      return [
        await settle(() => w.plug.initPlug({ appId: "test-app", sdk: { src: sdk }, spacing: { bottom: 1n as never } })),
        await settle(() => w.plug.initPlug({ appId: "", sdk: { src: sdk } })),
      ];
    }, pages.sdkUrl);
    expect(outcome).toEqual([
      "invalid_options: bottom is a BigInt",
      "invalid_options: appId must be a non-empty string",
    ]);
    // Refused before anything loaded.
    expect(await page.evaluate(() => "plugSDK" in window)).toBe(false);
  });

  describe("unverified identity (DevRev's beta)", () => {
    it("starts the widget unverified from `identity`, without asking the session endpoint", async () => {
      const page = await pages.open("ada");
      const asked: string[] = [];
      page.on("request", (request) => asked.push(new URL(request.url()).pathname));
      const identity = { user_ref: "visitor-7", user_traits: { display_name: "Visitor Seven" } };
      expect(await pages.init(page, { identity })).toEqual({ ok: true });
      await expect.poll(() => launcher(page).textContent()).toBe("Support · Visitor Seven");
      expect(await launcher(page).getAttribute("data-verified")).toBe("false");
      expect((await sdkCalls(page)).find((c) => c.method === "init")?.args[0]).toEqual({
        app_id: "test-app",
        identity,
      });
      expect(asked).not.toContain("/api/plug/session");
    });

    it("refuses to identify a user_ref unverified that this page identified with a session token", async () => {
      const page = await pages.open();
      await endpoint(page, "/verified", {
        status: 200,
        body: { session_token: fakeToken("Uma Verified"), user_ref: "uma" },
      });
      expect(await pages.init(page, { session: { path: "/verified" } })).toEqual({ ok: true });
      await page.evaluate(() => (window as unknown as PageWindow).handle?.logout());
      expect(await pages.init(page, { identity: { user_ref: "uma" } })).toMatchObject({
        ok: false,
        code: "invalid_options",
        message: "user_ref uma was already identified the other way",
      });
      expect((await sdkCalls(page)).filter((c) => c.method === "init")).toHaveLength(1);
    });

    it("refuses to switch to a session token for a user_ref this page identified unverified; the visitor stays", async () => {
      const page = await pages.open();
      await endpoint(page, "/verified", { status: 200, body: { session_token: fakeToken("Vic"), user_ref: "vic" } });
      expect(await pages.init(page, { identity: { user_ref: "vic" } })).toEqual({ ok: true });
      const outcome = await page.evaluate(() => {
        const w = window as unknown as PageWindow;
        return w.handle
          ?.switchUser(() => w.plug.fetchSessionToken({ path: "/verified" }))
          .then(
            () => "resolved",
            (error) => `${error.code}: ${error.message}`,
          );
      });
      expect(outcome).toBe("invalid_options: user_ref vic was already identified the other way");
      expect(await launcher(page).getAttribute("data-user")).toBe("vic");
      expect((await sdkCalls(page)).map((c) => c.method)).toEqual(["init"]);
    });
  });
});
