import { DEFAULTS } from "./defaults.js";
import { sha256Base64url } from "./digest.js";
import { ConfigurationError, type DevRevError } from "./errors.js";
import type { SessionToken, SessionTokenInput } from "./session-token.js";
import { createStoreTier } from "./store-tier.js";
import type { TokenCacheContext, TokenStore } from "./token-store.js";

export interface TokenCacheOptions {
  /** Identities kept before the least recently used is dropped. @default 1000 */
  maxEntries?: number;
  /** A token is replaced this long before it expires. @default 60000 @unit milliseconds */
  refreshBeforeMs?: number;
  /** The clock, injectable for tests. @default Date.now */
  now?: () => number;
  /**
   * A store shared by every instance of the site, behind the in-memory tier:
   * a Keyv instance, `createRedisTokenStore(redis)`, or anything with the
   * same `get`, `set` and `delete`. Its keys are HMACs and its values sealed,
   * both under keys derived from the scope (the handler's AAT). A store that
   * fails never fails a request: the token is minted instead.
   * @default undefined: this process only
   */
  store?: TokenStore;
  /** Bound on each call to the store; past it the store counts as failed for that request. @default 1000 @unit milliseconds */
  storeTimeoutMs?: number;
  /**
   * When an instance that lost the store's lock first looks for the winner's
   * token; it looks again at doubling intervals, up to 16 times this.
   * @default 25 @unit milliseconds
   */
  storePollMs?: number;
  /**
   * How long the store's lock lasts when the caller has no deadline (the
   * handler's lock lasts its remaining budget). An instance waiting on the
   * lock mints itself halfway through. @default 5000 @unit milliseconds
   */
  lockTtlMs?: number;
  /** Receives the store's failures, once per burst. @default the handler's `onError` */
  onError?: (error: DevRevError) => void;
}

export interface TokenCache {
  /**
   * The cached token for `input`'s identity, or the result of `mint`. While a
   * mint for an identity is in flight, other callers for it share that one
   * promise. Failures are not cached. `scope` keeps callers apart: tokens
   * minted in one scope are never served in another (the handler passes its
   * client's tenant, so one cache can serve several AATs). With a store, the
   * store's keys derive from `scope`, so it must be a secret: the handler's
   * is a digest of DevRev's origin and the AAT.
   */
  get(
    input: SessionTokenInput,
    mint: () => Promise<SessionToken>,
    scope?: string,
    context?: TokenCacheContext,
  ): Promise<SessionToken>;
  /** Identities held in this process. */
  readonly size: number;
  /** Forgets this process's tokens; a store's entries expire with their tokens. */
  clear(): void;
}

/**
 * Session tokens keyed by the whole identity: the same `user_ref` with other
 * traits is another entry, so a token minted with one set of traits is never
 * handed out for another. An in-memory LRU first, then the optional store.
 */
export function createTokenCache(options: TokenCacheOptions = {}): TokenCache {
  const {
    maxEntries = DEFAULTS.cacheMaxEntries,
    refreshBeforeMs = DEFAULTS.cacheRefreshBeforeMs,
    now = Date.now,
    store,
    storeTimeoutMs = DEFAULTS.cacheStoreTimeoutMs,
    storePollMs = DEFAULTS.cacheStorePollMs,
    lockTtlMs = DEFAULTS.cacheLockTtlMs,
  } = options;
  for (const [name, value] of Object.entries({ storeTimeoutMs, storePollMs, lockTtlMs })) {
    if (!Number.isInteger(value) || value < 1 || value > 2 ** 31 - 1) {
      throw new ConfigurationError(`createTokenCache: \`${name}\` must be an integer from 1 to 2147483647`);
    }
  }
  if (store !== undefined && !isStore(store)) {
    throw new ConfigurationError(
      "createTokenCache: `store` must have get, set and delete methods, as a Keyv instance has",
    );
  }
  const storeTier =
    store &&
    createStoreTier({
      store,
      timeoutMs: storeTimeoutMs,
      pollMs: storePollMs,
      lockTtlMs,
      refreshBeforeMs,
      now,
      onError: options.onError,
    });
  const entries = new Map<string, SessionToken>();
  const inflight = new Map<string, Promise<SessionToken>>();
  const isFresh = (token: SessionToken) => token.expiresAt.getTime() - refreshBeforeMs > now();

  return {
    async get(input, mint, scope = "", context = {}) {
      if (storeTier && scope === "") {
        throw new ConfigurationError(
          "a token cache with a store needs `scope`, a secret its keys derive from (the handler passes its own)",
        );
      }
      const identity = identityJson(input);
      const key = await memoryKey(scope, identity);
      const cached = entries.get(key);
      if (cached && isFresh(cached)) {
        // Re-insert to mark it most recently used.
        entries.delete(key);
        entries.set(key, cached);
        return cached;
      }
      entries.delete(key);
      const pending = inflight.get(key);
      if (pending) return pending;

      // Input JSON cannot carry skips the store: the mint rejects it.
      const found = storeTier && identity !== undefined ? storeTier(identity, scope, mint, context) : mint();
      const minting = found
        .then((token) => {
          if (isFresh(token)) {
            entries.set(key, token);
            if (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
          }
          return token;
        })
        .finally(() => inflight.delete(key));
      inflight.set(key, minting);
      return minting;
    },
    get size() {
      return entries.size;
    },
    clear() {
      entries.clear();
    },
  };
}

/** Longest key kept as it is; its JSON-quoted scope starts it with `"`, digests with `#`, one-off keys with `!`. */
const MAX_PLAIN_KEY_LENGTH = 1024;

/**
 * The in-memory tier's key: the scope and identity themselves, which needs no
 * digest on the hit path (Web Crypto's costs more than the rest of a cached
 * answer); a longer one is digested so 1000 entries stay small. Input JSON
 * cannot carry gets a key shared with no other call.
 */
async function memoryKey(scope: string, identity: string | undefined): Promise<string> {
  if (identity === undefined) return `!${crypto.randomUUID()}`;
  const plain = `${JSON.stringify(scope)}\n${identity}`;
  return plain.length <= MAX_PLAIN_KEY_LENGTH ? plain : `#${await sha256Base64url(plain)}`;
}

function isStore(value: unknown): value is TokenStore {
  const store = value as Partial<Record<keyof TokenStore, unknown>> | null;
  return typeof store?.get === "function" && typeof store.set === "function" && typeof store.delete === "function";
}

/**
 * The identity (everything that identifies the user and shapes the token) as
 * canonical JSON: what `JSON.stringify` sends, so `toJSON` applies (a `Date`
 * is its ISO string) and `undefined` drops out, with every object's keys
 * sorted. Undefined for input JSON cannot carry (a BigInt, a cycle), which
 * `createSessionToken` rejects.
 */
function identityJson(input: SessionTokenInput): string | undefined {
  const { signal: _signal, timeoutMs: _timeoutMs, ...identity } = input;
  let sent: string;
  try {
    sent = JSON.stringify(identity);
  } catch {
    return undefined;
  }
  return JSON.stringify(JSON.parse(sent), sortKeys);
}

/** A `JSON.stringify` replacer that writes each plain object's keys in sorted order. */
function sortKeys(_key: string, value: unknown): unknown {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
  const record = value as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(record)
      .sort()
      .map((key) => [key, record[key]]),
  );
}
