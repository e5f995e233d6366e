import { readFile } from "node:fs/promises";
import { join } from "node:path";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import * as guards from "../../generated/index.js";
import {
  docsRevInfoBody,
  docsSubjectTokenBody,
  seedBodyByRevInfo,
  seedBodyBySubjectToken,
  REQUEST_VARIANTS as VARIANTS,
} from "../fixtures/seed-bodies.js";
import { ROOT } from "../helpers/cli.js";

// Ajv compiled here at run time, with the options Prism validates request
// bodies with (draft-07, no coercion): an engine independent of the generated
// code, holding the union and the guards to their promise.
const spec = parse(await readFile(join(ROOT, "spec/auth-tokens.openapi.yaml"), "utf8"));
const ajv = new Ajv.default({ strict: false, allErrors: true, allowUnionTypes: true });
addFormats.default(ajv);
ajv.addSchema({ components: spec.components }, "spec");
const validate = (name: string, value: unknown) => ajv.validate({ $ref: `spec#/components/schemas/${name}` }, value);

const matching = (body: unknown) => VARIANTS.filter((variant) => validate(variant, body));
const guarded = (body: unknown) => VARIANTS.filter((variant) => guards[`is${variant}`](body));

const requestExamples: Record<string, { value: unknown }> =
  spec.paths["/auth-tokens.create"].post.requestBody.content["application/json"].examples;

const TOKEN_ISSUE = "urn:devrev:params:oauth:grant-type:token-issue";
const SESSION = "urn:devrev:params:oauth:token-type:session";

