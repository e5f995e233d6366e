import { getHttpOperationsFromSpec } from "@stoplight/prism-http";
import fc from "fast-check";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  isErrorBadRequest,
  isErrorConflict,
  isErrorNotFound,
  validateAuthTokensCreateRequest,
} from "../../generated/index.js";
import { type MockServer, startMockServer } from "../../mock/index.js";
import { loadSpec } from "../../scripts/spec-reader/load-spec.js";
import { decodeJwtClaims } from "../../src/shared/jwt.js";
import { REQUEST_VARIANTS } from "../fixtures/seed-bodies.js";
import { ROOT } from "../helpers/cli.js";
import { arbitraryFor, mutated } from "../helpers/schema-arbitrary.js";
import { fakeJwt, TEST_AAT } from "../helpers/tokens.js";

// The request body union as Prism holds it, refs inlined, to generate bodies from.
const spec = (await loadSpec(`${ROOT}/spec/auth-tokens.openapi.yaml`)).document;
const [operation] = await getHttpOperationsFromSpec(spec as object);
const union = operation?.request?.body?.contents?.[0]?.schema as { oneOf: Record<string, unknown>[] };

// A mock of its own: these tests provision users and reset between tests.
let mock: MockServer;
beforeAll(async () => {
  mock = await startMockServer();
});
afterAll(() => mock.close());
beforeEach(() => mock.reset());

const URN = "urn:devrev:params:oauth:token-type:";
const CLAIM = "http://devrev.ai/";

async function create(body: unknown, init: { raw?: string; headers?: Record<string, string> } = {}) {
  const response = await fetch(`${mock.url}/auth-tokens.create`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: TEST_AAT, ...init.headers },
    body: init.raw ?? JSON.stringify(body),
  });
  const violations = JSON.parse(response.headers.get("sl-violations") ?? "[]") as { location: string[] }[];
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
    // What Prism's response validation found wrong with the mock's own answer.
    responseViolations: violations.filter((v) => v.location[0] === "response"),
  };
}

async function claimsOf(body: unknown): Promise<Record<string, unknown>> {
  const result = await create(body);
  expect(result.status).toBe(201);
  return decodeJwtClaims(String(result.body.access_token)) ?? {};
}

const subjectTokenBody = (subject_token: string, type = "session") => ({
  grant_type: "urn:devrev:params:oauth:grant-type:token-issue",
  subject_token,
  subject_token_type: `${URN}userinfo`,
  requested_token_type: `${URN}${type}`,
});

describe("400s name the field at fault as DevRev does", () => {
  it.each([
    ["no rev_info", {}, { type: "missing_required_field", field_name: "rev_info" }],
    ["no user_ref", { rev_info: {} }, { type: "missing_required_field", field_name: "rev_info.user_ref" }],
    [
      "a number for user_ref",
      { rev_info: { user_ref: 7 } },
      { type: "unexpected_json_type", field_name: "rev_info.user_ref", actual: "number", expected: "string" },
    ],
    [
      "a string for phone_numbers",
      { rev_info: { user_ref: "u", user_traits: { phone_numbers: "+1" } } },
      {
        type: "unexpected_json_type",
        field_name: "rev_info.user_traits.phone_numbers",
        actual: "string",
        expected: "array",
      },
    ],
    [
      "an unknown subject_token_type",
      { ...subjectTokenBody("t"), subject_token_type: `${URN}nope` },
      {
        type: "invalid_enum_value",
        field_name: "subject_token_type",
        value: `${URN}nope`,
        allowed_values: expect.arrayContaining([`${URN}userinfo`, `${URN}session`]),
      },
    ],
    [
      "a lifetime over a day in minutes",
      { rev_info: { user_ref: "u" }, expires_in_mins: 5000 },
      {
        type: "value_not_permitted",
        field_name: "expires_in_mins",
        reason: "expires_in_mins must be a whole number of minutes from 0 to 1440 (one day)",
      },
    ],
    [
      "a URL where a bare domain belongs",
      { rev_info: { user_ref: "u", account_traits: { domains: ["https://acme.example"] } } },
      { type: "invalid_field", field_name: "rev_info.account_traits.domains[0]" },
    ],
    ["a JSON array for the body", [], { type: "bad_request" }],
  ])("%s", async (_name, body, expected) => {
    const result = await create(body);
    expect(result.status).toBe(400);
    expect(result.body).toMatchObject({ ...expected, message: expect.any(String) });
    expect(isErrorBadRequest(result.body)).toBe(true);
    expect(result.responseViolations).toEqual([]);
    // The same path the client's ValidationError names for the same body.
    const issue = validateAuthTokensCreateRequest(body);
    if (!issue.valid && issue.issues[0]?.path) expect(result.body.field_name).toBe(issue.issues[0].path);
  });

  it("answers a body that is not JSON with parse_error", async () => {
    const result = await create(undefined, { raw: '{"rev_info": ' });
    expect(result.status).toBe(400);
    expect(result.body).toMatchObject({ type: "parse_error", message: expect.stringContaining("not valid JSON") });
    expect(isErrorBadRequest(result.body)).toBe(true);
  });

  it("a body broken in many places still gets a violations header that parses", async () => {
    // Found by the property below: Prism lists every branch of the union, over 8,000 characters,
    // and the header used to be cut mid-string.
    const response = await fetch(`${mock.url}/auth-tokens.create`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: TEST_AAT },
      body: JSON.stringify({
        grant_type: "urn:devrev:params:oauth:grant-type:token-issue",
        requested_token_type: `${URN}aat`,
        client_id: " ",
        act_as: "",
        expires_in: 0,
        expires_in_mins: -1,
        aud: [false, false, false, null, false, false, null, false, false],
        scope: " ",
        token_hint: " ",
      }),
    });
    expect(response.status).toBe(400);
    const header = response.headers.get("sl-violations") ?? "";
    expect(header.length).toBeLessThanOrEqual(8000);
    const violations = JSON.parse(header) as { location: string[] }[];
    expect(violations.length).toBeGreaterThan(0);
    expect(violations.every((v) => v.location[0] === "request")).toBe(true);
  });

  it("every broken body of every variant gets a valid DevRev 400 naming the validator's first issue", async () => {
    expect(union.oneOf).toHaveLength(REQUEST_VARIANTS.length);
    const broken = fc.oneof(...union.oneOf.map((member) => mutated(arbitraryFor(member))));
    let checked = 0;
    await fc.assert(
      fc.asyncProperty(broken, async (body) => {
        const verdict = validateAuthTokensCreateRequest(body);
        if (verdict.valid) return;
        checked++;
        const result = await create(body);
        expect(result.status).toBe(400);
        expect(isErrorBadRequest(result.body)).toBe(true);
        expect(result.responseViolations).toEqual([]);
        const path = verdict.issues[0]?.path;
        if (path) expect(result.body.field_name).toBe(path);
        else expect(result.body.type).toBe("bad_request");
      }),
      { numRuns: 400 },
    );
    expect(checked).toBeGreaterThan(100);
  });
});

