import type { RevInfo } from "../../generated/index.js";
import { MAX_ISSUES } from "../../generated/validation.js";
import type { SessionTokenResponseBody } from "../shared/session-token-response.js";
import { createCallLimiter, QueueTimeoutError } from "./call-limiter.js";
import { type DevRevClient, internalsOf } from "./client.js";
import { DEFAULTS } from "./defaults.js";
import {
  ApiError,
  ConfigurationError,
  DevRevError,
  IdentifyError,
  RateLimitedError,
  TimeoutError,
  ValidationError,
} from "./errors.js";
import { KeptBodyResponse } from "./kept-body.js";
import { createLog, type LogOptions } from "./logger.js";
import { allowedOriginSet } from "./origins.js";
import {
  createSessionToken,
  type SessionTokenInput,
  sendableRequestBody,
  sessionTokenRequestBody,
} from "./session-token.js";
import { createTokenCache, type TokenCache } from "./token-cache.js";

/**
 * `logger` and `logLevel` (or `DEVREV_PLUG_LOG`): by default, each failed
 * request writes one line (warn for a 4xx, error for a 5xx) naming the error
 * class, the answer's code and the reason, without the AAT.
 */
export interface SessionTokenHandlerOptions extends LogOptions {
  /**
   * A client from `createDevRevClient`, holding the AAT; or a function that
   * creates it, called once on the first request, so that building the app
   * (`next build`) needs no secret. A failure there answers 500 and reaches
   * `onError`, and the next request tries again.
   */
  client: DevRevClient | (() => DevRevClient);
  /**
   * Who is asking: the signed-in user's `rev_info` (from your session cookie,
   * say), or null when nobody is signed in, which answers 401. It runs within
   * `budgetMs`.
   */
  identify: (request: Request) => RevInfo | null | undefined | Promise<RevInfo | null | undefined>;
  /**
   * Where tokens are reused; `false` mints on every request. A cache may be
   * shared by handlers of different clients (tenants): entries are kept apart
   * per DevRev origin and token.
   * @default createTokenCache()
   */
  cache?: TokenCache | false;
  /** Lifetime asked of DevRev, an integer from 0 to 1440. @default DevRev's default @unit minutes */
  expiresInMinutes?: number;
  /**
   * The longest the handler takes to answer, `identify` included. Within it a
   * 429 from DevRev is answered at once with its `Retry-After` rather than
   * waited out. @default 5000 @unit milliseconds
   */
  budgetMs?: number;
  /** Calls to DevRev in flight at once; further requests wait their turn within the budget, then get 503. @default 64 */
  maxConcurrentCalls?: number;
  /**
   * Origins (`https://app.example.com`) whose pages may ask. When set, a
   * request whose `Origin` is another, or that the browser marks cross-site
   * without one, gets 403. Requests without either header (servers, tests)
   * pass. An app's own scheme (`capacitor://localhost`, `chrome-extension://id`)
   * is matched exactly; `null` cannot be allowed. @default undefined: no check
   */
  allowedOrigins?: readonly string[];
  /** Called with every failure, beside the log line. Errors are already free of the AAT. */
  onError?: (error: DevRevError) => void;
}

// The browser entry's session fetcher reads this answer: one type for both sides.
export type { SessionTokenResponseBody };

/**
 * A Web-standard handler for "my page asks my backend for a PLuG session
 * token": `POST` only, `identify` decides who the user is, tokens come from
 * the cache or DevRev. Failures answer with a status and a short code, never
 * DevRev's message or anything else that could carry a secret.
 */
