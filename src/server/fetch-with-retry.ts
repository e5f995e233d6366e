import { AbortedError, InvalidResponseError, NetworkError, TimeoutError } from "./errors.js";
import { KeptBodyRequest } from "./kept-body.js";
import type { Log } from "./logger.js";
import { createRedactor, redactJsonText, tokenForms } from "./redact.js";
import { isRetryableStatus, retryDelayMs, sleep } from "./retry.js";

export interface FetchWithRetryOptions {
  /** A replacement for the global fetch, given a Request per attempt. */
  fetch?: ((request: Request) => Promise<Response>) | undefined;
  token: string;
  userAgent: string;
  timeoutMs: number;
  totalTimeoutMs: number;
  maxRetries: number;
  initialRetryDelayMs: number;
  maxRetryDelayMs: number;
  maxResponseBytes: number;
  random: () => number;
  /** Each attempt at debug, each retry at info. */
  log: Log;
}

/** The fetch of one call; `totalTimeoutMs` overrides the client's overall deadline for this call. */
export type SendRequest = (request: Request, call?: { totalTimeoutMs?: number | undefined }) => Promise<Response>;

/**
 * The `fetch` openapi-fetch calls: it adds the `Authorization` and
 * `User-Agent` headers, gives each attempt its own timeout within an overall
 * deadline, and retries network failures and retryable statuses. Retrying is
 * safe for `auth-tokens.create`: a repeated call mints another token for the
 * same user and changes nothing else.
 *
 * It returns the last response (success or not), buffered, size-capped and
 * with the token removed from its headers and body, so nothing openapi-fetch
 * hands back (`data`, `error`, `response`) can echo the token. It throws only
 * this library's errors: TimeoutError, NetworkError, InvalidResponseError (an
 * answer over `maxResponseBytes`), and AbortedError for the caller's own
 * abort, which is never retried or sent.
 */
export function createFetchWithRetry(options: FetchWithRetryOptions): SendRequest {
  // Every form of the token that an answer could echo, removed from each one.
  const secrets = tokenForms(options.token);
  const custom = options.fetch;
  // A custom fetch is given a Request, as documented; the global one takes the parts, which skips
  // building a Request per attempt (a fifth of a call's cost).
  const send: Exchange["send"] = custom
    ? (url, init) => custom(new Request(url, init))
    : (url, init) => fetch(url, init);
  const shared: Exchange = { send, clean: createRedactor(secrets), maxResponseBytes: options.maxResponseBytes };
  return async (input, call = {}) => {
    const deadline = Date.now() + Math.min(call.totalTimeoutMs ?? options.totalTimeoutMs, options.totalTimeoutMs);
    const { url, method, signal: callerSignal } = input;
    const aborted = () =>
      new AbortedError("the call to DevRev was aborted by its signal", { cause: callerSignal.reason, secrets });
    const headers = withAuth(input.headers, options);
    // A request body can be read once; keep it so each attempt can resend it. The text our
    // client's requests were built from is that body, without reading their stream back.
    const body = KeptBodyRequest.textOf(input) ?? (input.body === null ? null : await input.arrayBuffer());

    for (let attempt = 1; ; attempt++) {
      // A signal aborted before this attempt fires no more events: check it, or the request goes out anyway.
      if (callerSignal.aborted) throw aborted();
      const limitMs = Math.max(0, Math.min(options.timeoutMs, deadline - Date.now()));
      // Redirects are not followed: they would resend the token to wherever DevRev's answer points.
      const init = {
        method,
        headers,
        body: typeof body === "string" ? body : body && body.slice(0),
        redirect: "manual" as const,
      };
      let outcome: Response | TimeoutError | NetworkError;
      const started = Date.now();
      try {
        outcome = await exchange(url, init, limitMs, callerSignal, shared);
      } catch (error) {
        if (callerSignal.aborted) throw aborted();
        if (error instanceof InvalidResponseError) throw error;
        outcome =
          error instanceof TimeoutError
            ? new TimeoutError(`DevRev did not answer within ${limitMs} ms (attempt ${attempt})`, { secrets })
            : new NetworkError(`could not reach DevRev at ${new URL(url).origin}: ${describe(error)}`, {
                cause: error,
                secrets,
              });
      }
      if (options.log.enabled("debug")) {
        options.log.write(
          "debug",
          `${method} ${url}: ${attemptOutcome(outcome, Date.now() - started)} (attempt ${attempt})`,
        );
      }
      const retryable = outcome instanceof Response ? isRetryableStatus(outcome.status) : true;
      const delay =
        retryable && attempt <= options.maxRetries
          ? await retryDelayMs(attempt - 1, outcome instanceof Response ? outcome : undefined, options)
          : undefined;
      // No retry whose wait would end past the deadline: the caller learns now what it would learn then.
      if (delay === undefined || Date.now() + delay >= deadline) {
        if (outcome instanceof Response) return outcome;
        throw outcome;
      }
      options.log.write(
        "info",
        `${method} ${url}: retry ${attempt} of ${options.maxRetries} in ${delay} ms, after ${outcome instanceof Response ? outcome.status : outcome.name}`,
      );
      // sleep rejects only when the signal aborts.
      await sleep(delay, callerSignal).catch(() => {
        throw aborted();
      });
    }
  };
}

