import { toBase64url } from "./base64url.js";
import { DEFAULTS } from "./defaults.js";
import type { SessionToken, SessionTokenInput } from "./session-token.js";

export interface TokenCacheOptions {
  /** Identities kept before the least recently used is dropped. @default 1000 */
  maxEntries?: number;
  /** A token is replaced this long before it expires. @default 60000 @unit milliseconds */
  refreshBeforeMs?: number;
  /** The clock, injectable for tests. @default Date.now */
  now?: () => number;
}

export interface TokenCache {
  /**
   * The cached token for `input`'s identity, or the result of `mint`. While a
   * mint for an identity is in flight, other callers for it share that one
   * promise. Failures are not cached. `scope` keeps callers apart: tokens
   * minted in one scope are never served in another (the handler passes its
   * client's tenant, so one cache can serve several AATs).
   */
  get(input: SessionTokenInput, mint: () => Promise<SessionToken>, scope?: string): Promise<SessionToken>;
  readonly size: number;
  clear(): void;
}

/**
 * An in-memory LRU of session tokens keyed by the whole identity: the same
 * `user_ref` with other traits is another entry, so a token minted with one
 * set of traits is never handed out for another.
 */
export function createTokenCache(options: TokenCacheOptions = {}): TokenCache {
  const {
    maxEntries = DEFAULTS.cacheMaxEntries,
    refreshBeforeMs = DEFAULTS.cacheRefreshBeforeMs,
    now = Date.now,
  } = options;
  const entries = new Map<string, SessionToken>();
  const inflight = new Map<string, Promise<SessionToken>>();
  const isFresh = (token: SessionToken) => token.expiresAt.getTime() - refreshBeforeMs > now();

  return {
    get(input, mint, scope = "") {
      return identityKey(input, scope).then((key) => {
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

        const minting = mint()
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
      });
    },
    get size() {
      return entries.size;
    },
    clear() {
      entries.clear();
    },
  };
}

/**
 * A digest (Web Crypto's SHA-256, so it runs on every runtime) of the scope
 * and everything that identifies the user and shapes the token, read as JSON
 * reads it: a `Date` counts as the string DevRev receives, and key order does
 * not matter.
 */
export async function identityKey(input: SessionTokenInput, scope = ""): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(identityJson(input, scope)));
  return toBase64url(digest);
}

/**
 * The identity as canonical JSON: what `JSON.stringify` sends (so `toJSON`
 * applies and `undefined` drops out), with every object's keys sorted. Input
 * JSON cannot carry (a BigInt, a cycle) gets a key of its own, shared with no
 * other call: `createSessionToken` then rejects it with a ValidationError.
 */
function identityJson(input: SessionTokenInput, scope: string): string {
  const { signal: _signal, timeoutMs: _timeoutMs, ...identity } = input;
  let sent: string;
  try {
    sent = JSON.stringify(identity);
  } catch {
    return JSON.stringify({ scope, unsendable: crypto.randomUUID() });
  }
  return JSON.stringify({ scope, identity: JSON.parse(sent) }, sortKeys);
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
