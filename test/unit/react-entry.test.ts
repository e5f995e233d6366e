import { createElement as h } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { PlugProvider, usePlug } from "../../src/react/index.js";
import { ROOT } from "../helpers/cli.js";
import { readImports } from "../helpers/import-graph.js";

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

  // Which layers src/react may import is test/unit/import-directions.test.ts's job; this is the
  // narrower React rule: it uses the browser entry as an app does, through its public index.
  it("reaches the browser code only through the browser entry's index", () => {
    const browser = readImports(ROOT, ["src/react"]).filter(({ to }) => to?.startsWith("src/browser/"));
    expect(browser.length).toBeGreaterThan(0);
    for (const { from, specifier, to } of browser)
      expect(to, `${from} imports ${specifier}`).toBe("src/browser/index.ts");
  });
});
