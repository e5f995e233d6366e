import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import { startRedisServer } from "../test/helpers/redis-server.js";
import { load } from "./load.js";
import { freePort, ROOT, timeServerStart } from "./process.js";
import { interleaved, type Row, ratioRow } from "./stats.js";

const SERVER_ENTRY = pathToFileURL(`${ROOT}/dist/src/server/index.js`).href;
const NODE_ENTRY = pathToFileURL(`${ROOT}/dist/src/node/index.js`).href;
const FLEET = 4;
const FAN_IN_REQUESTS = 1000;
/** Users the throughput instances cycle through, warmed before listening: the in-memory tier holds 1000. */
const USERS = 1000;

type Tier = "memory" | "redis" | "none";

/**
 * A site's instance, from the built package: the handler behind
 * `toNodeHandler`, its token cache on Redis (node-redis) or in memory only.
 * `redis` keeps nothing in memory (`maxEntries: 0`), so every request is
 * the Redis hit path a cold serverless instance takes. With `upstream` (the
 * fan-in) every request is one user's; without, tokens come from a fetch
 * answering a fixed token, and requests cycle through `USERS` users, each
 * minted once before the server listens.
 */
function instance(port: number, tier: Tier, redisUrl: string, upstream?: string): string[] {
  return [
    "--input-type=module",
    "-e",
    `import { createServer } from "node:http";
     import { createClient } from "redis";
     import { createDevRevClient, createRedisTokenStore, createSessionTokenHandler, createTokenCache } from ${JSON.stringify(SERVER_ENTRY)};
     import { toNodeHandler } from ${JSON.stringify(NODE_ENTRY)};
     const tier = ${JSON.stringify(tier)};
     let store;
     if (tier !== "memory") {
       const redis = createClient({ url: ${JSON.stringify(redisUrl)}, disableOfflineQueue: true });
       redis.on("error", () => {});
       await redis.connect();
       store = createRedisTokenStore(redis);
     }
     const token = "a." + Buffer.from(JSON.stringify({ exp: Math.floor(Date.now() / 1000) + 3600 })).toString("base64url") + ".c";
     const client = createDevRevClient({
       token: "bench-aat-0123456789abcdef",
       maxRetries: 0,
       ${
         upstream
           ? `baseUrl: ${JSON.stringify(upstream)},`
           : `fetch: async () => Response.json({ access_token: token, expires_in: 3600, token_type: "bearer" }, { status: 201 }),`
       }
     });
     const cache = createTokenCache({ store: tier === "none" ? undefined : store, maxEntries: tier === "redis" ? 0 : 1000 });
     // Each request is the next user's, so concurrent requests share no lookup (the fan-in has one user).
     let next = 0;
     const identify = () => ({ user_ref: "user-" + (next++ % ${upstream ? 1 : USERS}), user_traits: { display_name: "Ada" } });
     const handler = createSessionTokenHandler({ client, cache, budgetMs: 60000, identify });
     ${upstream ? "" : `for (let i = 0; i < ${USERS}; i++) await handler(new Request("http://warm/", { method: "POST" }));`}
     createServer(toNodeHandler(handler)).listen(${port}, "127.0.0.1");`,
  ];
}

const answers = async (base: string) => (await fetch(base, { method: "POST" })).ok;

/**
 * The Redis hit path against the in-memory one (handler requests per
 * second, as bench/handler.ts measures), and a fleet's fan-in: 1000
 * concurrent requests for one user over four processes sharing one Redis,
 * counted at a stand-in DevRev.
 */
export async function redisStore(rounds: number): Promise<Row[]> {
  const redis = await startRedisServer();
  try {
    const throughput = (tier: Tier) => async () => {
      const port = await freePort();
      const server = await timeServerStart(instance(port, tier, redis.url), port, answers);
      try {
        return await load(`http://127.0.0.1:${port}`, 32, 3_000, "");
      } finally {
        await server.stop();
      }
    };
    const t = await interleaved(rounds, { redis: throughput("redis"), memory: throughput("memory") });
    const withStore = await fanIn("redis", redis.url);
    const withoutStore = await fanIn("none", redis.url);
    const calls = (n: number) => ({ median: n, min: n, max: n, runs: 1 });
    return [
      ratioRow(
        "redis",
        "every request from Redis vs from memory: handler via toNodeHandler",
        "req/s",
        t.redis,
        "in-memory",
        t.memory,
      ),
      {
        group: "redis",
        name: `${FLEET} processes on one Redis, ${FAN_IN_REQUESTS} concurrent requests for one user: upstream calls`,
        unit: "calls",
        ours: calls(withStore),
        baseline: { name: "no store", sample: calls(withoutStore) },
        target: "= 1",
        met: withStore === 1,
      },
    ];
  } finally {
    await redis.kill();
  }
}

/** Upstream calls a fleet of `FLEET` processes makes for `FAN_IN_REQUESTS` concurrent requests for one user. */
async function fanIn(tier: Tier, redisUrl: string): Promise<number> {
  let calls = 0;
  const token = `a.${Buffer.from(JSON.stringify({ exp: Math.floor(Date.now() / 1000) + 3600 })).toString("base64url")}.c`;
  // A stand-in DevRev that takes as long as a real mint might.
  const upstream = createServer((request, response) => {
    calls++;
    request.resume();
    setTimeout(
      () =>
        response
          .writeHead(201, { "content-type": "application/json" })
          .end(JSON.stringify({ access_token: token, expires_in: 3600, token_type: "bearer" })),
      100,
    );
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  const servers: { stop: () => Promise<void> }[] = [];
  try {
    const ports = await Promise.all(Array.from({ length: FLEET }, () => freePort()));
    // Started without asking them anything: a readiness request would mint.
    servers.push(
      ...(await Promise.all(ports.map((port) => listening(instance(port, tier, redisUrl, upstreamUrl), port)))),
    );
    const statuses = await Promise.all(
      Array.from({ length: FAN_IN_REQUESTS }, (_, i) =>
        fetch(`http://127.0.0.1:${ports[i % FLEET]}/`, { method: "POST" }).then((response) => response.status),
      ),
    );
    if (statuses.some((status) => status !== 200)) throw new Error(`fan-in answers: ${[...new Set(statuses)]}`);
    return calls;
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
    upstream.close();
  }
}

/** Spawns a server and resolves once its port accepts a connection (a GET, answered 405, mints nothing). */
async function listening(args: string[], port: number): Promise<{ stop: () => Promise<void> }> {
  const get = async (base: string) => (await fetch(base)).status === 405;
  return timeServerStart(args, port, get);
}
