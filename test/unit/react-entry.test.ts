import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { createElement as h } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { PlugProvider, usePlug } from "../../src/react/index.js";
import { ROOT } from "../helpers/cli.js";

describe("the React entry", () => {
  it("renders on the server without touching window: idle, no SDK, controls that do nothing", () => {
    const seen: unknown[] = [];
    function Child() {
      const plug = usePlug();
      plug.open();
      seen.push({ status: plug.status, sdk: plug.sdk, error: plug.error });
      return h("p", null, plug.status);
    }
    const html = renderToString(h(PlugProvider, { appId: "app", user: "ada" }, h(Child)));
    expect(html).toBe("<p>idle</p>");
    expect(seen).toEqual([{ status: "idle", sdk: undefined, error: undefined }]);
    expect(typeof (globalThis as { window?: unknown }).window).toBe("undefined");
  });

  it("says what is missing when a hook has no provider above it", () => {
    function Orphan() {
      usePlug();
      return null;
    }
    expect(() => renderToString(h(Orphan))).toThrow("usePlug and useOnPlugEvent need a <PlugProvider> above them");
  });

  it("imports only React and the browser entry: nothing that could hold the AAT", async () => {
    const dir = join(ROOT, "src/react");
    for (const name of await readdir(dir)) {
      const text = await readFile(join(dir, name), "utf8");
      for (const [, specifier] of text.matchAll(/\bfrom\s+["']([^"']+)["']/g)) {
        expect(specifier, `${name} imports ${specifier}`).toMatch(/^(react|\.\/[\w-]+\.js|\.\.\/browser\/index\.js)$/);
      }
    }
  });
});
