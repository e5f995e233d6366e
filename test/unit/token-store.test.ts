import { describe, expect, it, vi } from "vitest";
import {
  ConfigurationError,
  createDevRevClient,
  createRedisTokenStore,
  createSessionTokenHandler,
  createTokenCache,
  type DevRevError,
  type SessionToken,
  type TokenStore,
  TokenStoreError,
} from "../../src/server/index.js";
import { createdBody, TEST_AAT } from "../helpers/tokens.js";

const SCOPE = "tenant-secret-digest";
const LATER = () => new Date(Date.now() + 600_000);
const alice = { revInfo: { user_ref: "alice-ref", user_traits: { email: "alice@acme.example" } } };
const user = (i: number) => ({ revInfo: { user_ref: `user-${i}` } });

/** A store in a Map, with the optional lock, recording what it was asked. */
function memoryStore() {
  const values = new Map<string, { value: string; ttlMs: number }>();
  const locks = new Set<string>();
  const store = {
    values,
    locks,
    sets: [] as { key: string; ttlMs: number }[],
    get: async (key: string) => values.get(key)?.value,
    set: async (key: string, value: string, ttlMs: number) => {
      store.sets.push({ key, ttlMs });
      values.set(key, { value, ttlMs });
    },
    delete: async (key: string) => values.delete(key),
    lock: async (key: string) => {
      if (locks.has(key)) return undefined;
      locks.add(key);
      return async () => locks.delete(key);
    },
  } satisfies TokenStore & Record<string, unknown>;
  return store;
}

/** A mint that waits for `open()`, counting its calls: a barrier, not a delay. */
function gatedMint() {
  let calls = 0;
  let open = () => {};
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const mint = async (): Promise<SessionToken> => {
    const n = ++calls;
    await gate;
    return { token: `token-${n}`, tokenType: "bearer", expiresAt: LATER() };
  };
  return { mint, calls: () => calls, open: () => open() };
}

/** Resolves once `predicate` holds, checking after each turn of the event loop. */
async function until(predicate: () => boolean): Promise<void> {
  while (!predicate()) await new Promise((resolve) => setImmediate(resolve));
}

