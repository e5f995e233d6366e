import { describe, expect, it } from "vitest";
import type { RevInfo } from "../../generated/index.js";
import {
  ConfigurationError,
  createDevRevClient,
  createSessionTokenHandler,
  createTokenCache,
  IdentifyError,
  TimeoutError,
  ValidationError,
} from "../../src/server/index.js";
import { fakeJwt, TEST_AAT } from "../helpers/tokens.js";

const EXP = 4102444800;

/** A handler over a client whose fetch answers with `reply` and counts calls. */
function handlerWith(
  reply: () => Response,
  options: { identify?: (r: Request) => RevInfo | null | Promise<RevInfo | null> } = {},
) {
  let upstreamCalls = 0;
  const errors: unknown[] = [];
  const client = createDevRevClient({
    token: TEST_AAT,
    baseUrl: "http://127.0.0.1:1",
    maxRetries: 0,
    fetch: async () => {
      upstreamCalls++;
      return reply();
    },
  });
  const handler = createSessionTokenHandler({
    client,
    identify:
      options.identify ??
      ((request) => (request.headers.get("x-user") ? { user_ref: request.headers.get("x-user") as string } : null)),
    cache: createTokenCache(),
    onError: (error) => errors.push(error),
  });
  return { handler, upstreamCalls: () => upstreamCalls, errors };
}

const created = () =>
  Response.json({ access_token: fakeJwt({ exp: EXP }), expires_in: EXP, token_type: "bearer" }, { status: 201 });
const post = (user?: string) =>
  new Request("http://site.test/api/plug/session", { method: "POST", headers: user ? { "x-user": user } : {} });

describe("createSessionTokenHandler", () => {
  it("answers 200 with the session token and its expiry, uncacheable", async () => {
    const { handler } = handlerWith(created);
    const response = await handler(post("alice"));
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(await response.json()).toEqual({
      session_token: fakeJwt({ exp: EXP }),
      expires_at: "2100-01-01T00:00:00.000Z",
    });
  });

  it("reuses the cached token for the same user", async () => {
    const { handler, upstreamCalls } = handlerWith(created);
    await Promise.all([handler(post("alice")), handler(post("alice")), handler(post("alice"))]);
    await handler(post("alice"));
    expect(upstreamCalls()).toBe(1);
    await handler(post("bob"));
    expect(upstreamCalls()).toBe(2);
  });

  it("answers 401 when nobody is signed in, without calling DevRev", async () => {
    const { handler, upstreamCalls } = handlerWith(created);
    const response = await handler(post());
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: "unauthenticated" });
    expect(upstreamCalls()).toBe(0);
  });

  it.each(["GET", "PUT", "DELETE", "OPTIONS"])("answers 405 to %s with Allow: POST", async (method) => {
    const { handler, upstreamCalls } = handlerWith(created);
    const response = await handler(
      new Request("http://site.test/api/plug/session", { method, headers: { "x-user": "alice" } }),
    );
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
    expect(upstreamCalls()).toBe(0);
  });

  it("answers 500 when identify throws, and reports the error", async () => {
    const { handler, errors } = handlerWith(created, {
      identify: () => {
        throw new Error("session store down");
      },
    });
    const response = await handler(post("alice"));
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: "internal_error" });
    expect(errors).toHaveLength(1);
    // onError always receives this library's errors: identify's own is the cause.
    expect(errors[0]).toBeInstanceOf(IdentifyError);
    expect((errors[0] as Error).cause).toMatchObject({ message: "session store down" });
  });

  it("answers 400, not a TypeError, for traits JSON cannot carry", async () => {
    const { handler, upstreamCalls, errors } = handlerWith(created, {
      identify: () => ({ user_ref: "u", user_traits: { custom_fields: { visits: 10n } } }) as unknown as RevInfo,
    });
    const response = await handler(post("alice"));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      issues: [
        {
          path: "rev_info.user_traits.custom_fields.visits",
          message: "must be a JSON value, not a BigInt",
          keyword: "json",
          params: {},
        },
      ],
    });
    expect(errors[0]).toBeInstanceOf(ValidationError);
    expect(upstreamCalls()).toBe(0);
  });

  it("answers 400 with the field list when identify returns a bad identity", async () => {
    const { handler, upstreamCalls } = handlerWith(created, {
      identify: () => ({ user_ref: "", user_traits: { email: "nope" } }),
    });
    const response = await handler(post("alice"));
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: "invalid_identity",
      // The email is free text, as DevRev's; only the empty user_ref is wrong.
      issues: [
        {
          path: "rev_info.user_ref",
          message: "must not be empty: give the site's own ID for the user, such as user-123",
          keyword: "minLength",
          params: { limit: 1 },
        },
      ],
    });
    expect(upstreamCalls()).toBe(0);
  });

  it.each([
    { upstream: 400, want: 502, body: { error: "upstream_error" } },
    { upstream: 401, want: 502, body: { error: "upstream_error" } },
    { upstream: 403, want: 502, body: { error: "upstream_error" } },
    { upstream: 409, want: 502, body: { error: "upstream_error" } },
    { upstream: 500, want: 502, body: { error: "upstream_error" } },
    { upstream: 503, want: 502, body: { error: "upstream_error" } },
    { upstream: 429, want: 429, body: { error: "rate_limited" } },
  ])("maps upstream $upstream to $want without DevRev's message", async ({ upstream, want, body }) => {
    const { handler } = handlerWith(() =>
      Response.json(
        { type: "x", message: "internal detail", detail: "stack" },
        { status: upstream, headers: { "retry-after": "7" } },
      ),
    );
    const response = await handler(post("alice"));
    expect(response.status).toBe(want);
    expect(await response.json()).toEqual(body);
    if (upstream === 429) expect(response.headers.get("retry-after")).toBe("7");
  });

  it("maps an upstream timeout to 504", async () => {
    const client = createDevRevClient({
      token: TEST_AAT,
      baseUrl: "http://127.0.0.1:1",
      maxRetries: 0,
      timeoutMs: 20,
      fetch: (request) =>
        new Promise((_, reject) => request.signal.addEventListener("abort", () => reject(request.signal.reason))),
    });
    const handler = createSessionTokenHandler({ client, identify: () => ({ user_ref: "u" }) });
    const response = await handler(post("alice"));
    expect(response.status).toBe(504);
    expect(await response.json()).toEqual({ error: "upstream_timeout" });
  });
});

