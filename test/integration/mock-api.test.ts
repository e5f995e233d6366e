import createClient from "openapi-fetch";
import { describe, expect, inject, it } from "vitest";
import { authTokensCreate, type paths } from "../../generated/index.js";
import {
  BadRequestError,
  createDevRevClient,
  createSessionToken,
  createSessionTokenHandler,
  RateLimitedError,
  ServerError,
} from "../../src/server/index.js";
import { decodeJwtClaims } from "../../src/shared/jwt.js";
import {
  docsRevInfoBody,
  docsSubjectTokenBody,
  seedBodyByRevInfo,
  seedBodyBySubjectToken,
} from "../fixtures/seed-bodies.js";
import { TEST_AAT } from "../helpers/tokens.js";

// Every call goes through the real Prism (started once by mock/vitest-setup.ts)
// and the real generated client.
const baseUrl = inject("devrevMockUrl");
const client = createDevRevClient({ token: TEST_AAT, baseUrl, maxRetries: 0 });
const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const REV_USER_DON = /^don:identity:dvrv-us-1:devo\/0:revo\/\d+:revu\/\d+$/;

describe("the mock, through the generated client", () => {
  it("answers the rev_info seed body with 201 and a JWT that names the user and expires in the future", async () => {
    const result = await authTokensCreate(client, { body: seedBodyByRevInfo });
    expect(result.status).toBe(201);
    if (result.status !== 201) return;
    expect(result.body.token_type).toBe("bearer");
    expect(result.body.access_token).toMatch(JWT);
    const claims = decodeJwtClaims(result.body.access_token);
    expect(claims).toMatchObject({
      sub: expect.stringMatching(REV_USER_DON),
      "http://devrev.ai/displayname": "Ada Lovelace",
      "http://devrev.ai/email": "ada@acme.example",
      "http://devrev.ai/tokentype": "urn:devrev:params:oauth:token-type:session",
    });
    expect((claims?.exp as number) * 1000).toBeGreaterThan(Date.now());
    expect(result.response.headers.get("sl-violations")).toBeNull();
  });

  it("answers the subject-token seed body with 201 and a JWT that expires in the future", async () => {
    const result = await authTokensCreate(client, { body: seedBodyBySubjectToken });
    expect(result.status).toBe(201);
    if (result.status !== 201) return;
    expect(result.body.access_token).toMatch(JWT);
    expect((decodeJwtClaims(result.body.access_token)?.exp as number) * 1000).toBeGreaterThan(Date.now());
  });

  it.each([
    ["the docs' rev_info body, placeholders and all", docsRevInfoBody],
    ["the docs' subject-token body, placeholders and all", docsSubjectTokenBody],
    [
      "an email with a non-ASCII local part",
      { rev_info: { user_ref: "zoe", user_traits: { email: "zoë@example.com" } } },
    ],
    ["an email at a single-label host", { rev_info: { user_ref: "u", user_traits: { email: "user@localhost" } } }],
    ["an internationalised domain", { rev_info: { user_ref: "u", account_traits: { domains: ["bücher.example"] } } }],
  ])("answers %s with 201, as DevRev's free-text fields do", async (_name, body) => {
    const result = await authTokensCreate(client, { body });
    expect(result.status).toBe(201);
    expect(result.response.headers.get("sl-violations")).toBeNull();
  });

  it("answers 201 when DevRev's docs say 200 or 201: never 200 unless asked", async () => {
    const result = await authTokensCreate(client, { body: seedBodyByRevInfo, headers: { Prefer: "code=200" } });
    expect(result.status).toBe(200);
  });

  it("honours the requested lifetime in the token", async () => {
    const result = await authTokensCreate(client, { body: { rev_info: { user_ref: "u" }, expires_in_mins: 5 } });
    if (result.status !== 201) throw new Error(`status ${result.status}`);
    const exp = decodeJwtClaims(result.body.access_token)?.exp as number;
    expect(exp - Date.now() / 1000).toBeGreaterThan(240);
    expect(exp - Date.now() / 1000).toBeLessThanOrEqual(300);
  });

  it("answers a body that breaks the union with 400 naming the field, in DevRev's error envelope", async () => {
    const result = await authTokensCreate(client, { body: { rev_info: { account_ref: "acme" } } as never });
    expect(result.status).toBe(400);
    if (result.status === 400) {
      expect(result.body).toEqual({
        type: "missing_required_field",
        message: "missing required field: rev_info.user_ref",
        // The spec's sentence for the rule, after the field, as DevRev's detail.
        detail: "rev_info.user_ref is required: the site's own ID for the user, such as user-123",
        field_name: "rev_info.user_ref",
      });
    }
    expect(result.response.headers.get("sl-violations")).toContain("request");
  });

  it("answers 401 without an Authorization header", async () => {
    const anonymous = createClient<paths>({ baseUrl });
    const result = await authTokensCreate(anonymous, { body: seedBodyByRevInfo });
    expect(result.status).toBe(401);
    if (result.status === 401) expect(result.body.type).toBe("unauthenticated");
  });

  it("answers Prefer: code=429 with Retry-After, in header and body", async () => {
    const result = await authTokensCreate(client, { body: seedBodyByRevInfo, headers: { Prefer: "code=429" } });
    expect(result.status).toBe(429);
    expect(result.response.headers.get("retry-after")).toBe("30");
    if (result.status === 429) expect(result.body).toMatchObject({ type: "too_many_requests", retry_after: 30 });
  });

  it.each([
    [500, "internal_error"],
    [503, "service_unavailable"],
  ] as const)("answers Prefer: code=%i with its error envelope", async (code, type) => {
    const result = await authTokensCreate(client, { body: seedBodyByRevInfo, headers: { Prefer: `code=${code}` } });
    expect(result.status).toBe(code);
    expect(result.body).toMatchObject({ type });
  });

  it("answers Prefer: example=NAME with that example untouched", async () => {
    const result = await authTokensCreate(client, {
      body: {
        grant_type: "urn:devrev:params:oauth:grant-type:token-issue",
        requested_token_type: "urn:devrev:params:oauth:token-type:aat",
      },
      headers: { Prefer: "example=aat" },
    });
    expect(result.status).toBe(201);
    if (result.status === 201) expect(result.body.client_id).toBe("website-backend");
    const conflict = await authTokensCreate(client, {
      body: seedBodyByRevInfo,
      headers: { Prefer: "code=400, example=value-not-permitted" },
    });
    expect(conflict.body).toMatchObject({ type: "value_not_permitted", field_name: "rev_info.account_traits.domains" });
  });
});

