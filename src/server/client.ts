import createClient, { type Client } from "openapi-fetch";
import type { paths } from "../../generated/index.js";
import { checkedToken } from "./access-token.js";
import { DEFAULTS, USER_AGENT } from "./defaults.js";
import { sha256Base64url } from "./digest.js";
import { ConfigurationError } from "./errors.js";
import { createFetchWithRetry, type SendRequest } from "./fetch-with-retry.js";
import { KeptBodyRequest } from "./kept-body.js";
import { createLog, type LogOptions } from "./logger.js";
import { tokenForms } from "./redact.js";

/** `logger` and `logLevel`: at `debug`, each attempt's method, URL, status, duration and DevRev's request id. */
export interface DevRevClientOptions extends LogOptions {
  /**
   * The access token sent as `Authorization`; for PLuG session tokens, an
   * application access token (AAT), bare or as `Bearer <token>`. Keep it on
   * the server. Sent as `Headers` keeps it (without tabs, line feeds, carriage
   * returns or spaces at either end); any other character outside printable
   * ASCII is a ConfigurationError that does not quote the token.
   */
  token: string;
  /** @default "https://api.devrev.ai" */
  baseUrl?: string;
  /** The fetch to send requests with; tests pass a stub here. @default globalThis.fetch */
  fetch?: (request: Request) => Promise<Response>;
  /** Per attempt, covering the whole response; an integer below 2^31. @default 10000 @unit milliseconds */
  timeoutMs?: number;
  /**
   * Per call, attempts and the waits between them included: no retry starts
   * whose wait would end past it. `createSessionToken` can shorten it per call.
   * @default 60000 @unit milliseconds
   */
  totalTimeoutMs?: number;
  /** Retries after the first attempt, for network errors, 408, 429, 500, 502, 503 and 504; 0 to 100. @default 2 */
  maxRetries?: number;
  /** First backoff step; doubles per retry, with full jitter. @default 500 @unit milliseconds */
  initialRetryDelayMs?: number;
  /** Cap on any wait between attempts, `Retry-After` included. @default 30000 @unit milliseconds */
  maxRetryDelayMs?: number;
  /** Largest answer read; a larger one is an InvalidResponseError. @default 1048576 @unit bytes */
  maxResponseBytes?: number;
  /**
   * Allow creating the client where `window` exists. Anyone who can open the
   * page can read a token shipped to a browser, so this is off by default.
   * @default false
   */
  dangerouslyAllowBrowser?: boolean;
  /** Source of randomness for jitter, in [0, 1). @default Math.random */
  random?: () => number;
}

/** An openapi-fetch client typed by the generated `paths`. */
export type DevRevClient = Client<paths>;

/** What the rest of the server entry needs from a client, kept off the client object so logging it shows no token. */
interface ClientInternals {
  /** Every form of the token, to redact from anything derived from the client's responses. */
  secrets: readonly string[];
  /** Which DevRev tenant the client speaks for: a digest of its origin and token, for keying caches (Web Crypto digests are async). */
  tenant: Promise<string>;
  /** The client's fetch, taking a per-call deadline. */
  send: SendRequest;
}

const internalsByClient = new WeakMap<DevRevClient, ClientInternals>();

/** The internals of a client from `createDevRevClient`; undefined for any other openapi-fetch client. */
export function internalsOf(client: DevRevClient): ClientInternals | undefined {
  return internalsByClient.get(client);
}

/**
 * An openapi-fetch client for DevRev, typed by the spec: `client.POST(
 * "/auth-tokens.create", { body })` only accepts a body that is one of the
 * request variants. Authorization, timeouts and retries live in its `fetch`.
 */
export function createDevRevClient(options: DevRevClientOptions): DevRevClient {
  const {
    token,
    baseUrl = DEFAULTS.baseUrl,
    fetch,
    timeoutMs = DEFAULTS.timeoutMs,
    totalTimeoutMs = DEFAULTS.totalTimeoutMs,
    maxRetries = DEFAULTS.maxRetries,
    initialRetryDelayMs = DEFAULTS.initialRetryDelayMs,
    maxRetryDelayMs = DEFAULTS.maxRetryDelayMs,
    maxResponseBytes = DEFAULTS.maxResponseBytes,
    dangerouslyAllowBrowser = false,
    random = Math.random,
  } = options ?? ({} as DevRevClientOptions);

  // What is checked is what is sent: the value as Headers keeps it.
  const sent = checkedToken(token);
  if (!dangerouslyAllowBrowser && isBrowser()) {
    throw new ConfigurationError(
      "createDevRevClient runs on the server: in a browser, anyone who opens the page can read the access token. " +
        "Mint session tokens on your backend, or pass `dangerouslyAllowBrowser: true` if you understand the risk.",
    );
  }
  const origin = checkedBaseUrl(baseUrl);
  const limits = { timeoutMs, totalTimeoutMs, initialRetryDelayMs, maxRetryDelayMs, maxResponseBytes };
  for (const [name, value] of Object.entries(limits)) checkInteger(name, value, MAX_TIMER_MS);
  checkInteger("maxRetries", maxRetries, MAX_RETRIES);

  const secrets = tokenForms(token);
  const log = createLog(options, "createDevRevClient", () => secrets);
  const send = createFetchWithRetry({ fetch, token: sent, userAgent: USER_AGENT, ...limits, maxRetries, random, log });
  const client = createClient<paths>({
    baseUrl: baseUrl.replace(/\/+$/, ""),
    fetch: (request) => send(request),
    Request: KeptBodyRequest,
  });
  const tenant = sha256Base64url(`${origin}\n${token.trim()}`);
  internalsByClient.set(client, { secrets, tenant, send });
  return client;
}

// setTimeout fires at once for delays of 2^31 ms or more, so every attempt would time out.
const MAX_TIMER_MS = 2 ** 31 - 1;
const MAX_RETRIES = 100;

function checkInteger(name: string, value: unknown, max: number): void {
  if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > max) {
    throw new ConfigurationError(`createDevRevClient: \`${name}\` must be an integer from 0 to ${max}`);
  }
}

/** The origin of `baseUrl`, which must be an http(s) URL without credentials. */
function checkedBaseUrl(baseUrl: unknown): string {
  let url: URL | undefined;
  try {
    url = new URL(String(baseUrl));
  } catch {
    url = undefined;
  }
  if (typeof baseUrl !== "string" || !url || (url.protocol !== "https:" && url.protocol !== "http:")) {
    throw new ConfigurationError("createDevRevClient: `baseUrl` must be an http(s) URL, such as https://api.devrev.ai");
  }
  // fetch refuses URLs with credentials, with a TypeError that quotes them.
  if (url.username || url.password) {
    throw new ConfigurationError(
      "createDevRevClient: `baseUrl` must not carry a user name or password; the token is the only credential",
    );
  }
  return url.origin;
}

function isBrowser(): boolean {
  const g = globalThis as { window?: unknown; document?: unknown };
  return typeof g.window !== "undefined" && typeof g.document !== "undefined";
}