describe("createTokenCache with a store", () => {
  it("mints once for several instances: the others wait for the lock holder's token", async () => {
    const store = memoryStore();
    const instances = Array.from({ length: 4 }, () => createTokenCache({ store, storePollMs: 1 }));
    const { mint, calls, open } = gatedMint();
    const answers = instances.flatMap((cache) =>
      Array.from({ length: 50 }, () => cache.get(alice, mint, SCOPE, { deadline: Date.now() + 60_000 })),
    );
    // Every instance has looked; one holds the lock and is minting, behind the gate.
    await until(() => calls() === 1 && store.locks.size === 1);
    open();
    const tokens = await Promise.all(answers);
    expect(calls()).toBe(1);
    expect(new Set(tokens.map((t) => t.token))).toEqual(new Set(["token-1"]));
    expect(store.locks.size).toBe(0);
    expect(instances.map((cache) => cache.size)).toEqual([1, 1, 1, 1]);
  });

  it("serves a later instance from the store, and mints per identity and per scope", async () => {
    const store = memoryStore();
    let calls = 0;
    const mint = async (): Promise<SessionToken> => ({ token: `t${++calls}`, tokenType: "bearer", expiresAt: LATER() });
    const first = createTokenCache({ store });
    await Promise.all(Array.from({ length: 20 }, (_, i) => first.get(user(i), mint, SCOPE)));
    await first.get(user(0), mint, "another-tenant-secret");
    expect(calls).toBe(21);
    const second = createTokenCache({ store });
    const again = await Promise.all(Array.from({ length: 20 }, (_, i) => second.get(user(i), mint, SCOPE)));
    expect(calls).toBe(21);
    expect(new Set(again.map((t) => t.token)).size).toBe(20);
    expect(store.values.size).toBe(21);
  });

  it("stores nothing readable: no user ref, trait, token or scope in keys or values", async () => {
    const store = memoryStore();
    const cache = createTokenCache({ store });
    const token = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZS1yZWYifQ.";
    await cache.get(alice, async () => ({ token, tokenType: "bearer", expiresAt: LATER() }), SCOPE);
    const dump = JSON.stringify([...store.values]);
    expect(store.values.size).toBe(1);
    for (const secret of ["alice-ref", "alice@acme.example", "acme", token, "eyJzdWIi", SCOPE]) {
      expect(dump).not.toContain(secret);
    }
  });

  it("gives each entry a TTL that ends refreshBeforeMs before its token expires", async () => {
    const clock = 1_000_000;
    const store = memoryStore();
    const cache = createTokenCache({ store, now: () => clock, refreshBeforeMs: 60_000 });
    await cache.get(
      alice,
      async () => ({ token: "t", tokenType: "bearer", expiresAt: new Date(clock + 600_000) }),
      SCOPE,
    );
    expect(store.sets.map((s) => s.ttlMs)).toEqual([540_000]);
  });

  it("treats a value that does not unseal as a miss: mints, reports once, replaces it", async () => {
    const store = memoryStore();
    const errors: DevRevError[] = [];
    let calls = 0;
    const mint = async (): Promise<SessionToken> => ({ token: `t${++calls}`, tokenType: "bearer", expiresAt: LATER() });
    await createTokenCache({ store }).get(alice, mint, SCOPE);
    const [[key, entry]] = [...store.values] as [[string, { value: string; ttlMs: number }]];
    // Another scope's sealed value, or the same value under another user's key: neither unseals.
    await createTokenCache({ store }).get(user(1), mint, SCOPE);
    const other = [...store.values].find(([k]) => k !== key)?.[1] as { value: string; ttlMs: number };
    for (const garbage of ["v1.AAAA.AAAA", "not sealed at all", other.value]) {
      store.values.set(key, { value: garbage, ttlMs: 1 });
      const cache = createTokenCache({ store, onError: (error) => errors.push(error) });
      const tokens = await Promise.all(Array.from({ length: 10 }, () => cache.get(alice, mint, SCOPE)));
      expect(new Set(tokens.map((t) => t.token)).size).toBe(1);
      expect(store.values.get(key)?.value).not.toBe(garbage);
    }
    expect(calls).toBe(5);
    expect(errors.map((e) => [e.name, e.message])).toEqual(
      Array(3).fill(["TokenStoreError", "the token store held a value that does not unseal; minting instead"]),
    );
    expect(entry.value).not.toBe(store.values.get(key)?.value);
  });

  it("degrades when the store throws or hangs: every request is minted, failures reported once per burst", async () => {
    let mode: "throw" | "hang" | "ok" = "throw";
    const inner = memoryStore();
    const store: TokenStore = {
      get: (key) =>
        mode === "throw"
          ? Promise.reject(new Error("ECONNREFUSED"))
          : mode === "hang"
            ? new Promise(() => {})
            : inner.get(key),
      set: (key, value, ttl) => inner.set(key, value, ttl),
      delete: (key) => inner.delete(key),
    };
    const errors: DevRevError[] = [];
    const cache = createTokenCache({ store, storeTimeoutMs: 5, maxEntries: 1 });
    let calls = 0;
    const mint = async (): Promise<SessionToken> => ({ token: `t${++calls}`, tokenType: "bearer", expiresAt: LATER() });
    const burst = (from: number) =>
      Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          cache.get(user(from + i), mint, SCOPE, { onError: (e) => errors.push(e) }),
        ),
      );
    expect(await burst(0)).toHaveLength(100);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(TokenStoreError);
    expect(errors[0]?.message).toBe("the token store's get failed");
    mode = "hang";
    expect(await burst(100)).toHaveLength(100);
    expect(errors).toHaveLength(1); // the same burst: the store has not answered since
    mode = "ok";
    await cache.get(user(1000), mint, SCOPE); // the next request tries the store again, and it answers
    mode = "hang";
    await burst(200);
    expect(errors.map((e) => e.message)).toEqual([
      "the token store's get failed",
      "the token store's get did not answer within 5 ms",
    ]);
    expect(calls).toBe(301);
  });

  it("mints when its patience runs out on a lock whose holder never writes", async () => {
    const store = memoryStore();
    await store.lock("anything"); // a holder that died: the lock stays
    const held: TokenStore = { ...store, lock: async () => undefined };
    const cache = createTokenCache({ store: held, storePollMs: 1 });
    let calls = 0;
    const token = await cache.get(
      alice,
      async () => ({ token: `t${++calls}`, tokenType: "bearer", expiresAt: LATER() }),
      SCOPE,
      { deadline: Date.now() + 50 },
    );
    expect(token.token).toBe("t1");
    expect(store.values.size).toBe(1); // and shares what it minted
  });

  it("waits on another instance's lock for half the handler's budget, not the cache's lockTtlMs", async () => {
    const store = memoryStore();
    const held: TokenStore = { ...store, lock: async () => undefined }; // a holder that never writes
    let calls = 0;
    const handler = createSessionTokenHandler({
      client: createDevRevClient({
        token: TEST_AAT,
        fetch: async () => {
          calls++;
          return Response.json(createdBody(), { status: 201 });
        },
      }),
      identify: () => ({ user_ref: "ada" }),
      // Waiting lockTtlMs / 2 would outlast the test; half this budget leaves the other half to mint.
      cache: createTokenCache({ store: held, lockTtlMs: 600_000 }),
      budgetMs: 2_000,
    });
    const response = await handler(new Request("http://app.test/", { method: "POST" }));
    expect(response.status).toBe(200);
    expect(calls).toBe(1);
  });

  it("needs a scope with a store, and a store shaped like one", async () => {
    const cache = createTokenCache({ store: memoryStore() });
    await expect(
      cache.get(alice, async () => ({ token: "t", tokenType: "bearer", expiresAt: LATER() })),
    ).rejects.toThrow("needs `scope`");
    expect(() => createTokenCache({ store: { get: async () => undefined } as never })).toThrow(
      "`store` must have get, set and delete methods",
    );
    expect(() => createTokenCache({ storeTimeoutMs: 0 })).toThrow("`storeTimeoutMs` must be an integer");
  });
});

