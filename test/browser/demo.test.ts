import { type ChildProcess, spawn } from "node:child_process";
import { mkdir } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { browserTestsEnabled, launchChromium } from "../helpers/chromium.js";
import { ROOT } from "../helpers/cli.js";

const SCREENSHOTS = join(ROOT, "test/browser/screenshots");

/** Runs `npm start`'s program with the given flags; resolves once both URLs are printed. */
function startDemo(args: string[]) {
  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", join(ROOT, "examples/demo/cli.ts"), ...args],
    {
      cwd: ROOT,
      // The demo runs against the mock unless DEVREV_AAT is set.
      env: Object.fromEntries(Object.entries(process.env).filter(([key]) => key !== "DEVREV_AAT")),
    },
  );
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (c) => (stdout += c));
  child.stderr?.on("data", (c) => (stderr += c));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const ready = new Promise<{ demo: string; mock: string }>((resolve, reject) => {
    child.stdout?.on("data", () => {
      const demo = /Demo:\s+(\S+)/.exec(stdout)?.[1];
      const mock = /Mock:\s+(\S+)/.exec(stdout)?.[1];
      if (demo && mock) resolve({ demo, mock });
    });
    void exited.then((code) => reject(new Error(`exited ${code}: ${stderr}`)));
  });
  ready.catch(() => {}); // a test that expects an early exit awaits `exited` instead
  return { child, ready, exited, output: () => ({ stdout, stderr }) };
}