describe("unknown routes answer in DevRev's envelope", () => {
  it("an unknown path is a 404 not_found", async () => {
    const response = await fetch(`${mock.url}/works.list`, { method: "POST", headers: { authorization: TEST_AAT } });
    expect(response.status).toBe(404);
    const body = await response.json();
    expect(body).toEqual({ type: "not_found", message: "There is no /works.list endpoint." });
    expect(isErrorNotFound(body)).toBe(true);
  });

  it("a known path with the wrong method is a 405 in the same envelope, with Allow", async () => {
    const response = await fetch(`${mock.url}/auth-tokens.create`);
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
    const body = await response.json();
    expect(isErrorNotFound(body)).toBe(true);
    expect(body.message).toBe("GET is not allowed on /auth-tokens.create; use POST.");
  });
});

describe("tokens read like DevRev's", () => {
  it("a rev_info token carries DevRev's claim names and a DON subject stable per user_ref", async () => {
    const ada = await claimsOf({
      rev_info: { user_ref: "ada", user_traits: { display_name: "Ada", email: "a@x.io" } },
    });
    expect(ada).toMatchObject({
      iss: expect.any(String),
      sub: expect.stringMatching(/^don:identity:dvrv-us-1:devo\/0:revo\/\d+:revu\/\d+$/),
      jti: expect.any(String),
      [`${CLAIM}revuid`]: expect.stringMatching(/^REVU-\d+$/),
      [`${CLAIM}displayname`]: "Ada",
      [`${CLAIM}email`]: "a@x.io",
      [`${CLAIM}tokentype`]: `${URN}session`,
      [`${CLAIM}session_tokentype`]: `${URN}session:rev`,
      [`${CLAIM}clientid`]: expect.any(String),
      [`${CLAIM}is_verified`]: true,
      [`${CLAIM}devrev_don`]: ada.sub,
      [`${CLAIM}devrevid`]: ada[`${CLAIM}revuid`],
    });
    expect(Object.keys(ada)).not.toContain("user_ref");
    // DevRev's audience values are not public, so the mock invents none.
    expect(ada).not.toHaveProperty("aud");
    expect(await claimsOf({ rev_info: { user_ref: "ada" }, aud: ["my-app"] })).toHaveProperty("aud", ["my-app"]);
    const again = await claimsOf({ rev_info: { user_ref: "ada" } });
    expect(again.sub).toBe(ada.sub);
    expect(again.jti).not.toBe(ada.jti);
    // DevRev keeps the contact's traits: a later request with only user_ref still names them.
    expect(again[`${CLAIM}displayname`]).toBe("Ada");
    expect((await claimsOf({ rev_info: { user_ref: "grace" } })).sub).not.toBe(ada.sub);
  });

  it.each([
    ["the default, one hour", {}, 3600],
    ["expires_in_mins", { expires_in_mins: 5 }, 300],
    ["expires_in, in days", { expires_in: 2 }, 2 * 86_400],
    ["expires_in_mins over expires_in", { expires_in: 2, expires_in_mins: 10 }, 600],
  ])("the lifetime honours %s", async (_name, extra, seconds) => {
    const result = await create({ rev_info: { user_ref: "u" }, ...extra });
    const claims = decodeJwtClaims(String(result.body.access_token)) ?? {};
    expect((claims.exp as number) - (claims.iat as number)).toBe(seconds);
    expect(result.body.expires_in).toBe(claims.exp);
  });

  it("a subject token's JWT subject decides the identity; any other token is stable by value", async () => {
    const jwt = fakeJwt({ sub: "site-user-1", email: "one@site.example", name: "One" });
    const first = await claimsOf(subjectTokenBody(jwt));
    expect(first).toMatchObject({ [`${CLAIM}email`]: "one@site.example", [`${CLAIM}displayname`]: "One" });
    expect((await claimsOf(subjectTokenBody(fakeJwt({ sub: "site-user-1", iat: 5 })))).sub).toBe(first.sub);
    expect((await claimsOf(subjectTokenBody(fakeJwt({ sub: "site-user-2" })))).sub).not.toBe(first.sub);
    const opaque = await claimsOf(subjectTokenBody("opaque-token"));
    expect((await claimsOf(subjectTokenBody("opaque-token"))).sub).toBe(opaque.sub);
  });

  it("the token type is what was asked for: an AAT with its client_id, a PAT for a dev user", async () => {
    const aat = await create({
      grant_type: "urn:devrev:params:oauth:grant-type:token-issue",
      requested_token_type: `${URN}aat`,
      client_id: "my-backend",
      expires_in: 30,
    });
    expect(aat.body.client_id).toBe("my-backend");
    expect(decodeJwtClaims(String(aat.body.access_token))).toMatchObject({
      sub: expect.stringMatching(/:svcacc\/\d+$/),
      [`${CLAIM}tokentype`]: `${URN}aat`,
      [`${CLAIM}clientid`]: "my-backend",
    });
    const pat = await claimsOf(subjectTokenBody("dev-token", "pat"));
    expect(pat).toMatchObject({ sub: expect.stringMatching(/:devu\/\d+$/), [`${CLAIM}tokentype`]: `${URN}pat` });
    expect(pat).not.toHaveProperty(`${CLAIM}session_tokentype`);
  });
});