export function createSessionTokenHandler(
  options: SessionTokenHandlerOptions,
): (request: Request) => Promise<Response> {
  const {
    identify,
    expiresInMinutes,
    budgetMs = DEFAULTS.handlerBudgetMs,
    maxConcurrentCalls = DEFAULTS.handlerMaxConcurrentCalls,
    allowedOrigins,
    onError = () => {},
  } = options;
  if (!Number.isInteger(budgetMs) || budgetMs < 1 || budgetMs > 2 ** 31 - 1) {
    throw new ConfigurationError("createSessionTokenHandler: `budgetMs` must be an integer from 1 to 2147483647");
  }
  if (!Number.isInteger(maxConcurrentCalls) || maxConcurrentCalls < 1) {
    throw new ConfigurationError("createSessionTokenHandler: `maxConcurrentCalls` must be a positive integer");
  }
  if (expiresInMinutes !== undefined) checkLifetime(expiresInMinutes);
  const origins = allowedOrigins && allowedOriginSet(allowedOrigins);
  const cache = options.cache === false ? undefined : (options.cache ?? createTokenCache());
  let made: { client: DevRevClient; tenant: Promise<string>; secrets: readonly string[] } | undefined;
  const clientParts = () => {
    if (!made) {
      const client = typeof options.client === "function" ? options.client() : options.client;
      const internals = internalsOf(client);
      // A client not made by createDevRevClient gets a scope of its own, so it shares entries with no other.
      made = {
        client,
        tenant: internals?.tenant ?? Promise.resolve(crypto.randomUUID()),
        secrets: internals?.secrets ?? [],
      };
    }
    return made;
  };
  const limiter = createCallLimiter(maxConcurrentCalls);
  const log = createLog(options, "createSessionTokenHandler", () => made?.secrets ?? []);
  /** The failure's answer, after `onError` and one log line (warn for a 4xx, error for a 5xx). */
  const fail = (request: Request, error: DevRevError, answer: Answer): Response => {
    onError(error);
    const [status, code, more, headers] = answer;
    log.write(
      status >= 500 ? "error" : "warn",
      `${request.method} ${new URL(request.url).pathname} answered ${status} ${code}: ${describe(error)}`,
    );
    return json(status, { error: code, ...more }, headers);
  };
  /** A token store's failure: the request goes on (it mints instead), so a warning beside `onError`. */
  const storeFailed = (error: DevRevError) => {
    onError(error);
    log.write("warn", `the token store failed; minting instead: ${describe(error)}`);
  };

  return async (request) => {
    if (request.method !== "POST") {
      return json(405, { error: "method_not_allowed" }, { Allow: "POST" });
    }
    if (origins && !isAllowedOrigin(request, origins)) return json(403, { error: "forbidden_origin" });
    const deadline = Date.now() + budgetMs;
    let revInfo: RevInfo | null | undefined;
    try {
      const identified = identify(request);
      // A synchronous identify needs no timer; a promise gets the budget.
      revInfo = isThenable(identified) ? await within(Promise.resolve(identified), deadline) : identified;
    } catch (error) {
      const failure = new IdentifyError(
        error === TIMED_OUT ? `identify did not settle within ${budgetMs} ms` : "identify threw",
        error === TIMED_OUT ? {} : { cause: error, secrets: made?.secrets ?? [] },
      );
      return fail(request, failure, INTERNAL_ERROR);
    }
    if (!revInfo) return json(401, { error: "unauthenticated" });

    // Only now: a signed-out visitor's 401 needs no client, and so no token.
    let parts: ReturnType<typeof clientParts>;
    try {
      parts = clientParts();
    } catch (error) {
      const failure =
        error instanceof DevRevError ? error : new DevRevError("creating the client failed", { cause: error });
      return fail(request, failure, INTERNAL_ERROR);
    }
    const { client, tenant, secrets } = parts;

    const input: SessionTokenInput = { revInfo, ...(expiresInMinutes === undefined ? {} : { expiresInMinutes }) };
    const mint = () =>
      limiter.run(
        () => createSessionToken(client, { ...input, timeoutMs: Math.max(0, deadline - Date.now()) }),
        deadline,
      );
    try {
      // Before the cache hashes the identity: a huge or deeply nested one is refused in bounded work.
      sendableRequestBody(input);
      // The deadline bounds a wait on another instance's mint; the cache's store failures go where ours do.
      const token = cache
        ? await cache.get(input, mint, await tenant, { deadline, onError: storeFailed })
        : await mint();
      const body: SessionTokenResponseBody = { session_token: token.token, expires_at: token.expiresAt.toISOString() };
      return json(200, body);
    } catch (error) {
      const failure =
        error instanceof DevRevError ? error : new DevRevError("unexpected failure", { cause: error, secrets });
      return fail(request, failure, answerFor(failure));
    }
  };
}

const TIMED_OUT = Symbol("timed out");

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === "function";
}

/** `promise`, or a rejection with TIMED_OUT at `deadline`. */
function within<T>(promise: Promise<T>, deadline: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(TIMED_OUT), Math.max(0, deadline - Date.now()));
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** Fetch metadata first: browsers send `Origin` on POSTs, and `Sec-Fetch-Site` on every request. */
function isAllowedOrigin(request: Request, origins: ReadonlySet<string>): boolean {
  const origin = request.headers.get("origin");
  if (origin !== null) return origins.has(origin);
  return request.headers.get("sec-fetch-site") !== "cross-site";
}

/** An answer to write: status, the body's `error` code, more of the body, headers. */
type Answer = [status: number, code: string, more?: Record<string, unknown>, headers?: Record<string, string>];

const INTERNAL_ERROR: Answer = [500, "internal_error"];

/**
 * `expiresInMinutes` by the spec's own rule (the generated validator), here
 * rather than per request, where every visitor would get a 400 blamed on
 * their identity.
 */
function checkLifetime(expiresInMinutes: number): void {
  try {
    sessionTokenRequestBody({ revInfo: { user_ref: "configuration-check" }, expiresInMinutes });
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const shown = typeof expiresInMinutes === "string" ? JSON.stringify(expiresInMinutes) : String(expiresInMinutes);
    const why = error.issues.map((issue) => issue.message).join("; ");
    throw new ConfigurationError(
      `createSessionTokenHandler: \`expiresInMinutes\` is ${shown}, a lifetime DevRev refuses: it ${why}`,
    );
  }
}

function answerFor(error: DevRevError): Answer {
  if (error instanceof ValidationError) {
    // However bad the identity, the answer stays small: the first MAX_ISSUES, and a flag when there were more.
    const issues = error.issues.slice(0, MAX_ISSUES);
    return [400, "invalid_identity", { issues, ...(error.issues.length > MAX_ISSUES && { more_issues: true }) }];
  }
  if (error instanceof RateLimitedError) {
    const headers: Record<string, string> =
      error.retryAfter === undefined ? {} : { "Retry-After": String(Math.ceil(error.retryAfter)) };
    return [429, "rate_limited", {}, headers];
  }
  if (error instanceof QueueTimeoutError) return [503, "busy", {}, { "Retry-After": "1" }];
  if (error instanceof TimeoutError) return [504, "upstream_timeout"];
  return [502, "upstream_error"];
}

/**
 * The class, DevRev's status, type and request id when it answered, the
 * message, and the cause's (what `identify` threw, say): all already redacted.
 */
function describe(error: DevRevError): string {
  const upstream =
    error instanceof ApiError
      ? ` (DevRev ${[error.status, error.type, error.requestId && `request id ${error.requestId}`].filter(Boolean).join(" ")})`
      : "";
  const { cause } = error;
  const because = cause instanceof Error ? ` (cause: ${cause.name}: ${cause.message})` : "";
  return `${error.name}${upstream}: ${error.message}${because}`;
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new KeptBodyResponse(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json", "Cache-Control": "no-store", ...headers },
  });
}