describe.runIf(browserTestsEnabled("demo browser tests"))("npm start: the demo in Chromium", () => {
  let browser: Browser;
  let demo: ReturnType<typeof startDemo>;
  let urls: { demo: string; mock: string };
  let page: Page;
  const received: string[] = [];

  beforeAll(async () => {
    demo = startDemo(["--port", "0", "--mock-port", "0"]);
    [browser, urls] = await Promise.all([launchChromium(), demo.ready]);
    page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    page.on("response", async (response) => received.push(await response.text().catch(() => "")));
    await page.goto(urls.demo);
  });
  afterAll(async () => {
    await browser?.close();
    if (demo?.child.exitCode === null) demo.child.kill("SIGKILL");
  });

  const launcher = () => page.locator("#plug-launcher");

  it("signs in and shows the identified user in the widget, with the request and claims", async () => {
    await page.click("#submit");
    await expect.poll(() => launcher().textContent()).toBe("Support · Ada Lovelace");
    expect(await page.textContent("#status")).toBe("Signed in as ada.");
    const request = JSON.parse((await page.textContent("#request")) ?? "null");
    expect(request).toMatchObject({
      method: "POST",
      url: `${urls.mock}/auth-tokens.create`,
      headers: { authorization: "[REDACTED]" },
      body: { rev_info: { user_ref: "ada", user_traits: { display_name: "Ada Lovelace", email: "ada@acme.example" } } },
    });
    expect(JSON.parse((await page.textContent("#claims")) ?? "null")).toMatchObject({
      sub: expect.stringMatching(/^don:identity:dvrv-us-1:devo\/0:revo\/\d+:revu\/\d+$/),
      "http://devrev.ai/displayname": "Ada Lovelace",
      "http://devrev.ai/email": "ada@acme.example",
    });
    await mkdir(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, "demo-signed-in.png"), fullPage: true });
  });

  it("switches user without a reload", async () => {
    await page.evaluate(() => {
      (window as unknown as { marker: string }).marker = "same page";
    });
    await page.fill("#user_ref", "grace");
    await page.fill("#display_name", "Grace Hopper");
    await page.fill("#email", "grace@acme.example");
    await page.fill("#account_ref", "navy");
    await page.fill("#domain", "navy.example");
    await page.click("#submit");
    await expect.poll(() => launcher().textContent()).toBe("Support · Grace Hopper");
    expect(await page.evaluate(() => (window as unknown as { marker: string }).marker)).toBe("same page");
    expect(JSON.parse((await page.textContent("#request")) ?? "null").body.rev_info).toMatchObject({
      user_ref: "grace",
      account_ref: "navy",
      account_traits: { domains: ["navy.example"] },
    });
  });

  it("shows each visitor only their own last call", async () => {
    const other = await browser.newPage();
    try {
      await other.goto(urls.demo);
      const seen = await other.evaluate(async () => (await fetch("/demo/last-call")).json());
      expect(seen).toBeNull();
    } finally {
      await other.close();
    }
    const own = await page.evaluate(async () => (await fetch("/demo/last-call")).json());
    expect(own).toMatchObject({ body: { rev_info: { user_ref: "grace" } } });
  });

  it("shows the library's validation error for bad input and keeps the current user", async () => {
    // DevRev's email is free text, so the bad input is an empty user_ref and a domain with a scheme.
    await page.fill("#user_ref", "");
    await page.fill("#domain", "https://navy.example");
    await page.click("#submit");
    await expect
      .poll(() => page.textContent("#status"))
      .toBe(
        "Invalid input: rev_info.user_ref must not be empty: give the site's own ID for the user, such as user-123; " +
          "rev_info.account_traits.domains[0] must be a bare domain such as acme.example, without https://, www., a port or a path",
      );
    expect(await page.getAttribute("#status", "class")).toBe("error");
    expect(await launcher().textContent()).toBe("Support · Grace Hopper");
    // The backend still signs in Grace, as the widget shows, and no stale panel remains.
    const claims = await page.evaluate(async () => {
      const { session_token } = await (await fetch("/api/plug/session", { method: "POST" })).json();
      return JSON.parse(atob(session_token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
    });
    expect(claims["http://devrev.ai/displayname"]).toBe("Grace Hopper");
    expect(await page.textContent("#request")).toBe("nothing yet");
    expect(await page.textContent("#claims")).toBe("nothing yet");
    await page.screenshot({ path: join(SCREENSHOTS, "demo-invalid-input.png"), fullPage: true });
  });

  it("refuses a sign-in body over its size limit", async () => {
    const status = await page.evaluate(
      async () => (await fetch("/demo/sign-in", { method: "POST", body: "user_ref=".padEnd(100_000, "x") })).status,
    );
    expect(status).toBe(413);
  });

  it("signs out with shutdown", async () => {
    await page.click("#sign-out");
    await expect.poll(() => page.textContent("#status"), { timeout: 5_000 }).toBe("Signed out.");
    expect(await launcher().count()).toBe(0);
    expect(await page.textContent("#request")).toBe("nothing yet");
    expect(
      await page.evaluate(
        () => (window as unknown as { plugSDK: { isPlugInitialized: boolean } }).plugSDK.isPlugInitialized,
      ),
    ).toBe(false);
  });

  it("never sends the AAT to the page", () => {
    expect(received.length).toBeGreaterThan(5);
    expect(received.join("\n")).not.toContain("mock-aat");
  });

  it("stops both servers cleanly on SIGTERM", async () => {
    demo.child.kill("SIGTERM");
    expect(await demo.exited).toBe(0);
    expect(demo.output().stdout).toContain("stopped");
    await expect(fetch(urls.demo)).rejects.toThrow();
    await expect(fetch(`${urls.mock}/static/plug.js`)).rejects.toThrow();
  });
});

describe("npm start", () => {
  it("says clearly when the demo port is taken, and leaves nothing running", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const demo = startDemo(["--port", String(port), "--mock-port", "0"]);
      expect(await demo.exited).toBe(1);
      expect(demo.output().stderr).toBe(
        `error: port ${port} on 127.0.0.1 is already in use: stop whatever holds it, or pass --port\n`,
      );
    } finally {
      blocker.close();
    }
  });

  it("names --mock-port when the mock's port is taken", async () => {
    const mockPort = new URL(inject("devrevMockUrl")).port;
    const demo = startDemo(["--port", "0", "--mock-port", mockPort]);
    expect(await demo.exited).toBe(1);
    expect(demo.output().stderr).toBe(
      `error: the mock's port ${mockPort} on 127.0.0.1 is already in use: stop whatever holds it, or pass --mock-port with another\n`,
    );
  });
});