describe("the request union", () => {
  const valid = [
    { name: "seed body by subject token", body: seedBodyBySubjectToken, want: "SessionTokenBySubjectTokenRequest" },
    { name: "seed body by rev_info", body: seedBodyByRevInfo, want: "SessionTokenByRevInfoRequest" },
    {
      name: "docs body by subject token, placeholders and all",
      body: docsSubjectTokenBody,
      want: "SessionTokenBySubjectTokenRequest",
    },
    {
      name: "docs body by rev_info, placeholders and all",
      body: docsRevInfoBody,
      want: "SessionTokenByRevInfoRequest",
    },
    {
      name: "example session-by-rev-info",
      body: requestExamples["session-by-rev-info"]?.value,
      want: "SessionTokenByRevInfoRequest",
    },
    {
      name: "example session-by-rev-info-with-grant-type",
      body: requestExamples["session-by-rev-info-with-grant-type"]?.value,
      want: "SessionTokenByRevInfoRequest",
    },
    {
      name: "example session-by-subject-token",
      body: requestExamples["session-by-subject-token"]?.value,
      want: "SessionTokenBySubjectTokenRequest",
    },
    { name: "example aat-issue", body: requestExamples["aat-issue"]?.value, want: "AatIssueRequest" },
    {
      name: "example other-token-issue",
      body: requestExamples["other-token-issue"]?.value,
      want: "OtherTokenIssueRequest",
    },
    { name: "example token-exchange", body: requestExamples["token-exchange"]?.value, want: "TokenExchangeRequest" },
  ];

  it("has a test row for every request example in the spec", () => {
    const covered = valid.filter((row) => row.name.startsWith("example ")).map((row) => row.name.slice(8));
    expect(covered.sort()).toEqual(Object.keys(requestExamples).sort());
  });

  it.each(valid)("$name matches exactly $want, by schema and by guard", ({ body, want }) => {
    expect(body).toBeDefined();
    expect(validate("AuthTokensCreateRequest", body)).toBe(true);
    expect(matching(body)).toEqual([want]);
    expect(guarded(body)).toEqual([want]);
  });

  // Broken at the top level: no variant matches, and no guard accepts them either.
  const brokenAtTop = [
    { name: "{}", body: {} },
    {
      name: "token exchange without subject_token",
      body: {
        grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
        requested_token_type: SESSION,
        subject_token_type: "urn:devrev:params:oauth:token-type:rev",
      },
    },
    {
      name: "subject-token session without subject_token",
      body: { ...seedBodyBySubjectToken, subject_token: undefined },
    },
    {
      name: "an unknown grant URN",
      body: { ...seedBodyBySubjectToken, grant_type: "urn:devrev:params:oauth:grant-type:nope" },
    },
    {
      name: "an unknown token URN",
      body: { grant_type: TOKEN_ISSUE, requested_token_type: "urn:devrev:params:oauth:token-type:nope" },
    },
    {
      name: "an AAT request asking for a session token",
      body: { grant_type: TOKEN_ISSUE, requested_token_type: SESSION },
    },
    { name: "an array", body: [seedBodyByRevInfo] },
  ].map((row) => ({ ...row, body: JSON.parse(JSON.stringify(row.body)) as unknown }));

  it.each(brokenAtTop)("rejects $name", ({ body }) => {
    expect(validate("AuthTokensCreateRequest", body)).toBe(false);
    expect(matching(body)).toEqual([]);
    expect(guarded(body)).toEqual([]);
  });

  const revInfo = (patch: Record<string, unknown>) => ({ rev_info: { ...seedBodyByRevInfo.rev_info, ...patch } });
  const brokenInside = [
    { name: "rev_info without user_ref", body: { rev_info: { account_ref: "acme" } } },
    { name: "an empty user_ref", body: revInfo({ user_ref: "" }) },
    { name: "a phone number not in E.164", body: revInfo({ user_traits: { phone_numbers: ["0044 20 7946 0000"] } }) },
    { name: "a domain with a scheme", body: revInfo({ account_traits: { domains: ["https://devrev.ai"] } }) },
    { name: "a www. domain", body: revInfo({ account_traits: { domains: ["www.devrev.ai"] } }) },
    { name: "expires_in over 1825 days", body: { ...seedBodyBySubjectToken, expires_in: 1826 } },
    { name: "expires_in_mins over 1440", body: { ...seedBodyBySubjectToken, expires_in_mins: 1441 } },
    { name: "a negative expires_in", body: { ...seedBodyBySubjectToken, expires_in: -1 } },
  ];

  it.each(brokenInside)("rejects $name", ({ body }) => {
    expect(validate("AuthTokensCreateRequest", body)).toBe(false);
    expect(matching(body)).toEqual([]);
    expect(guarded(body)).toEqual([]);
    expect(guards.isAuthTokensCreateRequest(body)).toBe(false);
  });

  // Bodies DevRev's schema accepts and its docs do not forbid: accepted, each as one variant (spec/CONFORMANCE.md).
  const acceptedAsDevRevDoes = [
    {
      name: "an email with a non-ASCII local part",
      body: revInfo({ user_traits: { email: "zoë@example.com" } }),
      want: "SessionTokenByRevInfoRequest",
    },
    {
      name: "an email at a single-label host",
      body: revInfo({ user_traits: { email: "user@localhost" } }),
      want: "SessionTokenByRevInfoRequest",
    },
    {
      name: "an email without @",
      body: revInfo({ user_traits: { email: "ada.example" } }),
      want: "SessionTokenByRevInfoRequest",
    },
    { name: "a blank user_ref", body: revInfo({ user_ref: "   " }), want: "SessionTokenByRevInfoRequest" },
    {
      name: "an internationalised domain",
      body: revInfo({ account_traits: { domains: ["bücher.example"] } }),
      want: "SessionTokenByRevInfoRequest",
    },
    {
      name: "rev_info with client_id and act_as",
      body: { ...seedBodyByRevInfo, client_id: "c", act_as: "don:x" },
      want: "SessionTokenByRevInfoRequest",
    },
    {
      name: "rev_info together with subject_token",
      body: { ...seedBodyByRevInfo, subject_token: "x" },
      want: "SessionTokenByRevInfoRequest",
    },
    {
      name: "rev_info asking for session:rev",
      body: {
        ...seedBodyByRevInfo,
        grant_type: TOKEN_ISSUE,
        requested_token_type: "urn:devrev:params:oauth:token-type:session:rev",
      },
      want: "SessionTokenByRevInfoRequest",
    },
    {
      // Public code reports DevRev's 201 for this body.
      name: "rev_info asking for session:rev:public without grant_type",
      body: { ...seedBodyByRevInfo, requested_token_type: "urn:devrev:params:oauth:token-type:session:rev:public" },
      want: "SessionTokenByRevInfoRequest",
    },
    {
      name: "rev_info with the token-exchange grant",
      body: { ...seedBodyByRevInfo, grant_type: "urn:ietf:params:oauth:grant-type:token-exchange" },
      want: "SessionTokenByRevInfoRequest",
    },
    {
      name: "workspace phone numbers that are not E.164",
      body: revInfo({ workspace_traits: { phone_numbers: ["0044 20 7946 0000"] } }),
      want: "SessionTokenByRevInfoRequest",
    },
    {
      name: "an AAT request with subject_token",
      body: {
        grant_type: TOKEN_ISSUE,
        requested_token_type: "urn:devrev:params:oauth:token-type:aat",
        subject_token: "x",
      },
      want: "AatIssueRequest",
    },
    {
      name: "an unknown top-level field",
      body: { ...seedBodyBySubjectToken, colour: "blue" },
      want: "SessionTokenBySubjectTokenRequest",
    },
  ];

  it.each(acceptedAsDevRevDoes)("accepts $name as $want, by schema and by guard", ({ body, want }) => {
    expect(validate("AuthTokensCreateRequest", body)).toBe(true);
    expect(matching(body)).toEqual([want]);
    expect(guarded(body)).toEqual([want]);
  });

  it("accepts the limits themselves", () => {
    expect(
      validate("AuthTokensCreateRequest", { ...seedBodyBySubjectToken, expires_in: 1825, expires_in_mins: 1440 }),
    ).toBe(true);
    expect(
      validate("AuthTokensCreateRequest", revInfo({ account_traits: { domains: ["devrev.ai", "eu.acme.co.uk"] } })),
    ).toBe(true);
  });
});

