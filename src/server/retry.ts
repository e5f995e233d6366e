/** Statuses worth another attempt: rate limiting and transient server failures. */
const RETRYABLE = new Set([408, 429, 500, 502, 503, 504]);

export function isRetryableStatus(status: number): boolean {
  return RETRYABLE.has(status);
}

export interface BackoffOptions {
  initialRetryDelayMs: number;
  maxRetryDelayMs: number;
  /** Returns a number in [0, 1); injectable for tests. */
  random: () => number;
}

/**
 * How long to wait before retry number `retry` (0 for the first retry). A
 * server's `Retry-After` (header, or DevRev's `retry_after` in a 429 body)
 * wins; a 429 with neither waits until its `X-Ratelimit-Reset`; otherwise
 * exponential backoff with full jitter. All are capped.
 */
export async function retryDelayMs(
  retry: number,
  response: Response | undefined,
  options: BackoffOptions,
): Promise<number> {
  if (response) {
    const body = response.status === 429 && !response.headers.has("retry-after") ? await jsonOrEmpty(response) : {};
    const seconds =
      retryAfterSeconds(response.headers, body) ??
      (response.status === 429 ? secondsUntilReset(response.headers) : undefined);
    if (seconds !== undefined) return Math.min(seconds * 1000, options.maxRetryDelayMs);
  }
  const ceiling = Math.min(options.initialRetryDelayMs * 2 ** retry, options.maxRetryDelayMs);
  return Math.floor(options.random() * ceiling);
}

async function jsonOrEmpty(response: Response): Promise<Record<string, unknown>> {
  try {
    const body: unknown = await response.clone().json();
    return typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal | null): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

// Longer than any wait the client takes (see maxRetryDelayMs): "Infinity" or
// "1e400" means "wait the cap", so it is read as this rather than as absent.
const LONGEST_RETRY_AFTER_SECONDS = 86_400;

/** `Retry-After` in seconds (header as seconds or HTTP date, then the body's `retry_after`), at most a day. */
export function retryAfterSeconds(
  headers: Headers,
  body: Record<string, unknown> = {},
  now = Date.now(),
): number | undefined {
  const header = headers.get("retry-after");
  if (header !== null) {
    const seconds = Number(header);
    if (header.trim() !== "" && seconds >= 0) return Math.min(seconds, LONGEST_RETRY_AFTER_SECONDS);
    // An HTTP date names a weekday and month; a bare "-1" would parse as a year.
    const date = /[a-z]/i.test(header) ? Date.parse(header) : Number.NaN;
    if (!Number.isNaN(date)) return Math.min(Math.max(0, Math.ceil((date - now) / 1000)), LONGEST_RETRY_AFTER_SECONDS);
  }
  const fromBody = body.retry_after;
  return typeof fromBody === "number" && fromBody >= 0 ? Math.min(fromBody, LONGEST_RETRY_AFTER_SECONDS) : undefined;
}

/** DevRev's rate-limit headers, sent on every response (its rate-limits page). */
export interface RateLimit {
  /** Requests allowed in the current window (`X-Ratelimit-Limit`). */
  limit?: number;
  /** Requests left in the current window (`X-Ratelimit-Remaining`). */
  remaining?: number;
  /** When the window ends, in seconds since the Unix epoch (`X-Ratelimit-Reset`). */
  reset?: number;
}

/** The `X-Ratelimit-*` headers that hold a non-negative integer, or undefined when none does. */
export function rateLimitOf(headers: Headers): RateLimit | undefined {
  const read = (name: string) => {
    const text = headers.get(name)?.trim() ?? "";
    const value = Number(text);
    return /^\d+$/.test(text) && Number.isSafeInteger(value) ? value : undefined;
  };
  const found = Object.entries({
    limit: read("x-ratelimit-limit"),
    remaining: read("x-ratelimit-remaining"),
    reset: read("x-ratelimit-reset"),
  }).filter(([, value]) => value !== undefined);
  return found.length === 0 ? undefined : (Object.fromEntries(found) as RateLimit);
}

/** Seconds from `now` until `X-Ratelimit-Reset` (epoch seconds), at most a day; undefined without the header. */
export function secondsUntilReset(headers: Headers, now = Date.now()): number | undefined {
  const reset = rateLimitOf(headers)?.reset;
  if (reset === undefined) return undefined;
  return Math.min(Math.max(0, Math.ceil(reset - now / 1000)), LONGEST_RETRY_AFTER_SECONDS);
}