describe("the handler's limits", () => {
  const alice = () => ({ user_ref: "alice" });

  it("answers a 429 with Retry-After at once instead of waiting it out, whatever the client's retries", async () => {
    let calls = 0;
    const client = createDevRevClient({
      token: TEST_AAT,
      maxRetries: 2,
      fetch: async () => {
        calls++;
        return Response.json({ type: "too_many_requests" }, { status: 429, headers: { "retry-after": "30" } });
      },
    });
    const handler = createSessionTokenHandler({ client, identify: alice });
    const started = performance.now();
    const response = await handler(post());
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("30");
    expect(calls).toBe(1);
  });

  it("answers within budgetMs when DevRev hangs", async () => {
    const client = createDevRevClient({ token: TEST_AAT, fetch: () => new Promise<Response>(() => {}) });
    const handler = createSessionTokenHandler({ client, identify: alice, budgetMs: 150 });
    const response = await handler(post());
    expect(response.status).toBe(504);
  });

  it("bounds identify by the budget: 500, and onError hears why", async () => {
    const errors: unknown[] = [];
    const client = createDevRevClient({ token: TEST_AAT, fetch: async () => created() });
    const handler = createSessionTokenHandler({
      client,
      identify: () => new Promise(() => {}),
      budgetMs: 100,
      onError: (error) => errors.push(error),
    });
    const response = await handler(post());
    expect(response.status).toBe(500);
    expect(errors[0]).toBeInstanceOf(IdentifyError);
    expect((errors[0] as Error).message).toBe("identify did not settle within 100 ms");
  });

  it("makes at most maxConcurrentCalls calls to DevRev at once; the rest queue, then get 503 past the budget", async () => {
    // DevRev never answers: every call ends by the budget's abort, so no outcome depends
    // on how fast this machine runs timers.
    let inFlight = 0;
    let most = 0;
    const client = createDevRevClient({
      token: TEST_AAT,
      maxRetries: 0,
      fetch: (request) => {
        inFlight++;
        most = Math.max(most, inFlight);
        return new Promise<Response>((_, reject) => {
          request.signal.addEventListener("abort", () => {
            inFlight--;
            reject(request.signal.reason);
          });
        });
      },
    });
    const errors: unknown[] = [];
    const handler = createSessionTokenHandler({
      client,
      identify: (request) => ({ user_ref: request.headers.get("x-user") ?? "" }),
      maxConcurrentCalls: 4,
      budgetMs: 50,
      onError: (error) => errors.push(error),
    });
    const responses = await Promise.all(Array.from({ length: 100 }, (_, i) => handler(post(`user-${i}`))));
    const statuses = responses.map((r) => r.status);
    expect(most).toBe(4);
    // The calls that held a slot time out (504); the queued ones are turned away (503).
    expect(statuses.filter((s) => s === 504).length).toBeGreaterThanOrEqual(4);
    expect(statuses.filter((s) => s !== 503 && s !== 504)).toEqual([]);
    const busy = responses.filter((r) => r.status === 503);
    expect(busy.length).toBeGreaterThan(0);
    expect(busy[0]?.headers.get("retry-after")).toBe("1");
    expect(errors.filter((e) => !(e instanceof TimeoutError)).map(String)).toEqual([]);
  });

  it.each([
    [{ origin: "https://app.example" }, 200],
    [{ origin: "https://evil.example" }, 403],
    [{ "sec-fetch-site": "cross-site" }, 403],
    [{ "sec-fetch-site": "same-origin" }, 200],
    [{}, 200],
  ])("with allowedOrigins, a request with %j gets %i", async (headers, status) => {
    const client = createDevRevClient({ token: TEST_AAT, fetch: async () => created() });
    const handler = createSessionTokenHandler({
      client,
      identify: alice,
      allowedOrigins: ["https://app.example/"],
    });
    const response = await handler(new Request("http://site.test/api/plug/session", { method: "POST", headers }));
    expect(response.status).toBe(status);
    if (status === 403) expect(await response.json()).toEqual({ error: "forbidden_origin" });
  });
});

