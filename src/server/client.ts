import createClient, { type Client } from "openapi-fetch";
import type { paths } from "../../generated/index.js";
import { DEFAULTS, USER_AGENT } from "./defaults.js";
import { ConfigurationError } from "./errors.js";
import { createFetchWithRetry } from "./fetch-with-retry.js";
import { tokenForms } from "./redact.js";

export interface DevRevClientOptions {
  /**
   * The access token sent as `Authorization`; for PLuG session tokens, an
   * application access token (AAT). Keep it on the server.
   */
  token: string;
  /** @default "https://api.devrev.ai" */
  baseUrl?: string;
  /** The fetch to send requests with; tests pass a stub here. @default globalThis.fetch */
  fetch?: (request: Request) => Promise<Response>;
  /** Per attempt, covering the whole response. @default 10000 @unit milliseconds */
  timeoutMs?: number;
  /** Retries after the first attempt, for network errors, 408, 429 and 5xx. @default 2 */
  maxRetries?: number;
  /** First backoff step; doubles per retry, with full jitter. @default 500 @unit milliseconds */
  initialRetryDelayMs?: number;
  /** Cap on any wait between attempts, `Retry-After` included. @default 30000 @unit milliseconds */
  maxRetryDelayMs?: number;
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

// Each client's token, for redacting errors built outside its fetch. A WeakMap
// keeps the token off the client object, where logging the client would show it.
const secretsByClient = new WeakMap<DevRevClient, readonly string[]>();

/** The strings to redact from anything derived from this client's responses. */
export function secretsOf(client: DevRevClient): readonly string[] {
  return secretsByClient.get(client) ?? [];
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
    maxRetries = DEFAULTS.maxRetries,
    initialRetryDelayMs = DEFAULTS.initialRetryDelayMs,
    maxRetryDelayMs = DEFAULTS.maxRetryDelayMs,
    dangerouslyAllowBrowser = false,
    random = Math.random,
  } = options ?? ({} as DevRevClientOptions);

  if (typeof token !== "string" || token.trim() === "") {
    throw new ConfigurationError(
      "createDevRevClient needs `token`: a DevRev access token (an AAT for PLuG session tokens), such as process.env.DEVREV_AAT",
    );
  }
  // An HTTP header cannot carry these; Headers.set would throw a TypeError quoting the whole token.
  if (/[^\t\x20-\x7e\x80-\xff]/.test(token.trim())) {
    throw new ConfigurationError(
      "createDevRevClient: `token` contains a line break, NUL or other character a header cannot carry " +
        "(often a token pasted across lines); it is not shown here. Check the value of DEVREV_AAT.",
    );
  }
  if (!dangerouslyAllowBrowser && isBrowser()) {
    throw new ConfigurationError(
      "createDevRevClient runs on the server: in a browser, anyone who opens the page can read the access token. " +
        "Mint session tokens on your backend, or pass `dangerouslyAllowBrowser: true` if you understand the risk.",
    );
  }
  for (const [name, value] of Object.entries({ timeoutMs, maxRetries, initialRetryDelayMs, maxRetryDelayMs })) {
    if (!Number.isFinite(value) || value < 0) {
      throw new ConfigurationError(`createDevRevClient: \`${name}\` must be a non-negative number`);
    }
  }

  const client = createClient<paths>({
    baseUrl: baseUrl.replace(/\/+$/, ""),
    fetch: createFetchWithRetry({
      fetch,
      token,
      userAgent: USER_AGENT,
      timeoutMs,
      maxRetries,
      initialRetryDelayMs,
      maxRetryDelayMs,
      random,
    }),
  });
  secretsByClient.set(client, tokenForms(token));
  return client;
}

function isBrowser(): boolean {
  const g = globalThis as { window?: unknown; document?: unknown };
  return typeof g.window !== "undefined" && typeof g.document !== "undefined";
}