describe("the spec's examples", () => {
  const responses = spec.paths["/auth-tokens.create"].post.responses as Record<string, { $ref?: string }>;
  const resolved = Object.entries(responses).map(([status, response]) => {
    const target = response.$ref ? spec.components.responses[response.$ref.split("/").pop() as string] : response;
    return { status, content: target.content["application/json"], headers: target.headers ?? {} };
  });

  it("declare every status DevRev documents", () => {
    expect(resolved.map((r) => r.status)).toEqual([
      "200",
      "201",
      "400",
      "401",
      "403",
      "404",
      "409",
      "413",
      "429",
      "500",
      "503",
    ]);
  });

  // 200 is documented for completeness; the API (and so the mock) answers 201, which carries the examples.
  it.each(resolved.filter((r) => r.status !== "200"))(
    "$status: every named example is valid against its schema",
    ({ content }) => {
      const examples = Object.entries(content.examples as Record<string, { value: unknown }>);
      expect(examples.length).toBeGreaterThan(0);
      for (const [, example] of examples) {
        const ok = ajv.validate({ $ref: `spec${content.schema.$ref}` }, example.value);
        expect(ok, JSON.stringify(ajv.errors)).toBe(true);
      }
    },
  );

  it.each(resolved)("$status carries DevRev's rate-limit headers", ({ headers }) => {
    expect(Object.keys(headers)).toEqual(
      expect.arrayContaining(["X-Ratelimit-Limit", "X-Ratelimit-Remaining", "X-Ratelimit-Reset"]),
    );
  });

  it("429 carries a Retry-After header", () => {
    expect(resolved.find((r) => r.status === "429")?.headers).toHaveProperty("Retry-After");
  });

  it("201 tokens are JWT-shaped with an exp claim in the future", () => {
    const created = resolved.find((r) => r.status === "201");
    for (const { value } of Object.values(
      created?.content.examples as Record<string, { value: { access_token: string } }>,
    )) {
      const [, payload] = value.access_token.split(".");
      const claims = JSON.parse(Buffer.from(payload ?? "", "base64url").toString("utf8"));
      expect(claims.exp * 1000).toBeGreaterThan(Date.now());
      // The claim names real tokens carry; no value that no source gives (an `aud`).
      expect(claims).toHaveProperty(["http://devrev.ai/tokentype"]);
      expect(claims).toHaveProperty(["http://devrev.ai/devrev_don"], claims.sub);
      expect(claims).not.toHaveProperty("aud");
    }
  });
});
