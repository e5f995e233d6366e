import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import createClient from "openapi-fetch";
import { authTokensCreate, type paths } from "../generated/index.js";
import { createDevRevClient, createSessionToken, createTokenCache } from "../src/server/index.js";
import { interleaved, type Row, ratioRow } from "./stats.js";

const TOKEN = "bench-aat";
const EXP = Math.floor(Date.now() / 1000) + 3600;
const ANSWER = JSON.stringify({
  access_token: `eyJhbGciOiJub25lIn0.${Buffer.from(JSON.stringify({ exp: EXP })).toString("base64url")}.`,
  expires_in: EXP,
  token_type: "bearer",
});
const body = { rev_info: { user_ref: "user-123", user_traits: { display_name: "Ada" } } };

/** Per-call cost of each way to mint a token, against one in-process HTTP server. */
export async function clientOverhead(rounds: number): Promise<Row[]> {
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(201, { "content-type": "application/json" }).end(ANSWER));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const bare = createClient<paths>({ baseUrl, headers: { Authorization: TOKEN } });
  const ours = createDevRevClient({ token: TOKEN, baseUrl });

  const calls: Record<string, () => Promise<unknown>> = {
    hand: () =>
      fetch(`${baseUrl}/auth-tokens.create`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: TOKEN },
        body: JSON.stringify(body),
      }).then((r) => r.json()),
    bare: () => bare.POST("/auth-tokens.create", { body }),
    generated: () => authTokensCreate(ours, { body }),
    session: () => createSessionToken(ours, { revInfo: body.rev_info }),
  };
  const rows: Row[] = [];
  try {
    for (const [mode, concurrency, total] of [
      ["sequential", 1, 1000],
      ["32 concurrent", 32, 3200],
    ] as const) {
      const perCall = (fn: () => Promise<unknown>) => async () => {
        const started = performance.now();
        let next = 0;
        await Promise.all(
          Array.from({ length: concurrency }, async () => {
            while (next++ < total) await fn();
          }),
        );
        return ((performance.now() - started) * 1000) / total;
      };
      // Warm every path (connections, JIT) before measuring.
      for (const fn of Object.values(calls)) await perCall(fn)();
      const r = await interleaved(rounds, {
        hand: perCall(calls.hand as () => Promise<unknown>),
        bare: perCall(calls.bare as () => Promise<unknown>),
        generated: perCall(calls.generated as () => Promise<unknown>),
        session: perCall(calls.session as () => Promise<unknown>),
      });
      rows.push(
        ratioRow(
          "client",
          `${mode}: openapi-fetch vs hand-written fetch`,
          "µs/call",
          r.bare,
          "hand-written fetch",
          r.hand,
        ),
        ratioRow(
          "client",
          `${mode}: authTokensCreate vs bare openapi-fetch`,
          "µs/call",
          r.generated,
          "bare openapi-fetch",
          r.bare,
          { max: 1.05 },
        ),
        ratioRow(
          "client",
          `${mode}: createSessionToken vs bare openapi-fetch`,
          "µs/call",
          r.session,
          "bare openapi-fetch",
          r.bare,
          { max: 1.05 },
        ),
        ratioRow(
          "client",
          `${mode}: authTokensCreate vs hand-written fetch`,
          "µs/call",
          r.generated,
          "hand-written fetch",
          r.hand,
          { max: 1.15 },
        ),
        ratioRow(
          "client",
          `${mode}: createSessionToken vs hand-written fetch`,
          "µs/call",
          r.session,
          "hand-written fetch",
          r.hand,
          { max: 1.15 },
        ),
      );
    }
  } finally {
    server.closeAllConnections();
    server.close();
  }
  return rows;
}

/** Upstream calls the token cache makes for 1000 concurrent requests: one user, then 1000 users. */
export async function cacheFanIn(): Promise<Row[]> {
  let upstream = 0;
  const client = createDevRevClient({
    token: TOKEN,
    baseUrl: "http://127.0.0.1:1",
    fetch: async () => {
      upstream++;
      await new Promise((r) => setTimeout(r, 5));
      return new Response(ANSWER, { status: 201, headers: { "content-type": "application/json" } });
    },
  });
  const count = async (users: (i: number) => string) => {
    const cache = createTokenCache();
    upstream = 0;
    await Promise.all(
      Array.from({ length: 1000 }, (_, i) => {
        const input = { revInfo: { user_ref: users(i) } };
        return cache.get(input, () => createSessionToken(client, input));
      }),
    );
    return upstream;
  };
  const one = await count(() => "same-user");
  const many = await count((i) => `user-${i}`);
  const sample = (n: number) => ({ median: n, min: n, max: n, runs: 1 });
  return [
    {
      group: "cache",
      name: "1000 concurrent requests, one user: upstream calls",
      unit: "calls",
      ours: sample(one),
      target: "= 1",
      met: one === 1,
    },
    {
      group: "cache",
      name: "1000 concurrent requests, 1000 users: upstream calls",
      unit: "calls",
      ours: sample(many),
      target: "= 1000",
      met: many === 1000,
    },
  ];
}
