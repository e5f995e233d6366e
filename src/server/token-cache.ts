import { createHash } from "node:crypto";
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
      const key = identityKey(input, scope);
      const cached = entries.get(key);
      if (cached && isFresh(cached)) {
        // Re-insert to mark it most recently used.
        entries.delete(key);
        entries.set(key, cached);
        return Promise.resolve(cached);
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
    },
    get size() {
      return entries.size;
    },
    clear() {
      entries.clear();
    },
  };
}

/** A digest of the scope and everything that identifies the user and shapes the token; key order does not matter. */
export function identityKey(input: SessionTokenInput, scope = ""): string {
  const { signal: _signal, timeoutMs: _timeoutMs, ...identity } = input;
  return createHash("sha256").update(stableJson({ scope, identity })).digest("base64url");
}

/**
 * JSON with sorted keys. It never throws, so a key exists for any input: what
 * JSON cannot carry (a BigInt, a cycle) gets a marker here, and
 * `createSessionToken` then rejects that input with a ValidationError.
 */
function stableJson(value: unknown, parents: object[] = []): string {
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value !== "object" || value === null) return JSON.stringify(value) ?? "null";
  if (parents.includes(value)) return '"[circular]"';
  const inner = [...parents, value];
  if (Array.isArray(value)) return `[${value.map((item) => stableJson(item, inner)).join(",")}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${stableJson(record[key], inner)}`).join(",")}}`;
}
