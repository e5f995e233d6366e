import type { DevRevError } from "./errors.js";
import type { SessionToken } from "./session-token.js";
import { deriveStoreKeys, entryName, type StoreKeys, seal, unseal } from "./store-sealing.js";
import { bounded, type TokenCacheContext, type TokenStore, TokenStoreError } from "./token-store.js";

export interface StoreTierOptions {
  store: TokenStore;
  /** Bound on each store call. */
  timeoutMs: number;
  /** How often an instance waiting on another's lock looks for its token. */
  pollMs: number;
  /** How long a lock lasts when the caller has no deadline. */
  lockTtlMs: number;
  refreshBeforeMs: number;
  now: () => number;
  /** Where store failures go; without it, the caller's `onError`. */
  onError: ((error: DevRevError) => void) | undefined;
}

/**
 * Finds an identity's token in the shared store, or mints it there once for
 * every instance: the first to miss takes the store's lock and mints; the
 * others look for its token after `pollMs`, then at doubling intervals (up to
 * 16 times `pollMs`), until halfway to their deadline, then mint themselves.
 * A store that fails (throws, is slow, holds a value that does not unseal)
 * costs one bounded call: that request mints without the store, and the
 * failure is reported once per burst of failing requests.
 */
export function createStoreTier(options: StoreTierOptions) {
  const { store, timeoutMs, pollMs, lockTtlMs, refreshBeforeMs, now } = options;
  const keysByScope = new Map<string, Promise<StoreKeys>>();
  let inBurst = false;

  const keysFor = (scope: string) => {
    let keys = keysByScope.get(scope);
    if (!keys) {
      keys = deriveStoreKeys(scope);
      keysByScope.set(scope, keys);
      // A derivation that failed is tried again by the next request, not remembered.
      const derived = keys;
      derived.catch(() => keysByScope.get(scope) === derived && keysByScope.delete(scope));
      // Scopes are tenants, a handful; the bound only stops a caller inventing them from growing this.
      if (keysByScope.size > MAX_SCOPES) keysByScope.delete(keysByScope.keys().next().value as string);
    }
    return keys;
  };

  return async function lookUp(
    identity: string,
    scope: string,
    mint: () => Promise<SessionToken>,
    context: TokenCacheContext,
  ): Promise<SessionToken> {
    const started = now();
    const lockTtl = context.deadline === undefined ? lockTtlMs : Math.max(1, context.deadline - started);
    const patience = started + lockTtl / 2;
    // Any failure in this lookup keeps the burst going; a call that failed also ends this lookup's use of the store.
    let failed = false;
    let down = false;
    const fail = (error: unknown) => {
      failed = true;
      if (inBurst) return;
      inBurst = true;
      const report = options.onError ?? context.onError;
      report?.(
        error instanceof TokenStoreError ? error : new TokenStoreError("the token store failed", { cause: error }),
      );
    };
    /** The store call's answer, or FAILED once a store call of this lookup has failed. */
    const call = async <T>(what: string, fn: () => Promise<T>): Promise<T | typeof FAILED> => {
      if (down) return FAILED;
      try {
        return await bounded(what, fn, timeoutMs);
      } catch (error) {
        down = true;
        fail(error);
        return FAILED;
      }
    };

    let keys: StoreKeys;
    let name: string;
    try {
      keys = await keysFor(scope);
      name = await entryName(keys, identity);
    } catch (error) {
      fail(error);
      return mint();
    }
    const read = async (): Promise<SessionToken | undefined> => {
      const value = await call("get", () => store.get(name));
      if (value === FAILED || value === undefined || value === null) return undefined;
      try {
        const token = await unseal(keys, name, value);
        return token.expiresAt.getTime() - refreshBeforeMs > now() ? token : undefined;
      } catch (error) {
        fail(
          new TokenStoreError("the token store held a value that does not unseal; minting instead", { cause: error }),
        );
        // Gone, so other instances do not trip over it while this one mints.
        await call("delete", () => store.delete(name));
        return undefined;
      }
    };
    const mintAndWrite = async (): Promise<SessionToken> => {
      const token = await mint();
      const ttl = token.expiresAt.getTime() - refreshBeforeMs - now();
      if (ttl > 0 && !down) {
        const sealed = await seal(keys, name, token);
        await call("set", () => store.set(name, sealed, ttl));
      }
      return token;
    };

    let pause = pollMs;
    try {
      for (;;) {
        const found = await read();
        if (found) return found;
        if (down || !store.lock) return await mintAndWrite();
        const lock = store.lock.bind(store);
        const release = await call("lock", () => lock(name, lockTtl));
        if (release === FAILED) return await mintAndWrite();
        if (release) {
          try {
            // Another instance may have written the token and let go of the lock since the read above.
            return (await read()) ?? (await mintAndWrite());
          } finally {
            // Not awaited: the answer need not wait for the unlock, and an unlock that fails is only reported.
            void bounded("unlock", release, timeoutMs).catch(fail);
          }
        }
        const left = patience - now();
        if (left <= 0) return await mintAndWrite();
        await new Promise((resolve) => setTimeout(resolve, Math.min(pause, left)));
        // Backing off keeps a fleet's waiters from flooding the store while DevRev is slow.
        pause = Math.min(pause * 2, pollMs * MAX_POLL_BACKOFF);
      }
    } finally {
      if (!failed) inBurst = false;
    }
  };
}

const FAILED = Symbol("store call failed");
const MAX_SCOPES = 64;
const MAX_POLL_BACKOFF = 16;
