import { DevRevError } from "./errors.js";

/**
 * Where a token cache keeps tokens beyond one process, so every instance of a
 * site (serverless functions, containers behind a balancer) serves one token
 * per user. It is the shape of a Keyv instance, so Keyv with any of its
 * adapters (Redis, Valkey, Postgres, Cloudflare KV) works as it is;
 * `createRedisTokenStore` adds a lock across instances. Keys carry no user
 * data and values are sealed: the cache hands a store nothing readable.
 */
export interface TokenStore {
  /** The value stored under `key`, or undefined (or null) when there is none. */
  get(key: string): Promise<unknown>;
  /** Stores `value` under `key` for `ttlMs` milliseconds. */
  set(key: string, value: string, ttlMs: number): Promise<unknown>;
  delete(key: string): Promise<unknown>;
  /**
   * Optional: takes a lock on `key` for every instance sharing the store, for
   * at most `ttlMs` milliseconds (a holder that dies cannot keep it). Resolves
   * to the function that releases it, or undefined when another instance
   * holds it. Without it, instances that miss at once each mint.
   */
  lock?(key: string, ttlMs: number): Promise<(() => Promise<unknown>) | undefined>;
}

/** What one caller of `TokenCache.get` brings: when it must have an answer, and where the store's failures go. */
export interface TokenCacheContext {
  /**
   * When the caller answers, whatever happens (the handler's budget): a lock
   * taken lasts until then, and a wait on another instance's lock ends
   * halfway there. @unit epoch milliseconds
   */
  deadline?: number;
  /** Receives the store's failures when the cache has no `onError` of its own. */
  onError?: (error: DevRevError) => void;
}

/**
 * The token store failed (it threw, did not answer in time, or held a value
 * that does not unseal). Reported through `onError`, never thrown to the
 * caller: the token is minted instead.
 */
export class TokenStoreError extends DevRevError {
  override name = "TokenStoreError";
}

/** What `call` resolves to, or a TokenStoreError once `timeoutMs` has passed (a late rejection is swallowed, not left unhandled). */
export function bounded<T>(what: string, call: () => Promise<T>, timeoutMs: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new TokenStoreError(`the token store's ${what} did not answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  // A store that throws synchronously fails the same way as one that rejects.
  const answer = Promise.resolve()
    .then(call)
    .catch((error: unknown) => {
      throw new TokenStoreError(`the token store's ${what} failed`, { cause: error });
    });
  return Promise.race([answer, late]).finally(() => clearTimeout(timer));
}
