import { retryAfterSeconds } from "./errors.js";

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
 * wins; otherwise exponential backoff with full jitter. Both are capped.
 */
export async function retryDelayMs(
  retry: number,
  response: Response | undefined,
  options: BackoffOptions,
): Promise<number> {
  if (response) {
    const body = response.status === 429 && !response.headers.has("retry-after") ? await jsonOrEmpty(response) : {};
    const seconds = retryAfterSeconds(response.headers, body);
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