describe("the server helpers against the mock", () => {
  it("createSessionToken mints both forms", async () => {
    const byRevInfo = await createSessionToken(client, { revInfo: seedBodyByRevInfo.rev_info });
    expect(decodeJwtClaims(byRevInfo.token)?.["http://devrev.ai/displayname"]).toBe("Ada Lovelace");
    expect(byRevInfo.expiresAt.getTime()).toBeGreaterThan(Date.now());
    const bySubject = await createSessionToken(client, { subjectToken: "user-token" });
    expect(bySubject.tokenType).toBe("bearer");
    expect(bySubject.expiresAt.getTime()).toBeGreaterThan(Date.now());
  });

  it("maps the mock's error answers to typed errors", async () => {
    const with429 = createDevRevClient({
      token: TEST_AAT,
      baseUrl,
      maxRetries: 0,
      fetch: (r) => fetch(withPrefer(r, "code=429")),
    });
    await expect(createSessionToken(with429, { revInfo: { user_ref: "u" } })).rejects.toMatchObject({
      constructor: RateLimitedError,
      retryAfter: 30,
    });
    const with503 = createDevRevClient({
      token: TEST_AAT,
      baseUrl,
      maxRetries: 1,
      initialRetryDelayMs: 1,
      fetch: (r) => fetch(withPrefer(r, "code=503")),
    });
    await expect(createSessionToken(with503, { revInfo: { user_ref: "u" } })).rejects.toBeInstanceOf(ServerError);
    const with400 = createDevRevClient({
      token: TEST_AAT,
      baseUrl,
      maxRetries: 0,
      fetch: (r) => fetch(withPrefer(r, "code=400, example=missing-required-field")),
    });
    await expect(createSessionToken(with400, { revInfo: { user_ref: "u" } })).rejects.toMatchObject({
      constructor: BadRequestError,
      type: "missing_required_field",
      fieldName: "rev_info.user_ref",
    });
  });

  it("the handler answers a signed-in user with a token naming them", async () => {
    const handler = createSessionTokenHandler({
      client,
      identify: () => ({ user_ref: "grace", user_traits: { display_name: "Grace" } }),
    });
    const response = await handler(new Request("http://site.test/api/plug/session", { method: "POST" }));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { session_token: string; expires_at: string };
    expect(decodeJwtClaims(body.session_token)).toMatchObject({
      sub: expect.stringMatching(REV_USER_DON),
      "http://devrev.ai/displayname": "Grace",
    });
    expect(Date.parse(body.expires_at)).toBeGreaterThan(Date.now());
  });
});

function withPrefer(request: Request, prefer: string): Request {
  const headers = new Headers(request.headers);
  headers.set("Prefer", prefer);
  return new Request(request, { headers });
}
