import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import createClient from "openapi-fetch";
import { authTokensCreate, type paths } from "../generated/index.js";
import { createDevRevClient, createSessionToken, createTokenCache } from "../src/server/index.js";
import { type Row, ratioRow } from "./stats.js";

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

  const calls: Record<"hand" | "bare" | "generated" | "session", () => Promise<unknown>> = {
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
      /** Milliseconds for `count` calls of `fn`, `concurrency` at a time. */
      const time = async (fn: () => Promise<unknown>, count: number) => {
        const started = performance.now();
        let next = 0;
        await Promise.all(
          Array.from({ length: concurrency }, async () => {
            while (next++ < count) await fn();
          }),
        );
        return performance.now() - started;
      };
      // Warm every path (connections, JIT) before measuring.
      for (const fn of Object.values(calls)) await time(fn, total);
      const r = await slicedRounds(rounds, calls, total, time);
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

/**
 * µs per call of every contender in `rounds` rounds, each of `total` calls
 * per contender in SLICES slices that take turns, first to last then last to
 * first: the ratios compare calls made within a fraction of a second of each
 * other, so a shared machine's load, which changes over seconds, weighs on
 * each alike.
 */
async function slicedRounds<K extends string>(
  rounds: number,
  calls: Record<K, () => Promise<unknown>>,
  total: number,
  time: (fn: () => Promise<unknown>, count: number) => Promise<number>,
): Promise<Record<K, number[]>> {
  const keys = Object.keys(calls) as K[];
  const perCall = Object.fromEntries(keys.map((key) => [key, [] as number[]])) as Record<K, number[]>;
  for (let round = 0; round < rounds; round++) {
    const ms = Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;
    for (let slice = 0; slice < SLICES; slice++) {
      for (const key of slice % 2 ? [...keys].reverse() : keys) ms[key] += await time(calls[key], total / SLICES);
    }
    for (const key of keys) perCall[key].push((ms[key] * 1000) / total);
  }
  return perCall;
}

const SLICES = 10;

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
