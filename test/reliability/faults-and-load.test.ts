import { afterEach, describe, expect, inject, it } from "vitest";
import { authTokensCreate } from "../../generated/index.js";
import { createDevRevClient, createSessionToken, DevRevError, ServerError } from "../../src/server/index.js";
import { seedBodyByRevInfo } from "../fixtures/seed-bodies.js";
import { type StubReply, type StubServer, startStubServer } from "../helpers/stub-server.js";
import { createdBody, TEST_AAT } from "../helpers/tokens.js";

let server: StubServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const FAULTS: StubReply[] = [
  { status: 429, body: { type: "too_many_requests", retry_after: 0 }, headers: { "retry-after": "0" } },
  { status: 503, body: { type: "service_unavailable" } },
  { status: 500, body: { type: "internal_error" } },
  "reset",
  "hang",
  { status: 201, raw: "{not json" },
  { status: 201, body: { token_type: "bearer" } },
  { status: 201, body: createdBody() },
];

describe("faults", () => {
  it("every call under random faults ends in bounded time with a token or a typed error", async () => {
    // Faults in a fixed, interleaved order (5 and 8 share no factor), so a failure replays the same way.
    server = await startStubServer((_, i) => FAULTS[(i * 5) % FAULTS.length] as StubReply);
    // Long enough that a prompt answer never times out on a loaded machine (150 ms did: no call succeeded).
    const options = { timeoutMs: 1_000, maxRetries: 2, maxRetryDelayMs: 50, initialRetryDelayMs: 5 };
    const client = createDevRevClient({ token: TEST_AAT, baseUrl: server.url, ...options });
    // The worst case: every attempt times out, and every wait is the longest allowed.
    const bound = (options.maxRetries + 1) * (options.timeoutMs + options.maxRetryDelayMs) + 1_000;

    const outcomes = await Promise.all(
      Array.from({ length: 60 }, async () => {
        const deadline = new Promise<"hung">((resolve) => setTimeout(() => resolve("hung"), bound));
        const call = createSessionToken(client, { revInfo: { user_ref: "u" } }).then(
          (token) => ({ ok: true as const, token }),
          (error: unknown) => ({ ok: false as const, error }),
        );
        return Promise.race([call, deadline]);
      }),
    );
    expect(outcomes.filter((o) => o === "hung")).toEqual([]);
    for (const outcome of outcomes) {
      if (outcome === "hung") continue;
      if (outcome.ok) expect(outcome.token.tokenType).toBe("bearer");
      else {
        expect(outcome.error).toBeInstanceOf(DevRevError);
        expect(JSON.stringify(outcome.error)).not.toContain(TEST_AAT);
      }
    }
    expect(outcomes.some((o) => o !== "hung" && o.ok)).toBe(true);
    expect(outcomes.some((o) => o !== "hung" && !o.ok)).toBe(true);
  });

  it("rides out a 503 burst shorter than the retries, and reports a longer one", async () => {
    let burst = 2;
    server = await startStubServer((_, i) =>
      i < burst ? { status: 503, body: { type: "service_unavailable" } } : { status: 201, body: createdBody() },
    );
    const client = createDevRevClient({ token: TEST_AAT, baseUrl: server.url, maxRetries: 2, initialRetryDelayMs: 1 });
    await expect(createSessionToken(client, { revInfo: { user_ref: "u" } })).resolves.toMatchObject({
      tokenType: "bearer",
    });
    server.requests.length = 0;
    burst = 3 + 3;
    await expect(createSessionToken(client, { revInfo: { user_ref: "u" } })).rejects.toBeInstanceOf(ServerError);
    expect(server.requests).toHaveLength(3);
  });
});

describe("load", () => {
  it("500 concurrent calls through the client against the mock all answer 201", async () => {
    const client = createDevRevClient({ token: TEST_AAT, baseUrl: inject("devrevMockUrl"), timeoutMs: 30_000 });
    const results = await Promise.all(
      Array.from({ length: 500 }, () => authTokensCreate(client, { body: seedBodyByRevInfo })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(500).fill(201));
  });
});
