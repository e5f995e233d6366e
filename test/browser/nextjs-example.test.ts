import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { browserTestsEnabled, launchChromium } from "../helpers/chromium.js";
import { sdkCalls } from "../helpers/plug-page.js";
import { TEST_AAT } from "../helpers/tokens.js";

// examples/nextjs, installed from the packed package and built by .ci/nextjs-example.sh, which
// runs this file with the folder in NEXTJS_EXAMPLE_DIR. Without it (a plain `npm test`) there is
// nothing built to drive.
const dir = process.env.NEXTJS_EXAMPLE_DIR;
const mockUrl = inject("devrevMockUrl");

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

describe.runIf(dir && browserTestsEnabled("Next.js example browser tests"))("the Next.js example in Chromium", () => {
  let browser: Browser;
  let next: ChildProcess;
  let url: string;
  let page: Page;
  const received: string[] = [];

  beforeAll(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    next = spawn(
      process.execPath,
      [join(dir ?? "", "node_modules/next/dist/bin/next"), "start", "-H", "127.0.0.1", "-p", String(port)],
      {
        cwd: dir,
        env: {
          ...process.env,
          NEXT_TELEMETRY_DISABLED: "1",
          SESSION_SECRET: randomBytes(32).toString("hex"),
          DEVREV_AAT: TEST_AAT,
          DEVREV_BASE_URL: mockUrl,
          PLUG_APP_ID: "example-app",
          PLUG_SDK_URL: `${mockUrl}/static/plug.js`,
        },
      },
    );
    let output = "";
    const ready = new Promise<void>((resolve, reject) => {
      const read = (chunk: Buffer) => {
        output += chunk;
        if (/Ready in/i.test(output)) resolve();
      };
      next.stdout?.on("data", read);
      next.stderr?.on("data", read);
      next.on("exit", (code) => reject(new Error(`next start exited ${code}: ${output}`)));
    });
    browser = await launchChromium();
    await ready;
    page = await browser.newPage();
    page.on("response", async (response) => received.push(await response.text().catch(() => "")));
    await page.goto(url);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    next?.kill();
    expect(received.join("\n")).not.toContain(TEST_AAT);
  });

  const launcher = () => page.locator("#plug-launcher");
  const plugStatus = () => page.locator("#plug-status").textContent();

  it("starts signed out, with no widget", async () => {
    expect(await page.locator("#who").textContent()).toBe("Signed out");
    expect(await plugStatus()).toBe("PLuG: idle");
    expect(await launcher().count()).toBe(0);
  });

  it("signs in: the widget starts for the verified user", async () => {
    await page.evaluate(() => {
      (window as unknown as { marker: number }).marker = 1;
    });
    await page.click("#sign-in-ada");
    await expect.poll(() => launcher().textContent()).toBe("Support · Ada Lovelace");
    expect(await page.locator("#who").textContent()).toBe("Signed in as Ada Lovelace");
    await expect.poll(plugStatus).toBe("PLuG: ready");
    expect((await sdkCalls(page)).map((c) => c.method)).toEqual(["init"]);
  });

  it("switches user without a reload, keeping one widget", async () => {
    await page.click("#sign-in-grace");
    await expect.poll(() => launcher().textContent()).toBe("Support · Grace Hopper");
    expect((await sdkCalls(page)).map((c) => c.method)).toEqual(["init", "getSessionDetails", "shutdown", "init"]);
    expect(await page.evaluate(() => (window as unknown as { marker: number }).marker)).toBe(1);
  });

  it("signs out: the widget shuts down", async () => {
    await page.click("#sign-out");
    await expect.poll(() => launcher().count()).toBe(0);
    await expect.poll(plugStatus).toBe("PLuG: idle");
    expect(await page.locator("#who").textContent()).toBe("Signed out");
  });

  it("the session route trusts only the signed cookie: a forged one gets 401", async () => {
    const forged = await page.evaluate(async () => {
      document.cookie = "session=ada.forged";
      return (await fetch("/api/plug/session", { method: "POST" })).status;
    });
    expect(forged).toBe(401);
  });
});
