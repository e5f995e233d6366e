import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { browserTestsEnabled } from "../helpers/chromium.js";
import { initTokens, type PageWindow, plugPages, sdkCalls } from "../helpers/plug-page.js";

type RefreshWindow = PageWindow & {
  /** How many times getSessionToken ran. */
  fetches: number;
  /** How many of the next fetches fail. */
  failing: number;
};

const mockUrl = inject("devrevMockUrl");
const MINUTE = 60_000;

describe.runIf(browserTestsEnabled("browser tests"))("initPlug refreshes the session token before it expires", () => {
  const pages = plugPages(mockUrl);
  beforeAll(() => pages.start());
  afterAll(() => pages.stop());

  /**
   * A page under Playwright's fake clock whose getSessionToken hands out
   * `token-1`, `token-2`, ... each living `lifetimeMs` from when it is fetched.
   * Once the widget is up the clock stands still: only the test moves it
   * (`fastForward` fires what falls due; `runFor(1)` lets the fake SDK's
   * ready event through after a re-init).
   */
  async function start(lifetimeMs: number, options: { refreshBeforeMs?: number } = {}): Promise<Page> {
    const page = await pages.open(undefined, { clock: true });
    await page.evaluate(
      async ({ sdk, lifetimeMs, options }) => {
        const w = window as unknown as RefreshWindow;
        w.fetches = 0;
        w.failing = 0;
        w.handle = await w.plug.initPlug({
          appId: "test-app",
          sdk: { src: sdk },
          ...options,
          getSessionToken: async () => {
            w.fetches++;
            if (w.failing > 0) {
              w.failing--;
              throw new Error("endpoint down");
            }
            return { session_token: `token-${w.fetches}`, expires_at: new Date(Date.now() + lifetimeMs).toISOString() };
          },
        });
      },
      { sdk: pages.sdkUrl, lifetimeMs, options },
    );
    await pause(page);
    return page;
  }
  // A few seconds ahead: the page's clock keeps running until the call lands.
  const pause = async (page: Page) => page.clock.pauseAt((await page.evaluate(() => Date.now())) + 5_000);
  const fetches = (page: Page) => page.evaluate(() => (window as unknown as RefreshWindow).fetches);

  it("fetches a fresh token refreshBeforeMs before expiry and re-inits, keeping the recording session", async () => {
    const page = await start(10 * MINUTE);
    const details = await page.evaluate(() => (window as unknown as PageWindow).plugSDK.getSessionDetails());
    await page.clock.fastForward(9 * MINUTE);
    expect(await fetches(page)).toBe(1);
    await page.clock.fastForward(31_000); // past 10 min - 30 s
    await expect.poll(() => initTokens(page)).toEqual(["token-1", "token-2"]);
    await page.clock.runFor(1);
    const calls = await page.evaluate(() => (window as unknown as PageWindow).plugSDK.__calls);
    const second = calls.filter((c) => c.method === "init")[1]?.args[0];
    expect(second).toMatchObject({ app_id: "test-app", session_recording_options: { sessionDetails: details } });
    // And again for the fresh token.
    await page.clock.fastForward(10 * MINUTE);
    await expect.poll(() => initTokens(page)).toEqual(["token-1", "token-2", "token-3"]);
  });

  it("refreshes a short-lived token at half its lifetime, so it cannot loop", async () => {
    const page = await start(10 * MINUTE, { refreshBeforeMs: 60 * MINUTE });
    await page.clock.fastForward(4 * MINUTE);
    expect(await fetches(page)).toBe(1);
    await page.clock.fastForward(MINUTE + 1_000);
    await expect.poll(() => initTokens(page)).toEqual(["token-1", "token-2"]);
  });

  it("never interrupts an open widget: the refresh waits for ON_PLUG_WIDGET_CLOSED", async () => {
    const page = await start(10 * MINUTE);
    await page.evaluate(() => (window as unknown as PageWindow).plugSDK.toggleWidget(true));
    await page.clock.fastForward(11 * MINUTE); // past expiry, even
    expect(await fetches(page)).toBe(1);
    expect(await initTokens(page)).toEqual(["token-1"]);
    await page.evaluate(() => (window as unknown as PageWindow).plugSDK.toggleWidget(false));
    await expect.poll(() => initTokens(page)).toEqual(["token-1", "token-2"]);
  });

  it("a failed refresh keeps the widget up and retries with growing waits", async () => {
    const page = await start(10 * MINUTE);
    await page.evaluate(() => {
      (window as unknown as RefreshWindow).failing = 2;
    });
    await page.clock.fastForward(9 * MINUTE + 31_000);
    await expect.poll(() => fetches(page)).toBe(2); // failed
    expect(await page.evaluate(() => (window as unknown as PageWindow).plugSDK.isPlugInitialized)).toBe(true);
    await page.clock.fastForward(1_000); // refreshRetryMs
    await expect.poll(() => fetches(page)).toBe(3); // failed again
    await page.clock.fastForward(1_000); // the wait doubled: not yet
    expect(await fetches(page)).toBe(3);
    await page.clock.fastForward(1_000);
    await expect.poll(() => initTokens(page)).toEqual(["token-1", "token-4"]);
    expect(await page.locator("#plug-launcher").count()).toBe(1);
  });

  it("a refresh that gets the same token back does not re-init, and tries again later", async () => {
    const page = await pages.open(undefined, { clock: true });
    await page.evaluate(async (sdk) => {
      const w = window as unknown as RefreshWindow;
      w.fetches = 0;
      const expires_at = new Date(Date.now() + 10 * 60_000).toISOString();
      w.handle = await w.plug.initPlug({
        appId: "test-app",
        sdk: { src: sdk },
        getSessionToken: async () => {
          w.fetches++;
          return { session_token: "same-token", expires_at };
        },
      });
    }, pages.sdkUrl);
    await pause(page);
    await page.clock.fastForward(9 * MINUTE + 31_000);
    await expect.poll(() => fetches(page)).toBe(2);
    await page.clock.fastForward(1_000);
    await expect.poll(() => fetches(page)).toBe(3);
    expect(await initTokens(page)).toEqual(["same-token"]);
  });

  it("stops refreshing on logout", async () => {
    const page = await start(10 * MINUTE);
    await page.evaluate(() => (window as unknown as PageWindow).handle?.logout());
    await page.clock.fastForward(20 * MINUTE);
    expect(await fetches(page)).toBe(1);
    expect(await initTokens(page)).toEqual(["token-1"]);
  });

  it("a logout while a refresh is fetching wins: the fetched token is dropped, not initialised", async () => {
    const page = await pages.open(undefined, { clock: true });
    await page.evaluate(async (sdk) => {
      const w = window as unknown as RefreshWindow & { release?: () => void };
      w.fetches = 0;
      w.handle = await w.plug.initPlug({
        appId: "test-app",
        sdk: { src: sdk },
        getSessionToken: async () => {
          const n = ++w.fetches;
          if (n === 2) await new Promise<void>((resolve) => (w.release = resolve));
          return { session_token: `token-${n}`, expires_at: new Date(Date.now() + 10 * 60_000).toISOString() };
        },
      });
    }, pages.sdkUrl);
    await pause(page);
    await page.clock.fastForward(9 * MINUTE + 31_000);
    await expect.poll(() => fetches(page)).toBe(2);
    await page.evaluate(async () => {
      const w = window as unknown as RefreshWindow & { release: () => void };
      const loggedOut = w.handle?.logout();
      w.release();
      await loggedOut;
    });
    expect(await initTokens(page)).toEqual(["token-1"]);
    expect((await sdkCalls(page)).at(-1)?.method).toBe("shutdown");
  });

  it("after switchUser, refreshes through the new user's token source only", async () => {
    const page = await start(10 * MINUTE);
    await page.evaluate(() => {
      const w = window as unknown as RefreshWindow & { bobFetches: number; switched?: Promise<void> };
      w.bobFetches = 0;
      w.switched = w.handle?.switchUser(async () => {
        w.bobFetches++;
        return { session_token: `bob-${w.bobFetches}`, expires_at: new Date(Date.now() + 10 * 60_000).toISOString() };
      });
    });
    await expect.poll(() => initTokens(page)).toEqual(["token-1", "bob-1"]);
    await page.clock.runFor(1);
    await page.evaluate(() => (window as unknown as { switched: Promise<void> }).switched);
    await page.clock.fastForward(9 * MINUTE + 31_000);
    await expect.poll(() => initTokens(page)).toEqual(["token-1", "bob-1", "bob-2"]);
    expect(await fetches(page)).toBe(1);
  });
});
