/**
 * DevRev's rate limiting as the mock plays it: a counter per access token
 * and fixed window, reported on every API answer in DevRev's
 * `X-Ratelimit-Limit`, `X-Ratelimit-Remaining` and `X-Ratelimit-Reset`
 * (epoch seconds) headers. A request past the limit is answered 429 with
 * `Retry-After` until the window ends.
 */

/**
 * Requests one access token may make per window. DevRev publishes no figure
 * for `auth-tokens.create`; the mock's is high enough that no ordinary test
 * meets it. A scenario's `rateLimit` lowers it, to exhaust it on purpose.
 * @unit requests per window
 */
export const DEFAULT_RATE_LIMIT = 1000;
/** The window's length: the mock's choice, as DevRev publishes none either. @unit seconds */
export const RATE_LIMIT_WINDOW_SECONDS = 60;
/** Windows remembered at once; past it the oldest is forgotten, so a mock serving many tokens stays small. */
const MAX_WINDOWS = 10_000;

export interface RateLimitCount {
  limit: number;
  /** Requests left in the window after this one; 0 once exhausted. */
  remaining: number;
  /** When the window ends, in seconds since the Unix epoch. */
  reset: number;
  /** True when this request went past the limit. */
  exceeded: boolean;
}

export class RateLimits {
  readonly #windows = new Map<string, { reset: number; used: number }>();

  /** Counts one request by `token` at `now` (ms) against `limit`. */
  count(token: string, limit: number, now: number): RateLimitCount {
    const seconds = Math.floor(now / 1000);
    let window = this.#windows.get(token);
    if (!window || window.reset <= seconds) {
      window = { reset: seconds + RATE_LIMIT_WINDOW_SECONDS, used: 0 };
      this.#windows.delete(token);
      this.#windows.set(token, window);
      if (this.#windows.size > MAX_WINDOWS) this.#windows.delete(this.#windows.keys().next().value as string);
    }
    window.used += 1;
    return {
      limit,
      remaining: Math.max(0, limit - window.used),
      reset: window.reset,
      exceeded: window.used > limit,
    };
  }

  clear(): void {
    this.#windows.clear();
  }
}

/** DevRev's three headers for a count. */
export function rateLimitHeaders(count: RateLimitCount): Record<string, string> {
  return {
    "X-Ratelimit-Limit": String(count.limit),
    "X-Ratelimit-Remaining": String(count.remaining),
    "X-Ratelimit-Reset": String(count.reset),
  };
}
