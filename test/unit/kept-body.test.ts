import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { toNodeHandler } from "../../src/node/index.js";
import { createDevRevClient, createSessionTokenHandler } from "../../src/server/index.js";
import { KeptBodyResponse } from "../../src/server/kept-body.js";
import { createdBody } from "../helpers/tokens.js";

let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

async function serve(handler: (request: Request) => Promise<Response>): Promise<string> {
  server = createServer(toNodeHandler(handler));
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("the handler's answers through toNodeHandler", () => {
  it("are written as the handler made them, status, headers and JSON", async () => {
    const client = createDevRevClient({
      token: "aat-0123456789abcdef",
      fetch: async () => Response.json(createdBody(), { status: 201 }),
    });
    const handler = createSessionTokenHandler({ client, identify: () => ({ user_ref: "u" }) });
    const made = await handler(new Request("http://site.test/api/plug/session", { method: "POST" }));
    expect(made).toBeInstanceOf(KeptBodyResponse);
    const want = { status: made.status, headers: [...made.headers], body: await made.json() };

    const url = await serve(handler);
    const sent = await fetch(`${url}/api/plug/session`, { method: "POST" });
    const headers = [...sent.headers].filter(
      ([name]) => !["date", "connection", "keep-alive", "transfer-encoding"].includes(name),
    );
    expect({ status: sent.status, headers, body: await sent.json() }).toEqual(want);
  });

  it("are written from their stream when a wrapper answers with a Response of its own", async () => {
    const url = await serve(async () => new Response("plain", { status: 202 }));
    const sent = await fetch(url, { method: "POST" });
    expect(sent.status).toBe(202);
    expect(await sent.text()).toBe("plain");
  });

  it("are not written from the text kept once a wrapper has read their body: a 500, as for any used Response", async () => {
    const errors: unknown[] = [];
    server = createServer(
      toNodeHandler(
        async () => {
          const answer = new KeptBodyResponse('{"a":1}', { status: 200 });
          await answer.text();
          return answer;
        },
        { onError: (error) => errors.push(error), logLevel: "off" },
      ),
    );
    await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
    const sent = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, { method: "POST" });
    expect(sent.status).toBe(500);
    expect(await sent.json()).toEqual({ error: "internal_error" });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(TypeError);
  });
});
