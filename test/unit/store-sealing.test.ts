import { isDeepStrictEqual } from "node:util";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createTokenCache, type SessionToken, type SessionTokenInput } from "../../src/server/index.js";
import { deriveStoreKeys, entryName, seal, unseal } from "../../src/server/store-sealing.js";

// Small domains, so that equal identities (and equal JSON from different values) come up often.
const value = fc.oneof(
  fc.constantFrom("a", "b", "2026-01-01T00:00:00.000Z"),
  fc.constantFrom(1, 2),
  fc.constant(undefined),
  fc.constantFrom(new Date("2026-01-01T00:00:00Z"), new Date("2026-06-01T00:00:00Z")),
);
const identity = fc.record(
  {
    user_ref: fc.constantFrom("ada", "grace"),
    user_traits: fc.record(
      { display_name: fc.constantFrom("Ada", "Grace"), custom_fields: fc.dictionary(fc.constantFrom("x", "y"), value) },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: ["user_ref"] },
);

describe("the cache key and what is sent agree", () => {
  it("two identities share a token exactly when the JSON they send is equal", async () => {
    await fc.assert(
      fc.asyncProperty(identity, identity, async (a, b) => {
        const cache = createTokenCache();
        let n = 0;
        const mint = async (): Promise<SessionToken> => ({
          token: `t${++n}`,
          tokenType: "bearer",
          expiresAt: new Date(Date.now() + 600_000),
        });
        const first = await cache.get({ revInfo: a } as SessionTokenInput, mint);
        const second = await cache.get({ revInfo: b } as SessionTokenInput, mint);
        const sent = (revInfo: unknown) => JSON.parse(JSON.stringify(revInfo));
        expect(first.token === second.token).toBe(isDeepStrictEqual(sent(a), sent(b)));
      }),
      { numRuns: 300 },
    );
  });
});

describe("sealing", () => {
  it("opens what it sealed, and only under the same secret and entry name", async () => {
    const [keys, others] = await Promise.all([deriveStoreKeys("tenant-a"), deriveStoreKeys("tenant-b")]);
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1 }),
        fc.integer({ min: 0, max: 8.64e15 }),
        fc.string(),
        fc.string(),
        async (token, expiresAt, identityA, identityB) => {
          const name = await entryName(keys, identityA);
          const sealed = await seal(keys, name, { token, tokenType: "bearer", expiresAt: new Date(expiresAt) });
          // Short strings turn up in any base64 text by chance; a token of 8 characters does not.
          if (token.length >= 8) expect(sealed).not.toContain(token);
          const opened = await unseal(keys, name, sealed);
          expect([opened.token, opened.expiresAt.getTime()]).toEqual([token, expiresAt]);
          // Another tenant's keys name the identity differently and cannot open it.
          expect(await entryName(others, identityA)).not.toBe(name);
          await expect(unseal(others, name, sealed)).rejects.toThrow();
          // Moved under another identity's name, it does not open either.
          if (identityA !== identityB)
            await expect(unseal(keys, await entryName(keys, identityB), sealed)).rejects.toThrow();
        },
      ),
      { numRuns: 100 },
    );
  });
});
