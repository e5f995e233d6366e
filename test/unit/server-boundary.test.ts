import { createContext, runInContext } from "node:vm";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/cli.js";
import { fakeJwt, TEST_AAT } from "../helpers/tokens.js";

/**
 * The server entry bundled as workerd's and edge runtimes' bundlers would,
 * with no Node built-in to resolve: a `node:` import anywhere on its path
 * fails the build. (The ecosystem tests run it on those runtimes; this says so in seconds.)
 */
async function bundleServerEntry(): Promise<string> {
  const result = await build({
    entryPoints: [`${ROOT}/src/server/index.ts`],
    bundle: true,
    write: false,
    platform: "neutral",
    format: "iife",
    globalName: "server",
    conditions: ["workerd", "worker", "edge-light", "import"],
    mainFields: ["module", "main"],
    logLevel: "silent",
  });
  return result.outputFiles.map((file) => file.text).join("\n");
}

/** Web APIs only, as workerd without nodejs_compat has them: no `process`, `Buffer` or `require`. */
function webOnlyContext() {
  const g = globalThis;
  return createContext({
    ...{ fetch: g.fetch, Request: g.Request, Response: g.Response, Headers: g.Headers, URL: g.URL },
    ...{ crypto: g.crypto, TextEncoder: g.TextEncoder, TextDecoder: g.TextDecoder, atob: g.atob, btoa: g.btoa },
    ...{ AbortController: g.AbortController, AbortSignal: g.AbortSignal, ReadableStream: g.ReadableStream },
    ...{ FormData: g.FormData, Blob: g.Blob, URLSearchParams: g.URLSearchParams, structuredClone: g.structuredClone },
    ...{ Event: g.Event, EventTarget: g.EventTarget, DOMException: g.DOMException, TransformStream: g.TransformStream },
    ...{ setTimeout: g.setTimeout, clearTimeout: g.clearTimeout, queueMicrotask: g.queueMicrotask, console },
  });
}

describe("the server entry", () => {
  it("bundles without Node's modules, and mints through the handler without Node's globals", async () => {
    const context = webOnlyContext();
    runInContext(await bundleServerEntry(), context);
    expect(runInContext("typeof process + typeof Buffer + typeof require", context)).toBe(
      "undefinedundefinedundefined",
    );
    const { createDevRevClient, createSessionTokenHandler } = context.server;
    const exp = 4102444800;
    const handler = createSessionTokenHandler({
      client: createDevRevClient({
        token: TEST_AAT,
        fetch: async () =>
          // A lifetime unlike the claim: expires_at is the claim's only if the JWT was decoded.
          Response.json({ access_token: fakeJwt({ exp }), expires_in: 60, token_type: "bearer" }, { status: 201 }),
      }),
      identify: () => ({ user_ref: "ada" }),
    });
    const response: Response = await handler(new Request("http://site.test/", { method: "POST" }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ session_token: fakeJwt({ exp }), expires_at: "2100-01-01T00:00:00.000Z" });
  });
});
