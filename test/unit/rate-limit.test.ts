import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { gate } from "../../mock/gate.js";
import { RateLimits } from "../../mock/rate-limits.js";
import { MockState } from "../../mock/state.js";
import {
  errorFromResponse,
  RateLimitedError,
  RequestEntityTooLargeError,
  ServerError,
  UnauthenticatedError,
} from "../../src/server/errors.js";
import { rateLimitOf, retryDelayMs, secondsUntilReset } from "../../src/server/retry.js";

// DevRev's rate-limit headers (its rate-limits page): on every response, the reset in epoch seconds.
const NOW_SECONDS = 1_764_000_000;
const options = { initialRetryDelayMs: 500, maxRetryDelayMs: 30_000, random: () => 0 };
const limits = (resetInSeconds: number) => ({
  "x-ratelimit-limit": "100",
  "x-ratelimit-remaining": "0",
  "x-ratelimit-reset": String(NOW_SECONDS + resetInSeconds),
});

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NOW_SECONDS * 1000);
});
afterEach(() => {
  vi.useRealTimers();
});

describe("rate-limit headers", () => {
  it("reads the three headers as integers, and only integers", () => {
    expect(rateLimitOf(new Headers(limits(7)))).toEqual({ limit: 100, remaining: 0, reset: NOW_SECONDS + 7 });
    expect(rateLimitOf(new Headers({ "x-ratelimit-remaining": "12" }))).toEqual({ remaining: 12 });
    expect(rateLimitOf(new Headers({ "x-ratelimit-limit": "-1", "x-ratelimit-reset": "soon" }))).toBeUndefined();
    expect(rateLimitOf(new Headers())).toBeUndefined();
  });

  it("counts the seconds until the reset, never below zero, at most a day", () => {
    expect(secondsUntilReset(new Headers(limits(7)))).toBe(7);
    expect(secondsUntilReset(new Headers(limits(-30)))).toBe(0);
    expect(secondsUntilReset(new Headers(limits(10 * 86_400)))).toBe(86_400);
    expect(secondsUntilReset(new Headers())).toBeUndefined();
  });
});

describe("a 429 without Retry-After", () => {
  it("waits until X-Ratelimit-Reset", async () => {
    const response = Response.json({ type: "too_many_requests" }, { status: 429, headers: limits(7) });
    expect(await retryDelayMs(0, response, options)).toBe(7000);
  });

  it("waits no longer than maxRetryDelayMs", async () => {
    const response = Response.json({ type: "too_many_requests" }, { status: 429, headers: limits(3600) });
    expect(await retryDelayMs(0, response, options)).toBe(30_000);
  });

  it("still prefers Retry-After, then the body's retry_after, to the reset", async () => {
    const header = new Response(null, { status: 429, headers: { ...limits(20), "retry-after": "2" } });
    expect(await retryDelayMs(0, header, options)).toBe(2000);
    const body = Response.json({ type: "too_many_requests", retry_after: 3 }, { status: 429, headers: limits(20) });
    expect(await retryDelayMs(0, body, options)).toBe(3000);
  });

  it("is the only answer whose reset is a wait: a 503 backs off as usual", async () => {
    const response = new Response(null, { status: 503, headers: limits(20) });
    expect(await retryDelayMs(0, response, { ...options, random: () => 0.5 })).toBe(250);
  });
});

describe("errors carry what DevRev's headers and body said", () => {
  it("a 429 carries the rate limit, and the reset as its retryAfter", () => {
    const error = errorFromResponse(Response.json({ type: "too_many_requests" }, { status: 429, headers: limits(9) }), {
      type: "too_many_requests",
    });
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error.retryAfter).toBe(9);
    expect(error.rateLimit).toEqual({ limit: 100, remaining: 0, reset: NOW_SECONDS + 9 });
    expect(error.toJSON()).toMatchObject({ retryAfter: 9, rateLimit: { remaining: 0 } });
  });

  it("any error carries the rate limit, but only a 429 reads the reset as a wait", () => {
    const error = errorFromResponse(new Response(null, { status: 503, headers: limits(9) }), {});
    expect(error).toBeInstanceOf(ServerError);
    expect(error.retryAfter).toBeUndefined();
    expect(error.rateLimit?.remaining).toBe(0);
  });

  it("a 413 is a RequestEntityTooLargeError with DevRev's max_bytes", () => {
    const body = { type: "request_entity_too_large", message: "too large", max_bytes: 10_485_760 };
    const error = errorFromResponse(Response.json(body, { status: 413 }), body);
    expect(error).toBeInstanceOf(RequestEntityTooLargeError);
    expect(error.name).toBe("RequestEntityTooLargeError");
    expect(error.maxBytes).toBe(10_485_760);
    expect(error.message).toBe("DevRev answered 413 request_entity_too_large: too large");
  });

  it("a 401 keeps DevRev's newer types", () => {
    const body = { type: "token_expired", message: "The access token has expired." };
    const error = errorFromResponse(Response.json(body, { status: 401 }), body);
    expect(error).toBeInstanceOf(UnauthenticatedError);
    expect(error.type).toBe("token_expired");
    expect(error.rateLimit).toBeUndefined();
  });
});

describe("the mock and the client read the rate limit alike", () => {
  it("what the mock sends, the client reads; a 429's Retry-After is the client's wait until the reset", () => {
    vi.useRealTimers();
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1_700_000_000_000, max: 1_900_000_000_000 }),
        // Later requests stay inside the first window, which ends 60 s after its first second.
        fc.integer({ min: 0, max: 58_999 }),
        (limit, requests, start, later) => {
          const state = new MockState();
          let verdict = gate("aat-x", state, { rateLimit: limit }, start);
          for (let i = 1; i < requests; i++) verdict = gate("Bearer aat-x", state, { rateLimit: limit }, start + later);
          const now = requests > 1 ? start + later : start;
          const headers = new Headers(verdict.headers);
          const read = rateLimitOf(headers);
          expect(read).toEqual({
            limit,
            remaining: Math.max(0, limit - requests),
            reset: Math.floor(start / 1000) + 60,
          });
          expect(verdict.status).toBe(requests > limit ? 429 : undefined);
          if (verdict.status === 429) expect(verdict.retryAfter).toBe(secondsUntilReset(headers, now));
        },
      ),
    );
  });
});

describe("the mock's rate-limit window", () => {
  it("is per token, and starts afresh once it ends", () => {
    const limits = new RateLimits();
    const t0 = NOW_SECONDS * 1000;
    expect(limits.count("a", 1, t0)).toEqual({ limit: 1, remaining: 0, reset: NOW_SECONDS + 60, exceeded: false });
    expect(limits.count("a", 1, t0 + 59_999).exceeded).toBe(true);
    expect(limits.count("b", 1, t0 + 59_999).exceeded).toBe(false);
    expect(limits.count("a", 1, t0 + 60_000)).toEqual({
      limit: 1,
      remaining: 0,
      reset: NOW_SECONDS + 120,
      exceeded: false,
    });
  });
});
