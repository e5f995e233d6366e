// One instance of a site, in a process of its own, for the fleet test in
// redis-fleet.test.ts: a handler on a free port, its token cache on the shared
// Redis through node-redis or ioredis. Every request waits in `identify` until
// the parent says "go", so the whole fleet's requests are in flight at once.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Redis } from "ioredis";
import { createClient } from "redis";
import { toNodeHandler } from "../../src/node/index.js";
import {
  createDevRevClient,
  createRedisTokenStore,
  createSessionTokenHandler,
  createTokenCache,
  type DevRevError,
} from "../../src/server/index.js";

const { REDIS_URL = "", MOCK_URL = "", DEVREV_AAT = "", REDIS_CLIENT = "" } = process.env;
const send = (message: unknown) => process.send?.(message);

let redis: Parameters<typeof createRedisTokenStore>[0];
if (REDIS_CLIENT === "ioredis") {
  const client = new Redis(REDIS_URL, { lazyConnect: true, enableOfflineQueue: false });
  client.on("error", () => {});
  await client.connect();
  redis = client;
} else {
  const client = createClient({ url: REDIS_URL, disableOfflineQueue: true });
  client.on("error", () => {});
  await client.connect();
  redis = client;
}

let go = () => {};
const started = new Promise<void>((resolve) => {
  go = resolve;
});
process.on("message", (message) => {
  if (message === "go") go();
});

let arrived = 0;
const handler = createSessionTokenHandler({
  // No retries and bounds no loaded machine reaches: a retry or an impatient waiter would be a second call.
  client: createDevRevClient({
    token: DEVREV_AAT,
    baseUrl: MOCK_URL,
    maxRetries: 0,
    timeoutMs: 240_000,
    totalTimeoutMs: 240_000,
  }),
  identify: async (request) => {
    send({ arrived: ++arrived });
    await started;
    return { user_ref: request.headers.get("x-user") ?? "" };
  },
  budgetMs: 240_000,
  cache: createTokenCache({ store: createRedisTokenStore(redis), storeTimeoutMs: 30_000 }),
  onError: (error: DevRevError) => send({ error: `${error.name}: ${error.message}` }),
});
const server = createServer(toNodeHandler(handler)).listen(0, "127.0.0.1", () => {
  send({ port: (server.address() as AddressInfo).port });
});
