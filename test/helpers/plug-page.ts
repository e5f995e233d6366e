import type { Browser, BrowserContext, Page } from "playwright-core";
import { expect } from "vitest";
import { launchChromium } from "./chromium.js";
import { type PageServer, startPageServer } from "./page-server.js";
import { TEST_AAT } from "./tokens.js";

/** The page's view of the browser entry and the fake SDK, for page.evaluate. */
export type PageWindow = Window & {
  plug: typeof import("../../src/browser/index.js");
  handle?: import("../../src/browser/index.js").PlugHandle;
  plugSDK: import("../../src/browser/index.js").PlugSDK & {
    __calls: { method: string; args: unknown[] }[];
    __emit(type: string, fields?: Record<string, unknown>): void;
  };
};

/** A PlugError's fields as a page reports them, or `{ ok: true }`. */
export type Outcome =
  | { ok: true }
  | { ok: false; name: string; code?: string; status?: number; body?: unknown; message: string };

/**
 * Chromium and the test site (`startPageServer`) for a browser suite: pages
 * signed in by cookie, `initPlug` run in them, and what the fake SDK saw.
 */
export function plugPages(mockUrl: string) {
  const sdkUrl = `${mockUrl}/static/plug.js`;
  let browser: Browser;
  let site: PageServer;
  const contexts: BrowserContext[] = [];
  const received: string[] = [];

  return {
    sdkUrl,
    get site() {
      return site;
    },
    async start() {
      [browser, site] = await Promise.all([launchChromium(), startPageServer(mockUrl)]);
    },
    async stop() {
      await Promise.all(contexts.map((c) => c.close()));
      await browser?.close();
      await site?.close();
      // Everything the pages received over the whole suite, checked once.
      expect(received.join("\n")).not.toContain(TEST_AAT);
    },
    /** A fresh page of the site; `clock` installs Playwright's fake clock before it loads. */
    async open(user?: string, options: { clock?: boolean } = {}): Promise<Page> {
      const context = await browser.newContext();
      contexts.push(context);
      if (user) await context.addCookies([{ name: "user", value: user, url: site.url }]);
      const page = await context.newPage();
      if (options.clock) await page.clock.install();
      page.on("response", async (response) => received.push(await response.text().catch(() => "")));
      await page.goto(site.url);
      await page.waitForFunction(() => Boolean((window as unknown as PageWindow).plug));
      return page;
    },
    /** Runs initPlug in the page (the mock's fake SDK unless `sdk` says otherwise) and stores the handle. */
    init(page: Page, options: Record<string, unknown> = {}): Promise<Outcome> {
      return page.evaluate(
        async ({ sdk, options }) => {
          const w = window as unknown as PageWindow;
          try {
            w.handle = await w.plug.initPlug({ appId: "test-app", sdk: { src: sdk }, ...options });
            return { ok: true as const };
          } catch (e) {
            const error = e as InstanceType<PageWindow["plug"]["PlugError"]>;
            return { ok: false as const, ...fieldsOf(error) };
          }
          function fieldsOf(error: InstanceType<PageWindow["plug"]["PlugError"]>) {
            const { name, code, status, body, message } = error;
            return { name, code, status, body, message };
          }
        },
        { sdk: sdkUrl, options },
      );
    },
  };
}

/** The fake SDK's calls, other than onEvent. */
export async function sdkCalls(page: Page): Promise<{ method: string; args: unknown[] }[]> {
  const calls = await page.evaluate(() => (window as unknown as PageWindow).plugSDK.__calls);
  return calls.filter((c) => c.method !== "onEvent");
}

/** The session tokens the fake SDK was initialised with, in order (`null` for none). */
export async function initTokens(page: Page): Promise<(string | null)[]> {
  return (await sdkCalls(page))
    .filter((c) => c.method === "init")
    .map((c) => (c.args[0] as { session_token?: string }).session_token ?? null);
}
