import KeyvRedis, { Keyv } from "@keyv/redis";
import { Redis } from "ioredis";
import { createClient } from "redis";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type MockServer, startMockServer } from "../../mock/index.js";
import {
  createDevRevClient,
  createRedisTokenStore,
  createSessionTokenHandler,
  createTokenCache,
  type DevRevError,
  type RedisClientLike,
  type TokenStore,
} from "../../src/server/index.js";
import { type RedisServer, redisTestsEnabled, startRedisServer } from "../helpers/redis-server.js";
import { THOROUGH } from "../helpers/thorough.js";
import { TEST_AAT } from "../helpers/tokens.js";

const enabled = redisTestsEnabled("the Redis token store tests");
const OTHER_AAT = "aat-OTHER-TENANT-fedcba9876543210";
// A thousand requests through Prism on a shared machine: minutes in the worst case, seconds in CI.
const HEAVY = { timeout: 300_000 };
/**
 * Users minting at once on two instances: each is a call through Prism, most of this file's
 * work; a hundred already race every step of the store, the full thousand run in test:thorough.
 */
const USERS = THOROUGH ? 1000 : 100;
/**
 * Bounds no loaded machine reaches: a waiter out of patience mints, and an
 * attempt that timed out would be retried as a second call to DevRev, so on a
 * slow run either would make the exact counts below wrong rather than the
 * test slow. With no timeout reached and the mock's rate limit out of reach
 * (see beforeEach), what is left to retry is a connection that the loaded
 * mock, in this process, reset before answering (ECONNRESET): a request the
 * mock never answered is not in its journal, so the counts stay exact, and
 * one it did answer and then saw again would show as an extra call.
 */
const PATIENT = { maxRetries: 2, timeoutMs: 240_000, totalTimeoutMs: 240_000 };
/**
 * The mock's rate limit while these tests run: 1000 users make 1000 calls, the
 * mock's default limit for a minute, so a single extra call would fail as a
 * 429 far from its cause; an extra call shows in the exact counts instead.
 */
const RATE_LIMIT_OUT_OF_REACH = 1_000_000;

/** A store on the test's Redis, through one of the clients a site would use; `close` hangs up. */
interface StoreKind {
  name: string;
  /** The Redis client itself, for the kinds that are createRedisTokenStore over one. */
  connect?(url: string): Promise<{ client: RedisClientLike; close(): Promise<unknown> }>;
  open(url: string): Promise<{ store: TokenStore; close(): Promise<unknown> }>;
}

/** A createRedisTokenStore over `connect`'s client. */
function redisKind(name: string, connect: NonNullable<StoreKind["connect"]>): StoreKind {
  return {
    name,
    connect,
    async open(url) {
      const { client, close } = await connect(url);
      return { store: createRedisTokenStore(client), close };
    },
  };
}

/** What the Redis clients said went wrong (they reconnect by themselves), for a failing test to show. */
const clientErrors: string[] = [];
const noteClientError = (error: unknown) => {
  if (clientErrors.length < 5) clientErrors.push(String(error));
};

// As the README advises: without an offline queue, a call while Redis is away fails at once.
const KINDS: StoreKind[] = [
  redisKind("node-redis", async (url) => {
    const client = createClient({ url, disableOfflineQueue: true });
    client.on("error", noteClientError); // reconnecting is the client's business; the cache reports failed calls
    await client.connect();
    return { client, close: async () => client.destroy() };
  }),
  redisKind("ioredis", async (url) => {
    const client = new Redis(url, { lazyConnect: true, enableOfflineQueue: false });
    client.on("error", noteClientError);
    await client.connect();
    return { client, close: async () => client.disconnect() };
  }),
  {
    name: "Keyv with @keyv/redis",
    async open(url) {
      const keyv = new Keyv(new KeyvRedis(url));
      keyv.on("error", noteClientError);
      return { store: keyv, close: () => keyv.disconnect() };
    },
  },
];

/** A failure's chain of causes, each with its code and where it was thrown: an empty message alone says nothing. */
function causeOf(error: unknown): string {
  const cause = (error as { cause?: unknown } | null)?.cause;
  if (cause === undefined) return "";
  const { name, message, code, stack } = cause as { name?: string; message?: string; code?: string; stack?: string };
  const where = stack?.split("\n").slice(1, 4).join(" <- ").trim();
  return `${name}${code ? ` ${code}` : ""}: ${message} at ${where}${cause instanceof Error ? ` / ${causeOf(cause)}` : ""}`;
}

/** Resolves every `arrive()` once `count` have arrived: requests really are in flight together. */
function barrier(count: number) {
  let arrived = 0;
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return async () => {
    if (++arrived >= count) open();
    await opened;
  };
}

