import type { RevInfo } from "../../generated/index.js";
import type { DevRevClient } from "./client.js";
import { RateLimitedError, TimeoutError, ValidationError } from "./errors.js";
import { createSessionToken, type SessionToken } from "./session-token.js";
import { createTokenCache, type TokenCache } from "./token-cache.js";

export interface SessionTokenHandlerOptions {
  /** A client from `createDevRevClient`, holding the AAT. */
  client: DevRevClient;
  /**
   * Who is asking: the signed-in user's `rev_info` (from your session cookie,
   * say), or null when nobody is signed in, which answers 401.
   */
  identify: (request: Request) => RevInfo | null | undefined | Promise<RevInfo | null | undefined>;
  /** Where tokens are reused; `false` mints on every request. @default createTokenCache() */
  cache?: TokenCache | false;
  /** Lifetime asked of DevRev, 0 to 1440 minutes. @default DevRev's default */
  expiresInMinutes?: number;
  /** Called with every failure, for your logs. Errors are already free of the AAT. */
  onError?: (error: unknown) => void;
}

/** What the handler answers on success. */
export interface SessionTokenResponseBody {
  session_token: string;
  /** ISO 8601. */
  expires_at: string;
}

/**
 * A Web-standard handler for "my page asks my backend for a PLuG session
 * token": `POST` only, `identify` decides who the user is, tokens come from
 * the cache or DevRev. Failures answer with a status and a short code, never
 * DevRev's message or anything else that could carry a secret.
 */
export function createSessionTokenHandler(
  options: SessionTokenHandlerOptions,
): (request: Request) => Promise<Response> {
  const { client, identify, expiresInMinutes, onError = () => {} } = options;
  const cache = options.cache === false ? undefined : (options.cache ?? createTokenCache());

  return async (request) => {
    if (request.method !== "POST") {
      return json(405, { error: "method_not_allowed" }, { Allow: "POST" });
    }
    let revInfo: RevInfo | null | undefined;
    try {
      revInfo = await identify(request);
    } catch (error) {
      onError(error);
      return json(500, { error: "internal_error" });
    }
    if (!revInfo) return json(401, { error: "unauthenticated" });

    const input = { revInfo, ...(expiresInMinutes === undefined ? {} : { expiresInMinutes }) };
    const mint = () => createSessionToken(client, input);
    try {
      const token: SessionToken = cache ? await cache.get(input, mint) : await mint();
      const body: SessionTokenResponseBody = { session_token: token.token, expires_at: token.expiresAt.toISOString() };
      return json(200, body);
    } catch (error) {
      onError(error);
      return failure(error);
    }
  };
}

function failure(error: unknown): Response {
  if (error instanceof ValidationError) return json(400, { error: "invalid_identity", issues: error.issues });
  if (error instanceof RateLimitedError) {
    const headers: Record<string, string> =
      error.retryAfter === undefined ? {} : { "Retry-After": String(error.retryAfter) };
    return json(429, { error: "rate_limited" }, headers);
  }
  if (error instanceof TimeoutError) return json(504, { error: "upstream_timeout" });
  return json(502, { error: "upstream_error" });
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json", "Cache-Control": "no-store", ...headers },
  });
}
