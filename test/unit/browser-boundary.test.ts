import { describe, expect, it } from "vitest";
import { bundleBrowserEntry } from "../helpers/browser-bundle.js";

describe("the browser entry", () => {
  it("bundles with no server code, no DevRev API call and no secret-bearing header", async () => {
    const code = await bundleBrowserEntry();
    for (const forbidden of [
      "auth-tokens",
      "api.devrev.ai",
      "Authorization",
      "openapi-fetch",
      "createDevRevClient",
      "createSessionTokenHandler",
      "DEVREV_AAT",
      "node:",
      "process.env",
    ]) {
      expect(code, `bundle contains ${forbidden}`).not.toContain(forbidden);
    }
    expect(code).toContain("/api/plug/session");
    expect(code).toContain("plug-platform.devrev.ai/static/plug.js");
  });

  it("touches no browser global at import time, so it is safe under SSR", async () => {
    const module = await import("../../src/browser/index.js");
    expect(typeof module.initPlug).toBe("function");
    expect(typeof (globalThis as { window?: unknown }).window).toBe("undefined");
    await expect(module.loadPlugSdk()).rejects.toThrow("the PLuG SDK needs a browser");
  });
});
