import { DEFAULT_RATE_LIMIT, rateLimitHeaders } from "./rate-limits.js";
import type { Scenario } from "./scenarios.js";
import type { MockState } from "./state.js";
import { presentedToken } from "./tokens.js";

/** What DevRev decides about an API request before reading its body: who sent it, and whether they may. */
export interface GateVerdict {
  /** 401 for a token other than the mock's AAT, 429 past the rate limit; undefined to answer normally. */
  status?: 401 | 429;
  /** With a 429: seconds until the window ends. */
  retryAfter?: number;
  /** DevRev's rate-limit headers, for every answer. */
  headers: Record<string, string>;
  /** The token as presented, `Bearer ` removed. */
  token: string | undefined;
}

/**
 * Checks the access token against the mock's AAT (raw or `Bearer`, as DevRev
 * accepts both; any token when none is set) and counts the request against
 * the token's rate-limit window, whose limit a queued scenario's `rateLimit`
 * may lower.
 */
export function gate(
  authorization: string | undefined,
  state: MockState,
  scenario: Scenario | undefined,
  now: number,
): GateVerdict {
  const token = presentedToken(authorization);
  const count = state.rateLimits.count(token ?? "", scenario?.rateLimit ?? DEFAULT_RATE_LIMIT, now);
  const headers = rateLimitHeaders(count);
  const { aat } = state.access;
  if (aat !== undefined && token !== aat) return { status: 401, headers, token };
  if (count.exceeded) {
    return { status: 429, retryAfter: Math.max(0, count.reset - Math.floor(now / 1000)), headers, token };
  }
  return { headers, token };
}
