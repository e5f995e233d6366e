import { describe, expect, it } from "vitest";
import { createTokenCache, type SessionToken } from "../../src/server/index.js";

function tokenFactory(now: () => number, lifetimeMs = 600_000) {
  let calls = 0;
  const mint = async (): Promise<SessionToken> => {
    const n = ++calls;
    await new Promise((resolve) => setTimeout(resolve, 5));
    return { token: `t${n}`, tokenType: "bearer", expiresAt: new Date(now() + lifetimeMs) };
  };
  return { mint, calls: () => calls };
}

const alice = { revInfo: { user_ref: "alice", user_traits: { display_name: "Alice" } } };

describe("createTokenCache", () => {
  it("keys any input, even one JSON cannot carry, so the mint can reject it", async () => {
    const cache = createTokenCache();
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    for (const custom_fields of [circular, { visits: 10n }]) {
      const input = { revInfo: { user_ref: "u", user_traits: { custom_fields } } } as never;
      await expect(cache.get(input, () => Promise.reject(new Error("refused")))).rejects.toThrow("refused");
    }
  });

  it("keys the identity as it is sent: a Date counts as its JSON string, so new traits get a new token", async () => {
    const cache = createTokenCache();
    const { mint, calls } = tokenFactory(Date.now);
    const since = (date: Date | string) =>
      ({ revInfo: { user_ref: "u", user_traits: { custom_fields: { since: date } } } }) as never;
    const first = await cache.get(since(new Date("2026-01-01T00:00:00Z")), mint);
    const changed = await cache.get(since(new Date("2026-06-01T00:00:00Z")), mint);
    expect(changed.token).not.toBe(first.token);
    expect(calls()).toBe(2);
    // The same JSON is the same identity, whatever object produced it.
    expect((await cache.get(since("2026-06-01T00:00:00.000Z"), mint)).token).toBe(changed.token);
    expect(calls()).toBe(2);
  });

  it("tells long identities apart by their whole JSON, not a prefix", async () => {
    const cache = createTokenCache();
    const { mint, calls } = tokenFactory(Date.now);
    const long = (end: string) =>
      ({ revInfo: { user_ref: "u", user_traits: { custom_fields: { notes: `${"x".repeat(5000)}${end}` } } } }) as never;
    const [a, b, again] = [
      await cache.get(long("a"), mint),
      await cache.get(long("b"), mint),
      await cache.get(long("a"), mint),
    ];
    expect([a.token, b.token, again.token]).toEqual(["t1", "t2", "t1"]);
    expect(calls()).toBe(2);
  });

  it("single-flights concurrent requests for one identity into one mint", async () => {
    const cache = createTokenCache();
    const { mint, calls } = tokenFactory(Date.now);
    const tokens = await Promise.all(Array.from({ length: 50 }, () => cache.get(alice, mint)));
    expect(calls()).toBe(1);
    expect(new Set(tokens.map((t) => t.token))).toEqual(new Set(["t1"]));
  });

  it("never shares a token across users, or across traits of one user", async () => {
    const cache = createTokenCache();
    const { mint, calls } = tokenFactory(Date.now);
    const bob = { revInfo: { user_ref: "bob", user_traits: { display_name: "Alice" } } };
    const aliceRenamed = { revInfo: { user_ref: "alice", user_traits: { display_name: "Alicia" } } };
    const [a, b, c] = await Promise.all([cache.get(alice, mint), cache.get(bob, mint), cache.get(aliceRenamed, mint)]);
    expect(new Set([a.token, b.token, c.token]).size).toBe(3);
    expect(calls()).toBe(3);
  });

  it("treats key order as irrelevant", async () => {
    const cache = createTokenCache();
    const { mint, calls } = tokenFactory(Date.now);
    await cache.get({ revInfo: { user_ref: "a", account_ref: "x" } }, mint);
    await cache.get({ revInfo: { account_ref: "x", user_ref: "a" } }, mint);
    expect(calls()).toBe(1);
  });

  it("reuses a token until shortly before expiry, then mints again", async () => {
    let clock = 1_000_000;
    const now = () => clock;
    const cache = createTokenCache({ now, refreshBeforeMs: 60_000 });
    const { mint, calls } = tokenFactory(now, 600_000);
    expect((await cache.get(alice, mint)).token).toBe("t1");
    clock += 539_000;
    expect((await cache.get(alice, mint)).token).toBe("t1");
    clock += 1_000; // now exactly refreshBeforeMs before expiry
    expect((await cache.get(alice, mint)).token).toBe("t2");
    expect(calls()).toBe(2);
  });

  it("does not cache a token that is already too close to expiry", async () => {
    const cache = createTokenCache({ refreshBeforeMs: 60_000 });
    const { mint, calls } = tokenFactory(Date.now, 30_000);
    await cache.get(alice, mint);
    await cache.get(alice, mint);
    expect(calls()).toBe(2);
    expect(cache.size).toBe(0);
  });

  it("does not cache failures, and lets the next call try again", async () => {
    const cache = createTokenCache();
    let fail = true;
    const mint = async (): Promise<SessionToken> => {
      if (fail) throw new Error("upstream down");
      return { token: "ok", tokenType: "bearer", expiresAt: new Date(Date.now() + 600_000) };
    };
    await expect(cache.get(alice, mint)).rejects.toThrow("upstream down");
    fail = false;
    await expect(cache.get(alice, mint)).resolves.toMatchObject({ token: "ok" });
  });

  it("is bounded: the least recently used identity is evicted first", async () => {
    const cache = createTokenCache({ maxEntries: 2 });
    const { mint, calls } = tokenFactory(Date.now);
    const user = (ref: string) => ({ revInfo: { user_ref: ref } });
    await cache.get(user("a"), mint);
    await cache.get(user("b"), mint);
    await cache.get(user("a"), mint); // a is now the most recent
    await cache.get(user("c"), mint); // evicts b
    expect(cache.size).toBe(2);
    expect(calls()).toBe(3);
    await cache.get(user("a"), mint);
    expect(calls()).toBe(3);
    await cache.get(user("b"), mint);
    expect(calls()).toBe(4);
  });
});
