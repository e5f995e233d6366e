import { describe, expect, it } from "vitest";
import type { RevInfo } from "../../generated/index.js";
import { createDevRevClient, createSessionTokenHandler, createTokenCache } from "../../src/server/index.js";
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
      issues: [{ field: "rev_info.user_ref", message: "must NOT have fewer than 1 characters" }],
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
