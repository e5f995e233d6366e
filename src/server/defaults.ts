/**
 * Every default of the server entry, defined once. Options documented on
 * `createDevRevClient`, `createTokenCache` and `createSessionTokenHandler`
 * fall back to these.
 */
export const DEFAULTS = {
  /** DevRev's public API. */
  baseUrl: "https://api.devrev.ai",
  /** Per attempt, in milliseconds. */
  timeoutMs: 10_000,
  /** Per call, attempts and the waits between them included, in milliseconds. */
  totalTimeoutMs: 60_000,
  /** Retries after the first attempt. */
  maxRetries: 2,
  /** First backoff step in milliseconds; doubles per retry, with full jitter. */
  initialRetryDelayMs: 500,
  /** Longest wait between attempts in milliseconds, whatever `Retry-After` asks for. */
  maxRetryDelayMs: 30_000,
  /** Largest answer read from DevRev, in bytes; a token response is a few kilobytes. */
  maxResponseBytes: 1_048_576,
  /** Most identities the token cache holds before evicting the least recently used. */
  cacheMaxEntries: 1_000,
  /** A cached token is replaced this many milliseconds before it expires. */
  cacheRefreshBeforeMs: 60_000,
  /**
   * Bound on each call to a token cache's shared store, in milliseconds. Redis
   * answers in one, but a burst of requests delays reading its answer: a
   * tighter bound would have each instance mint for itself just then.
   */
  cacheStoreTimeoutMs: 1_000,
  /** How often an instance waiting on another's store lock looks for its token, in milliseconds. */
  cacheStorePollMs: 25,
  /** How long a store lock lasts when the caller has no deadline (the handler's budget), in milliseconds. */
  cacheLockTtlMs: 5_000,
  /**
   * Longest the handler takes to answer, `identify` included, in milliseconds.
   * A page waits on it, so DevRev's rate limits are passed on (429 with
   * `Retry-After`) rather than waited out.
   */
  handlerBudgetMs: 5_000,
  /** Calls to DevRev a handler makes at once; more requests queue, within the budget. */
  handlerMaxConcurrentCalls: 64,
  /** Largest request body `toNodeHandler` passes on, in bytes (express.json's limit); a session request carries a cookie, not a body. */
  nodeMaxBodyBytes: 102_400,
  /** The least severe log line written when neither `logLevel` nor `DEVREV_PLUG_LOG` says: failures only. */
  logLevel: "warn",
} as const;

/** This package's version; a test keeps it equal to package.json's. */
export const VERSION = "0.1.0";

/** Sent as `User-Agent` so DevRev can tell this library's traffic apart. */
export const USER_AGENT = `devrev-plug-session/${VERSION}`;
