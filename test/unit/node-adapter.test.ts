import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { toNodeHandler } from "../../src/server/index.js";

let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

async function serve(listener: Parameters<typeof createServer>[1]): Promise<string> {
  server = createServer(listener);
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("toNodeHandler", () => {
  it("passes method, URL, headers and body to the handler and writes its response back", async () => {
    const seen: { method: string; url: string; cookie: string | null; body: string }[] = [];
    const url = await serve(
      toNodeHandler(async (request) => {
        seen.push({
          method: request.method,
          url: request.url,
          cookie: request.headers.get("cookie"),
          body: await request.text(),
        });
        return new Response(JSON.stringify({ ok: true }), {
          status: 201,
          headers: { "x-one": "1", "cache-control": "no-store" },
        });
      }),
    );
    const response = await fetch(`${url}/api/plug/session?x=1`, {
      method: "POST",
      headers: { cookie: "sid=abc" },
      body: "hello",
    });
    expect(response.status).toBe(201);
    expect(response.headers.get("x-one")).toBe("1");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toEqual({ ok: true });
    expect(seen).toEqual([{ method: "POST", url: `${url}/api/plug/session?x=1`, cookie: "sid=abc", body: "hello" }]);
  });

  it("passes a chunked body too, and no body for a bodiless POST", async () => {
    const bodies: (string | null)[] = [];
    const url = await serve(
      toNodeHandler(async (request) => {
        bodies.push(request.body === null ? null : await request.text());
        return new Response(null, { status: 204 });
      }),
    );
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("chunk"));
        controller.close();
      },
    });
    await fetch(url, { method: "POST", body: stream, duplex: "half" } as RequestInit);
    await fetch(url, { method: "POST" });
    expect(bodies).toEqual(["chunk", null]);
  });

  it("answers 500 without details when the handler throws, and reports the error", async () => {
    const errors: unknown[] = [];
    const url = await serve(
      toNodeHandler(
        async () => {
          throw new Error("boom with secrets");
        },
        (error) => errors.push(error),
      ),
    );
    const response = await fetch(url, { method: "POST" });
    expect(response.status).toBe(500);
    expect(await response.text()).toBe('{"error":"internal_error"}');
    expect(errors).toHaveLength(1);
  });
});
