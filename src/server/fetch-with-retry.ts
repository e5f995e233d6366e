import { AbortedError, NetworkError, TimeoutError } from "./errors.js";
import { tokenForms } from "./redact.js";
import { isRetryableStatus, retryDelayMs, sleep } from "./retry.js";

export interface FetchWithRetryOptions {
  /** A replacement for the global fetch, given a Request per attempt. */
  fetch?: ((request: Request) => Promise<Response>) | undefined;
  token: string;
  userAgent: string;
  timeoutMs: number;
  maxRetries: number;
  initialRetryDelayMs: number;
  maxRetryDelayMs: number;
  random: () => number;
}

/**
 * The `fetch` openapi-fetch calls: it adds the `Authorization` and
 * `User-Agent` headers, gives each attempt its own timeout, and retries
 * network failures and retryable statuses. It returns the last response
 * (success or not) and throws only TimeoutError or NetworkError, so the
 * caller keeps openapi-fetch's `{ data, error }` contract. A caller's own
 * abort, even one before the call, is never retried or sent: it is an
 * AbortedError whose `cause` is the signal's reason.
 */
export function createFetchWithRetry(options: FetchWithRetryOptions): (request: Request) => Promise<Response> {
  const secrets = tokenForms(options.token);
  const custom = options.fetch;
  return async (input) => {
    const { url, method, signal: callerSignal } = input;
    const aborted = () =>
      new AbortedError("the call to DevRev was aborted by its signal", { cause: callerSignal.reason, secrets });
    const headers = withAuth(input.headers, options);
    // A request body can be read once; keep the bytes so each attempt can resend them.
    const body = input.body === null ? null : await input.arrayBuffer();

    for (let attempt = 0; ; attempt++) {
      // A signal aborted before this attempt fires no more events: check it, or the request goes out anyway.
      if (callerSignal.aborted) throw aborted();
      const isLast = attempt >= options.maxRetries;
      // One controller per attempt, aborted by the timer or by the caller.
      const controller = new AbortController();
      const init: RequestInit = { method, headers, body, signal: controller.signal };
      // The global fetch takes the parts directly, skipping a Request object per attempt.
      const request = custom ? new Request(url, init) : undefined;
      // The pending timer also holds the request: a custom fetch that only listens
      // to request.signal would otherwise be unreachable, and collected unaborted.
      const timer = setTimeout(
        () => controller.abort(request && new Error(`timeout for ${request.url}`)),
        options.timeoutMs,
      );
      const forwardAbort = () => controller.abort(callerSignal.reason);
      callerSignal.addEventListener("abort", forwardAbort, { once: true });
      let response: Response | undefined;
      try {
        const raw = await (custom && request ? custom(request) : fetch(url, init));
        // The body is read under the same timeout, so a server that stalls mid-body cannot hang the call.
        response = await buffered(raw);
      } catch (error) {
        if (callerSignal.aborted) throw aborted();
        const failure = controller.signal.aborted
          ? new TimeoutError(`DevRev did not answer within ${options.timeoutMs} ms (attempt ${attempt + 1})`, {
              secrets,
            })
          : new NetworkError(`could not reach DevRev at ${new URL(url).origin}: ${describe(error)}`, {
              cause: error,
              secrets,
            });
        if (isLast) throw failure;
      } finally {
        clearTimeout(timer);
        callerSignal.removeEventListener("abort", forwardAbort);
      }
      if (response && (isLast || !isRetryableStatus(response.status))) return response;

      // sleep rejects only when the signal aborts.
      await sleep(await retryDelayMs(attempt, response, options), callerSignal).catch(() => {
        throw aborted();
      });
    }
  };
}

/** Statuses whose responses cannot carry a body. */
const NULL_BODY = new Set([101, 204, 205, 304]);

async function buffered(response: Response): Promise<Response> {
  const bytes = NULL_BODY.has(response.status) ? null : await response.arrayBuffer();
  const { status, statusText, headers } = response;
  return new Response(bytes, { status, statusText, headers });
}

function withAuth(headers: Headers, options: FetchWithRetryOptions): Headers {
  const result = new Headers(headers);
  result.set("Authorization", options.token);
  if (!result.has("User-Agent")) result.set("User-Agent", options.userAgent);
  return result;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error.cause as { code?: unknown } | undefined)?.code;
  return typeof code === "string" ? `${error.message} (${code})` : error.message;
}
