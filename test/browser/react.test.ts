import { readFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { browserTestsEnabled, launchChromium } from "../helpers/chromium.js";
import { ROOT } from "../helpers/cli.js";
import { type PageServer, startPageServer } from "../helpers/page-server.js";
import { initTokens, type PageWindow, sdkCalls } from "../helpers/plug-page.js";

type AppWindow = PageWindow & { app: { signIn(user: string | null): void; unmount(): void }; opened: number };

// The project's React (19) unless REACT_DIR names a folder with another installed
// (.ci/react18.sh installs React 18 there: the peer range covers both).
const reactDir = process.env.REACT_DIR ? join(process.env.REACT_DIR, "node_modules") : join(ROOT, "node_modules");
const reactVersion: string = JSON.parse(readFileSync(join(reactDir, "react/package.json"), "utf8")).version;

/** The test app with React's development build, the one that runs effects twice under <StrictMode>. */
async function bundleApp(): Promise<string> {
  const result = await build({
    alias: { react: join(reactDir, "react"), "react-dom": join(reactDir, "react-dom") },
    entryPoints: [`${ROOT}/test/browser/apps/react-app.ts`],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    define: { "process.env.NODE_ENV": '"development"' },
    write: false,
    logLevel: "silent",
  });
  return result.outputFiles[0]?.text ?? "";
}

const mockUrl = inject("devrevMockUrl");

describe.runIf(browserTestsEnabled("React browser tests"))(
  `PlugProvider in Chromium, React ${reactVersion} under StrictMode`,
  () => {
    let browser: Browser;
    let site: PageServer;

    beforeAll(async () => {
      [browser, site] = await Promise.all([
        launchChromium(),
        bundleApp().then((app) => startPageServer(mockUrl, { app })),
      ]);
    });
    afterAll(async () => {
      await browser?.close();
      await site?.close();
    });

    async function openApp(user: string | null, query = ""): Promise<Page> {
      const context = await browser.newContext();
      if (user) await context.addCookies([{ name: "user", value: user, url: site.url }]);
      const page = await context.newPage();
      const sdk = encodeURIComponent(`${mockUrl}/static/plug.js`);
      await page.goto(`${site.url}/app?sdk=${sdk}${user ? `&user=${user}` : ""}${query}`);
      return page;
    }
    const status = (page: Page) => page.locator("#status").textContent();
    const launcher = (page: Page) => page.locator("#plug-launcher").textContent();
    const signIn = (page: Page, user: string | null) =>
      page.evaluate((user) => (window as unknown as AppWindow).app.signIn(user), user);
    const methods = async (page: Page) => (await sdkCalls(page)).map((c) => c.method);

    it("initialises once after load, though StrictMode mounts twice", async () => {
      const page = await openApp("ada");
      await expect.poll(() => status(page)).toBe("ready");
      expect(await launcher(page)).toBe("Support · Ada Lovelace");
      expect(await methods(page)).toEqual(["init"]);
      expect(await page.evaluate(() => (window as unknown as PageWindow).plugSDK.isPlugInitialized)).toBe(true);
    });

    it("re-identifies when user changes: a fresh token, shutdown, init, keeping the recording session", async () => {
      const page = await openApp("ada");
      await expect.poll(() => status(page)).toBe("ready");
      await signIn(page, "grace");
      await expect.poll(() => launcher(page)).toBe("Support · Grace Hopper");
      expect(await methods(page)).toEqual(["init", "getSessionDetails", "shutdown", "init"]);
      await expect.poll(() => status(page)).toBe("ready");
    });

    it("shuts the widget down when user becomes null", async () => {
      const page = await openApp("ada");
      await expect.poll(() => status(page)).toBe("ready");
      await signIn(page, null);
      await expect.poll(() => status(page)).toBe("idle");
      expect(await page.locator("#plug-launcher").count()).toBe(0);
      expect(await methods(page)).toEqual(["init", "shutdown"]);
    });

    it("with allowAnonymous, signing out starts the widget anonymous", async () => {
      const page = await openApp("ada", "&anonymous");
      await expect.poll(() => status(page)).toBe("ready");
      await signIn(page, null);
      await expect.poll(() => launcher(page)).toBe("Support · anonymous");
      expect(await initTokens(page)).toEqual([expect.any(String), null]);
    });

    it("shuts the widget down on unmount", async () => {
      const page = await openApp("ada");
      await expect.poll(() => status(page)).toBe("ready");
      await page.evaluate(() => (window as unknown as AppWindow).app.unmount());
      await expect.poll(() => methods(page)).toEqual(["init", "shutdown"]);
      expect(await page.evaluate(() => (window as unknown as PageWindow).plugSDK.isPlugInitialized)).toBe(false);
    });

    it("rapid switches in a row end on the last user", async () => {
      const page = await openApp("ada");
      await expect.poll(() => status(page)).toBe("ready");
      await page.evaluate(async () => {
        const { app } = window as unknown as AppWindow;
        // Each in its own task, as separate clicks would be: a switch can be under way when the next comes.
        for (const user of ["grace", "ada", "grace", "ada", "grace"]) {
          app.signIn(user);
          await new Promise((resolve) => setTimeout(resolve, 0));
        }
      });
      await expect.poll(() => status(page)).toBe("ready");
      expect(await launcher(page)).toBe("Support · Grace Hopper");
      const inits = (await methods(page)).filter((m) => m === "init").length;
      expect(inits).toBeGreaterThanOrEqual(2);
      expect(inits).toBeLessThanOrEqual(6);
    });

    it("an endpoint failure gives status error with the PlugError", async () => {
      const page = await openApp(null, "&user=nobody");
      await expect.poll(() => status(page)).toBe("error");
      expect(await page.locator("#error").textContent()).toBe(
        "PlugError session_failed: POST /api/plug/session answered 401 (unauthenticated)",
      );
      expect(await methods(page)).toEqual([]);
      // A later sign-in recovers.
      await signIn(page, "ada");
      await expect.poll(() => status(page)).toBe("ready");
      expect(await launcher(page)).toBe("Support · Ada Lovelace");
    });

    it("usePlug's open() does nothing before ready, and useOnPlugEvent hears each event once", async () => {
      const page = await openApp(null, "&user=nobody");
      await expect.poll(() => status(page)).toBe("error");
      await page.click("#help"); // no widget: nothing happens, nothing throws
      await signIn(page, "ada");
      await expect.poll(() => status(page)).toBe("ready");
      await page.click("#help");
      expect(await page.evaluate(() => (window as unknown as PageWindow).plugSDK.isWidgetOpen)).toBe(true);
      expect(await page.evaluate(() => (window as unknown as AppWindow).opened)).toBe(1);
    });
  },
);
