import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { toNodeHandler } from "../../src/node/index.js";
import { ConfigurationError } from "../../src/server/index.js";

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
    const lines: string[] = [];
    const logger = { debug: () => {}, info: () => {}, warn: () => {}, error: (line: string) => lines.push(line) };
    const url = await serve(
      toNodeHandler(
        async () => {
          throw new Error("boom with secrets");
        },
        { onError: (error) => errors.push(error), logger },
      ),
    );
    const response = await fetch(`${url}/api/plug/session`, { method: "POST" });
    expect(response.status).toBe(500);
    expect(await response.text()).toBe('{"error":"internal_error"}');
    expect(errors).toHaveLength(1);
    // Not silent without an onError either: one line, with the error's class and message.
    expect(lines).toEqual([
      "[devrev-plug-session] POST /api/plug/session answered 500 internal_error: the handler threw Error (its message is not logged, as it could hold a secret: onError receives it)",
    ]);
  });

  it("keeps every Set-Cookie header, not only the last", async () => {
    const url = await serve(
      toNodeHandler(async () => {
        const headers = new Headers({ "content-type": "application/json" });
        headers.append("set-cookie", "a=1; Path=/; HttpOnly");
        headers.append("set-cookie", "b=2; Path=/; Secure");
        return new Response("{}", { headers });
      }),
    );
    const response = await fetch(url, { method: "POST" });
    expect(response.headers.getSetCookie()).toEqual(["a=1; Path=/; HttpOnly", "b=2; Path=/; Secure"]);
    expect(response.headers.get("content-type")).toBe("application/json");
  });

  it("answers 413 to a declared length over maxBodyBytes, without calling the handler", async () => {
    let calls = 0;
    const url = await serve(
      toNodeHandler(
        async () => {
          calls++;
          return new Response(null, { status: 204 });
        },
        { maxBodyBytes: 10 },
      ),
    );
    const response = await fetch(url, { method: "POST", body: "x".repeat(11) });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ error: "request_entity_too_large", max_bytes: 10 });
    expect(calls).toBe(0);
    // At the cap exactly, the body is passed on.
    expect((await fetch(url, { method: "POST", body: "x".repeat(10) })).status).toBe(204);
  });

  it("answers 413 to a chunked body that grows past maxBodyBytes, whatever the handler made of it", async () => {
    const seen: string[] = [];
    const url = await serve(
      toNodeHandler(
        async (request) => {
          // As an identify that reads the body would: the cut stream makes it fail.
          seen.push(await request.text().catch((error: Error) => `failed: ${error.message}`));
          return new Response("read", { status: 200 });
        },
        { maxBodyBytes: 8 },
      ),
    );
    const chunked = (text: string) =>
      new ReadableStream({
        start(controller) {
          for (const part of text.match(/.{1,4}/g) ?? []) controller.enqueue(new TextEncoder().encode(part));
          controller.close();
        },
      });
    const big = await fetch(url, { method: "POST", body: chunked("x".repeat(64)), duplex: "half" } as RequestInit);
    expect(big.status).toBe(413);
    expect(await big.json()).toEqual({ error: "request_entity_too_large", max_bytes: 8 });
    expect(seen).toEqual(["failed: the request body is larger than 8 bytes"]);
    const small = await fetch(url, { method: "POST", body: chunked("12345678"), duplex: "half" } as RequestInit);
    expect(small.status).toBe(200);
    expect(seen[1]).toBe("12345678");
  });

  it.each([-1, 1.5, Number.NaN, "100" as unknown as number])("refuses maxBodyBytes %s at creation", (maxBodyBytes) => {
    const create = () => toNodeHandler(async () => new Response(null), { maxBodyBytes });
    expect(create).toThrow(ConfigurationError);
    expect(create).toThrow("toNodeHandler: `maxBodyBytes` must be a non-negative integer");
  });
});