/** Marks an attempt that ran out of time, before it is described. */
const ATTEMPT_TIMED_OUT = new TimeoutError("attempt timed out");

/** What every attempt of a client shares: how to send, and how to clean what comes back. */
interface Exchange {
  send: (url: string, init: RequestInit) => Promise<Response>;
  /** Removes every form of the token from a string. */
  clean: (text: string) => string;
  maxResponseBytes: number;
}

/**
 * One attempt: the request and its whole body, within `limitMs`. The timer
 * settles the attempt itself instead of trusting the fetch to honour its
 * signal, so a custom fetch that ignores `request.signal` or a body that never
 * ends is still bounded.
 */
function exchange(
  url: string,
  init: RequestInit,
  limitMs: number,
  callerSignal: AbortSignal,
  { send, ...cleaning }: Exchange,
): Promise<Response> {
  const controller = new AbortController();
  return new Promise<Response>((resolve, reject) => {
    // Whichever comes first settles the attempt: the answer, the timer, or the caller's abort.
    const stop = (reason: unknown) => {
      controller.abort(reason);
      reject(reason);
    };
    const forwardAbort = () => stop(callerSignal.reason);
    callerSignal.addEventListener("abort", forwardAbort, { once: true });
    const timer = setTimeout(() => stop(ATTEMPT_TIMED_OUT), limitMs);
    const settle = () => {
      clearTimeout(timer);
      callerSignal.removeEventListener("abort", forwardAbort);
    };
    (async () => {
      const raw = await send(url, { ...init, signal: controller.signal });
      // A late answer to an attempt already given up on must not keep its connection open.
      if (controller.signal.aborted) {
        await raw.body?.cancel().catch(() => {});
        throw controller.signal.reason;
      }
      return cleaned(raw, cleaning, controller.signal);
    })().then(
      (response) => {
        settle();
        resolve(response);
      },
      (error: unknown) => {
        settle();
        reject(error);
      },
    );
  });
}

/** Statuses whose responses cannot carry a body. */
const NULL_BODY = new Set([204, 205, 304]);

/** The response buffered within the size cap, with every form of the token removed from headers and body. */
async function cleaned(
  raw: Response,
  { clean, maxResponseBytes }: Omit<Exchange, "send">,
  signal: AbortSignal,
): Promise<Response> {
  // Response.error(), or an opaque redirect from a fetch that ignores `redirect: "manual"`.
  if (raw.type === "error" || raw.status === 0) throw new TypeError("the fetch returned a network error");
  const { status } = raw;
  const bytes = NULL_BODY.has(status) ? null : await readCapped(raw, maxResponseBytes, signal);
  return new Response(bytes && redactBytes(bytes, clean), { status, ...cleanedHead(raw, clean) });
}

/**
 * The answer's status text and headers with every form of the token removed.
 * They are cleaned as one text first: a form in any of them is a form in
 * that text (a line feed, which none can hold, parts them), so when it comes
 * back unchanged, as nearly every answer does, they are passed on as they are.
 */
function cleanedHead(raw: Response, clean: (text: string) => string): { statusText: string; headers: Headers } {
  let all = raw.statusText;
  for (const [, value] of raw.headers) all += `\n${value}`;
  if (clean(all) === all) return { statusText: raw.statusText, headers: raw.headers };
  const headers = new Headers();
  for (const [name, value] of raw.headers) headers.append(name, clean(value));
  return { statusText: clean(raw.statusText), headers };
}

async function readCapped(
  response: Response,
  maxBytes: number,
  signal: AbortSignal,
): Promise<Uint8Array<ArrayBuffer> | null> {
  const tooLarge = () =>
    new InvalidResponseError(response.status, `DevRev's ${response.status} answer is larger than ${maxBytes} bytes`);
  const declared = response.headers.get("content-length");
  if (Number(declared) > maxBytes) {
    await response.body?.cancel().catch(() => {});
    throw tooLarge();
  }
  if (!response.body) return null;
  // A length within the cap, which fetch enforces as the body's framing: read it whole, the fast way.
  if (declared !== null && declared.trim() !== "") return new Uint8Array(await response.arrayBuffer());
  const reader = response.body.getReader();
  // Given up on (timeout or abort): cancel the body, which also ends a read in progress.
  const cancel = () => void reader.cancel().catch(() => {});
  signal.addEventListener("abort", cancel, { once: true });
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (signal.aborted) throw signal.reason;
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        cancel();
        throw tooLarge();
      }
      chunks.push(value);
    }
  } finally {
    signal.removeEventListener("abort", cancel);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** The body as received, unless a form of the token appears in it, as text or in a JSON string's value. */
function redactBytes(bytes: Uint8Array<ArrayBuffer>, clean: (text: string) => string): Uint8Array<ArrayBuffer> {
  const text = decoder.decode(bytes);
  const cleaned = redactJsonText(text, clean);
  return cleaned === text ? bytes : encoder.encode(cleaned);
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

/** An attempt's status or error, its duration, and DevRev's request id when it sent one. */
function attemptOutcome(outcome: Response | Error, ms: number): string {
  if (!(outcome instanceof Response)) return `${outcome.name} after ${ms} ms`;
  const requestId = outcome.headers.get("x-request-id");
  return `${outcome.status} in ${ms} ms${requestId ? `, x-request-id ${requestId}` : ""}`;
}