describe("a client created on the first request", () => {
  it("needs no token until a request comes, then creates the client once", async () => {
    let made = 0;
    let token: string | undefined;
    const errors: unknown[] = [];
    // As a route module does at build time: the handler exists before any secret does.
    const handler = createSessionTokenHandler({
      client: () => {
        made++;
        return createDevRevClient({ token: token as string, fetch: async () => created() });
      },
      identify: () => ({ user_ref: "u" }),
      onError: (error) => errors.push(error),
    });
    expect(made).toBe(0);
    const early = await handler(post());
    expect(early.status).toBe(500);
    expect(errors[0]).toBeInstanceOf(ConfigurationError);
    token = TEST_AAT;
    expect((await handler(post())).status).toBe(200);
    expect((await handler(post())).status).toBe(200);
    expect(made).toBe(2);
  });
});

describe("one cache, several tenants", () => {
  it("never hands one AAT's token to a handler of another", async () => {
    const clientFor = (token: string) =>
      createDevRevClient({
        token,
        fetch: async () =>
          Response.json(
            // The tenant's name, not its AAT: a token carrying the AAT, even in base64, is redacted.
            { access_token: fakeJwt({ exp: EXP, tenant: token.slice(-1) }), expires_in: EXP, token_type: "bearer" },
            { status: 201 },
          ),
      });
    const cache = createTokenCache();
    const identify = () => ({ user_ref: "same-user" });
    const tenantA = createSessionTokenHandler({ client: clientFor(`${TEST_AAT}-a`), identify, cache });
    const tenantB = createSessionTokenHandler({ client: clientFor(`${TEST_AAT}-b`), identify, cache });
    const tokenA = ((await (await tenantA(post())).json()) as { session_token: string }).session_token;
    const tokenB = ((await (await tenantB(post())).json()) as { session_token: string }).session_token;
    expect(tokenA).not.toBe(tokenB);
    expect(cache.size).toBe(2);
  });
});
