import { describe, expect, it } from "vitest";
import { retryAfterSeconds, retryDelayMs } from "../../src/server/retry.js";

const options = { initialRetryDelayMs: 500, maxRetryDelayMs: 30_000 };

describe("retryDelayMs", () => {
  it("uses full jitter over an exponential ceiling when the server says nothing", async () => {
    const top = { ...options, random: () => 0.999999 };
    expect(await retryDelayMs(0, undefined, top)).toBe(499);
    expect(await retryDelayMs(3, undefined, top)).toBe(3999);
    expect(await retryDelayMs(3, undefined, { ...options, random: () => 0 })).toBe(0);
    expect(await retryDelayMs(20, undefined, top)).toBe(29_999);
  });

  it("prefers Retry-After, capped", async () => {
    const random = () => 0.5;
    expect(
      await retryDelayMs(0, new Response(null, { status: 503, headers: { "retry-after": "2" } }), {
        ...options,
        random,
      }),
    ).toBe(2000);
    expect(
      await retryDelayMs(0, new Response(null, { status: 429, headers: { "retry-after": "999" } }), {
        ...options,
        random,
      }),
    ).toBe(30_000);
  });

  it("reads retry_after from a 429 body without the header", async () => {
    const response = Response.json({ type: "too_many_requests", retry_after: 4 }, { status: 429 });
    expect(await retryDelayMs(0, response, { ...options, random: () => 0 })).toBe(4000);
    // The body stays readable for the caller.
    expect(await response.json()).toMatchObject({ retry_after: 4 });
  });
});

describe("retryAfterSeconds", () => {
  const now = Date.UTC(2026, 10, 24, 12, 0, 0);
  it.each([
    { header: "7", body: {}, want: 7 },
    { header: "0", body: {}, want: 0 },
    { header: new Date(now + 5_000).toUTCString(), body: {}, want: 5 },
    { header: new Date(now - 5_000).toUTCString(), body: {}, want: 0 },
    { header: "soon", body: { retry_after: 3 }, want: 3 },
    { header: null, body: { retry_after: 3 }, want: 3 },
    { header: null, body: { retry_after: "3" }, want: undefined },
    { header: "-1", body: {}, want: undefined },
    // Too large to mean anything but "wait the cap": read as a day, never as absent.
    { header: "Infinity", body: {}, want: 86_400 },
    { header: "1e400", body: {}, want: 86_400 },
    { header: null, body: { retry_after: 1e400 }, want: 86_400 },
  ])("header $header, body $body -> $want", ({ header, body, want }) => {
    const headers = new Headers(header === null ? {} : { "retry-after": header });
    expect(retryAfterSeconds(headers, body, now)).toBe(want);
  });
});