describe("what rev_info provisioned is remembered", () => {
  const body = (user_ref: string, account_ref: string) => ({
    rev_info: { user_ref, account_ref, workspace_ref: "acme-eu" },
  });

  it("a workspace under another account is a 409 conflict, until reset", async () => {
    expect((await create(body("ada", "acme"))).status).toBe(201);
    expect((await create(body("grace", "acme"))).status).toBe(201);
    const conflict = await create(body("linus", "globex"));
    expect(conflict.status).toBe(409);
    expect(conflict.body).toEqual({
      type: "conflict",
      message: 'workspace "acme-eu" already belongs to another account',
    });
    expect(isErrorConflict(conflict.body)).toBe(true);
    expect(conflict.responseViolations).toEqual([]);
    await mock.reset();
    expect((await create(body("linus", "globex"))).status).toBe(201);
  });

  it("a workspace first sent alone has an account of its own: sent later with an account, it conflicts", async () => {
    expect((await create({ rev_info: { user_ref: "ada", workspace_ref: "solo-ws" } })).status).toBe(201);
    expect((await create({ rev_info: { user_ref: "grace", workspace_ref: "solo-ws" } })).status).toBe(201);
    const conflict = await create({ rev_info: { user_ref: "linus", workspace_ref: "solo-ws", account_ref: "acme" } });
    expect(conflict.status).toBe(409);
    expect(conflict.body.type).toBe("conflict");
  });

  it("org_ref is the older name of workspace_ref: it provisions the same workspace", async () => {
    const revo = (claims: Record<string, unknown>) => /:revo\/(\d+):/.exec(String(claims.sub))?.[1];
    const byOrg = await claimsOf({ rev_info: { user_ref: "ada", org_ref: "acme-eu", account_ref: "acme" } });
    const byWorkspace = await claimsOf({ rev_info: { user_ref: "grace", workspace_ref: "acme-eu" } });
    expect(revo(byOrg)).toBe(revo(byWorkspace));
    expect((await create(body("linus", "globex"))).status).toBe(409);
    // workspace_ref wins where both are sent.
    const both = await claimsOf({ rev_info: { user_ref: "alan", workspace_ref: "other-ws", org_ref: "acme-eu" } });
    expect(revo(both)).not.toBe(revo(byWorkspace));
  });

  it("users in one workspace share its Rev org in their DON", async () => {
    const [ada, grace] = [await claimsOf(body("ada", "acme")), await claimsOf(body("grace", "acme"))];
    const revo = (claims: Record<string, unknown>) => /:revo\/(\d+):/.exec(String(claims.sub))?.[1];
    expect(revo(ada)).toBe(revo(grace));
    expect(revo(await claimsOf({ rev_info: { user_ref: "solo" } }))).not.toBe(revo(ada));
  });
});