describe("createRedisTokenStore", () => {
  it("speaks raw commands through node-redis's sendCommand or ioredis's call", async () => {
    const sent: string[][] = [];
    const reply = async (args: string[]) => {
      sent.push(args);
      return args[0] === "SET" && args.includes("NX") ? null : "OK";
    };
    const nodeRedis = createRedisTokenStore({ sendCommand: reply });
    // ioredis has a sendCommand too, taking its own Command objects: `call` must win.
    const ioredis = createRedisTokenStore(
      {
        call: (command: string, ...args: string[]) => reply([command, ...args]),
        sendCommand: () => Promise.reject(),
      } as never,
      { prefix: "p:" },
    );
    for (const store of [nodeRedis, ioredis]) {
      await store.set("k", "v", 1500.2);
      await store.get("k");
      await store.delete("k");
      expect(await store.lock?.("k", 5000)).toBeUndefined(); // NX answered nil: another holds it
    }
    expect(sent.map((args) => args.slice(0, 2).concat(args.slice(3)))).toEqual([
      ["SET", "devrev-plug-session:k", "PX", "1501"],
      ["GET", "devrev-plug-session:k"],
      ["DEL", "devrev-plug-session:k"],
      ["SET", "devrev-plug-session:lock:k", "NX", "PX", "5000"],
      ["SET", "p:k", "PX", "1501"],
      ["GET", "p:k"],
      ["DEL", "p:k"],
      ["SET", "p:lock:k", "NX", "PX", "5000"],
    ]);
  });

  it("leaves the bound on a call to the cache: node-redis's own command timeout (5 s in node-redis 6) is off", async () => {
    vi.useFakeTimers();
    try {
      // node-redis's `timeout` command option, as node-redis 6 applies it: its default 5000 ms unless 0 turns it off.
      const nodeRedis = {
        sendCommand: (_args: string[], options?: { timeout?: number }) =>
          new Promise((resolve, reject) => {
            const timeout = options?.timeout ?? 5_000;
            if (timeout) setTimeout(() => reject(new Error()), timeout);
            setTimeout(() => resolve("v"), 8_000); // Redis answers late, as on a loaded machine
          }),
      };
      const answer = createRedisTokenStore(nodeRedis).get("k");
      const settled = answer.then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      );
      await vi.advanceTimersByTimeAsync(8_000);
      expect(await settled).toEqual({ value: "v" });
    } finally {
      vi.useRealTimers();
    }
  });

  it("refuses what is not a Redis client", () => {
    for (const client of [{}, null, { get: () => {} }]) {
      expect(() => createRedisTokenStore(client as never)).toThrow(ConfigurationError);
    }
    expect(() => createRedisTokenStore({ sendCommand: async () => null }, { prefix: 1 as never })).toThrow(
      "`prefix` must be a string",
    );
  });
});