describe.runIf(enabled)("token cache on a real Redis", () => {
  let redis: RedisServer;
  let mock: MockServer;
  let admin: ReturnType<typeof createClient>;
  const opened: { close(): Promise<unknown> }[] = [];

  beforeAll(async () => {
    [redis, mock] = await Promise.all([startRedisServer(), startMockServer()]);
    admin = createClient({ url: redis.url });
    await admin.connect();
  });
  afterAll(async () => {
    await Promise.all(opened.map((store) => store.close()));
    admin?.destroy();
    await Promise.all([redis?.kill(), mock?.close()]);
  });
  beforeEach(async () => {
    await Promise.all([mock.reset(), admin.flushAll()]);
    await mock.scenario({ rateLimit: RATE_LIMIT_OUT_OF_REACH });
  });

  /** The requests DevRev (the mock) received for tokens. */
  const mints = async () => (await mock.requests()).filter((entry) => entry.path === "/auth-tokens.create");

  /**
   * `count` handlers, each with its own in-memory tier and its own connection
   * to the one Redis: instances of one site. `arrive` holds every request in
   * `identify` until all are in flight.
   */
  let failures: DevRevError[] = [];
  beforeEach(() => {
    failures = [];
    clientErrors.length = 0;
  });

  async function fleet(kind: StoreKind, count: number, arrive: () => Promise<void>, aat = TEST_AAT) {
    return Promise.all(
      Array.from({ length: count }, async () => {
        const connection = await kind.open(redis.url);
        opened.push(connection);
        return createSessionTokenHandler({
          client: createDevRevClient({ token: aat, baseUrl: mock.url, ...PATIENT }),
          identify: async (request) => {
            await arrive();
            const user = request.headers.get("x-user") as string;
            return { user_ref: user, user_traits: { email: `${user}@acme.example`, display_name: `Name of ${user}` } };
          },
          budgetMs: PATIENT.totalTimeoutMs,
          cache: createTokenCache({ store: connection.store, storeTimeoutMs: 30_000 }),
          onError: (error) => failures.push(error),
        });
      }),
    );
  }

  /** The handlers' first failures with their causes, the Redis clients' errors and redis-server's log. */
  function whatWentWrong() {
    const reported = failures.slice(0, 3).map((error) => `${error.name}: ${error.message} (${causeOf(error)})`);
    return `the handlers reported ${JSON.stringify(reported)}; the clients ${JSON.stringify(clientErrors)}; redis-server logged:\n${redis.log().slice(-4000)}`;
  }

  async function ask(handler: (request: Request) => Promise<Response>, user: string) {
    const response = await handler(
      new Request("http://app.test/api/plug/session", { method: "POST", headers: { "x-user": user } }),
    );
    if (response.status !== 200) {
      // Say why: one failed mint has the other instance mint too, and the count then fails far from the cause.
      expect.fail(`${user} was answered ${response.status}; ${whatWentWrong()}`);
    }
    return ((await response.json()) as { session_token: string }).session_token;
  }

  for (const kind of KINDS) {
    describe(kind.name, () => {
      const instances = kind.connect ? 4 : 1;

      it(
        `1000 concurrent requests for one user on ${instances} instance(s): one call to DevRev`,

        HEAVY,

        async () => {
          const handlers = await fleet(kind, instances, barrier(1000));
          const tokens = await Promise.all(
            Array.from({ length: 1000 }, (_, i) => ask(handlers[i % instances] as never, "ada")),
          );
          expect(new Set(tokens).size).toBe(1);
          expect(await mints()).toHaveLength(1);
          // A new instance (a cold serverless start) is served from the store.
          const [cold] = await fleet(kind, 1, async () => {});
          expect(await ask(cold as never, "ada")).toBe(tokens[0]);
          expect(await mints()).toHaveLength(1);
          expect(failures).toEqual([]);
        },
      );

      it(
        `${USERS} users, each asked on two instances at once: ${USERS} calls`,

        HEAVY,

        async () => {
          const witnessed: string[] = [];
          const handlers = await fleet(kind, kind.connect ? 2 : 1, barrier(2 * USERS));
          const users = Array.from({ length: USERS }, (_, i) => `user-${i}`);
          const tokens = await Promise.all(
            users.flatMap((user) => [ask(handlers[0] as never, user), ask(handlers.at(-1) as never, user)]),
          );
          // A store failure has both instances mint for a user: say which, before the counts differ.
          expect(failures, whatWentWrong()).toEqual([]);
          for (let i = 0; i < users.length; i++) expect(tokens[2 * i]).toBe(tokens[2 * i + 1]);
          for (const entry of await mints())
            witnessed.push((entry.body as { rev_info: { user_ref: string } }).rev_info.user_ref);
          expect(witnessed.sort()).toEqual([...users].sort());
        },
      );

      it("two AATs (two tenants) get separate entries and separate tokens", async () => {
        const [a] = await fleet(kind, 1, async () => {});
        const [b] = await fleet(kind, 1, async () => {}, OTHER_AAT);
        const [tokenA, tokenB] = [await ask(a as never, "ada"), await ask(b as never, "ada")];
        expect(tokenA).not.toBe(tokenB);
        expect(await mints()).toHaveLength(2);
        // And each tenant's later instance gets its own tenant's token.
        const [a2] = await fleet(kind, 1, async () => {});
        const [b2] = await fleet(kind, 1, async () => {}, OTHER_AAT);
        expect([await ask(a2 as never, "ada"), await ask(b2 as never, "ada")]).toEqual([tokenA, tokenB]);
      });

      it("leaves nothing readable in Redis: no user ref, trait, token or AAT, and every entry expires before its token", async () => {
        const handlers = await fleet(kind, instances, async () => {});
        // With an "@", which no base64url text or key holds: "ada" alone turned up in the ciphertext by chance.
        const users = ["ada@example.com", "grace@example.com", "edsger@example.com"];
        const tokens = await Promise.all(users.map((user, i) => ask(handlers[i % instances] as never, user)));
        const dump: string[] = [];
        let cursor = "0";
        do {
          const [next, keys] = (await admin.sendCommand(["SCAN", cursor, "COUNT", "1000"])) as [string, string[]];
          cursor = next;
          for (const key of keys) {
            const ttl = Number(await admin.sendCommand(["PTTL", key]));
            // Gone since SCAN listed it (-2): a lock whose release the answer did not wait for.
            if (ttl === -2) continue;
            dump.push(key, String(await admin.sendCommand(["GET", key])));
            expect(ttl).toBeGreaterThan(0);
            expect(ttl).toBeLessThanOrEqual(3_600_000 - 60_000);
          }
        } while (cursor !== "0");
        expect(dump.length).toBeGreaterThanOrEqual(2 * users.length);
        const text = dump.join("\n");
        const secrets = [
          TEST_AAT,
          "acme",
          ...users,
          ...tokens,
          ...tokens.map((token) => token.split(".")[1] as string),
        ];
        for (const secret of secrets) expect(text).not.toContain(secret);
      });

      it.runIf(kind.connect !== undefined)(
        "a lock is one holder's: taken once, expiring, and a late release frees no one else's",
        async () => {
          const connection = await kind.open(redis.url);
          opened.push(connection);
          const store = connection.store as Required<TokenStore>;
          const release = await store.lock("entry", 60_000);
          expect(release).toBeTypeOf("function");
          expect(await store.lock("entry", 60_000)).toBeUndefined();
          const ttl = Number(await admin.sendCommand(["PTTL", "devrev-plug-session:lock:entry"]));
          expect(ttl).toBeGreaterThan(0);
          expect(ttl).toBeLessThanOrEqual(60_000);
          // The holder died and its lock expired (DEL stands in for the TTL running out): another takes it.
          await admin.del("devrev-plug-session:lock:entry");
          const next = await store.lock("entry", 60_000);
          expect(next).toBeTypeOf("function");
          await release?.(); // the dead holder's late release
          expect(await store.lock("entry", 60_000)).toBeUndefined();
          await next?.();
          expect(await store.lock("entry", 60_000)).toBeTypeOf("function");
        },
      );

      it.runIf(kind.connect !== undefined)("keeps its keys under the prefix", async () => {
        const connection = await (kind.connect as NonNullable<StoreKind["connect"]>)(redis.url);
        opened.push(connection);
        const store = createRedisTokenStore(connection.client, { prefix: "site-a:" });
        await store.set("k", "v", 60_000);
        expect(await store.get("k")).toBe("v");
        expect(await admin.sendCommand(["KEYS", "*"])).toEqual(["site-a:k"]);
        await store.delete("k");
        expect(await store.get("k")).toBeUndefined();
      });

      it.runIf(kind.connect !== undefined)(
        "answers every request when Redis is killed mid-run, and reports the failure once",
        // 300 calls through Prism: on a loaded machine past vitest's 30 s, and a round cut short mints into the next test.
        HEAVY,
        async () => {
          const doomed = await startRedisServer();
          const connection = await kind.open(doomed.url);
          opened.push(connection);
          const errors: DevRevError[] = [];
          const handler = createSessionTokenHandler({
            client: createDevRevClient({ token: TEST_AAT, baseUrl: mock.url, ...PATIENT }),
            identify: (request) => ({ user_ref: request.headers.get("x-user") as string }),
            budgetMs: PATIENT.totalTimeoutMs,
            cache: createTokenCache({ store: connection.store, storeTimeoutMs: 30_000 }),
            onError: (error) => errors.push(error),
          });
          const round = (from: number) =>
            Promise.all(Array.from({ length: 100 }, (_, i) => ask(handler, `user-${from + i}`)));
          await round(0);
          expect(errors).toEqual([]);
          await doomed.kill();
          expect(await round(100)).toHaveLength(100);
          expect(await round(200)).toHaveLength(100);
          // The 100 users asked before the kill are still in this instance's memory.
          expect(await round(0)).toHaveLength(100);
          expect(await mints()).toHaveLength(300);
          expect(errors.map((error) => error.name)).toEqual(["TokenStoreError"]);
        },
      );
    });
  }
});
