import { describe, expect, inject, it } from "vitest";
import * as generated from "../../generated/index.js";
import { isRecord, resolvePointer } from "../../scripts/spec-reader/json-pointer.js";
import { loadSpec } from "../../scripts/spec-reader/load-spec.js";
import { specMessages } from "../../scripts/transforms/ajv-messages.js";
import { createDevRevClient, createSessionTokenHandler } from "../../src/server/index.js";
import { ROOT } from "../helpers/cli.js";
import { TEST_AAT } from "../helpers/tokens.js";

// The spec's sentences on their way to people: the mock's 400 through the real Prism
// (started once by mock/vitest-setup.ts), and the handler's 400 through the real
// generated client. Each case names the rule it breaks as `pointer keyword`.
const baseUrl = inject("devrevMockUrl");
const document = (await loadSpec(`${ROOT}/spec/auth-tokens.openapi.yaml`)).document;
const sentences = new Map<string, string>(
  specMessages(document).flatMap(({ pointer, messages }) =>
    Object.entries(messages).map(([keyword, sentence]) => [`${pointer} ${keyword}`, sentence] as const),
  ),
);

/** The worded rules a request body is checked against: its schema and every schema it references. */
function requestRules(): Set<string> {
  const rules = new Set<string>();
  const seen = new Set<string>();
  const visit = (schema: unknown, pointer: string): void => {
    if (!isRecord(schema)) return;
    if (typeof schema.$ref === "string") {
      if (!seen.has(schema.$ref)) {
        seen.add(schema.$ref);
        visit(resolvePointer(document, schema.$ref.slice(1)), schema.$ref.slice(1));
      }
      return;
    }
    const messages = schema["x-messages"];
    for (const keyword of Object.keys(isRecord(messages) ? messages : {})) rules.add(`${pointer} ${keyword}`);
    for (const [name, sub] of Object.entries(isRecord(schema.properties) ? schema.properties : {}))
      visit(sub, `${pointer}/properties/${name}`);
    visit(schema.items, `${pointer}/items`);
    for (const [i, sub] of (Array.isArray(schema.oneOf) ? schema.oneOf : []).entries())
      visit(sub, `${pointer}/oneOf/${i}`);
  };
  const operation = resolvePointer(document, "/paths/~1auth-tokens.create/post") as Record<string, unknown>;
  visit(resolvePointer(operation, "/requestBody/content/application~1json/schema"), "");
  return rules;
}

const S = "/components/schemas";
const ISSUE = "urn:devrev:params:oauth:grant-type:token-issue";
const EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
const URN = "urn:devrev:params:oauth:token-type:";
const bySubjectToken = {
  grant_type: ISSUE,
  requested_token_type: `${URN}session`,
  subject_token_type: `${URN}userinfo`,
};
const user = (revInfo: Record<string, unknown>) => ({ rev_info: { user_ref: "u", ...revInfo } });

// One body per rule, broken there first: the mock answers with the first issue.
const bodyCases: { rule: string; body: unknown; field: string; type: string }[] = [
  {
    rule: `${S}/SessionTokenBySubjectTokenRequest required`,
    body: bySubjectToken,
    field: "subject_token",
    type: "missing_required_field",
  },
  { rule: `${S}/SessionTokenByRevInfoRequest required`, body: {}, field: "rev_info", type: "missing_required_field" },
  {
    rule: `${S}/AatIssueRequest required`,
    body: { requested_token_type: `${URN}aat`, client_id: "site" },
    field: "grant_type",
    type: "missing_required_field",
  },
  {
    rule: `${S}/OtherTokenIssueRequest required`,
    body: { requested_token_type: `${URN}pat`, act_as: "devu/1" },
    field: "grant_type",
    type: "missing_required_field",
  },
  {
    rule: `${S}/TokenExchangeRequest required`,
    body: { grant_type: EXCHANGE, requested_token_type: `${URN}session:rev:public`, subject_token: "t" },
    field: "subject_token_type",
    type: "missing_required_field",
  },
  {
    rule: `${S}/SubjectToken minLength`,
    body: { ...bySubjectToken, subject_token: "" },
    field: "subject_token",
    type: "invalid_field",
  },
  {
    rule: `${S}/SubjectTokenType enum`,
    body: { ...bySubjectToken, subject_token: "t", subject_token_type: `${URN}nope` },
    field: "subject_token_type",
    type: "invalid_enum_value",
  },
  {
    rule: `${S}/ActAs minLength`,
    body: { grant_type: ISSUE, requested_token_type: `${URN}aat`, act_as: "" },
    field: "act_as",
    type: "invalid_field",
  },
  {
    rule: `${S}/ExpiresInDays minimum`,
    body: { ...user({}), expires_in: -1 },
    field: "expires_in",
    type: "value_not_permitted",
  },
  {
    rule: `${S}/ExpiresInDays maximum`,
    body: { ...user({}), expires_in: 1826 },
    field: "expires_in",
    type: "value_not_permitted",
  },
  {
    rule: `${S}/ExpiresInMinutes minimum`,
    body: { ...user({}), expires_in_mins: -1 },
    field: "expires_in_mins",
    type: "value_not_permitted",
  },
  {
    rule: `${S}/ExpiresInMinutes maximum`,
    body: { ...user({}), expires_in_mins: 1441 },
    field: "expires_in_mins",
    type: "value_not_permitted",
  },
  {
    rule: `${S}/GrantType enum`,
    body: { ...user({}), grant_type: "authorization_code" },
    field: "grant_type",
    type: "invalid_enum_value",
  },
  {
    rule: `${S}/RequestedTokenType enum`,
    body: { ...user({}), requested_token_type: `${URN}nope` },
    field: "requested_token_type",
    type: "invalid_enum_value",
  },
  { rule: `${S}/RevInfo required`, body: { rev_info: {} }, field: "rev_info.user_ref", type: "missing_required_field" },
  {
    rule: `${S}/RevInfo/properties/user_ref minLength`,
    body: user({ user_ref: "" }),
    field: "rev_info.user_ref",
    type: "invalid_field",
  },
  {
    rule: `${S}/PhoneNumbers/items pattern`,
    body: user({ user_traits: { phone_numbers: ["020 7946 0000"] } }),
    field: "rev_info.user_traits.phone_numbers[0]",
    type: "invalid_field",
  },
  {
    rule: `${S}/BareDomain pattern`,
    body: user({ account_traits: { domains: ["https://www.acme.example"] } }),
    field: "rev_info.account_traits.domains[0]",
    type: "invalid_field",
  },
];

// The fields that tell the forms apart, where a form allows fewer values than the forms
// together: a body checked against the union is told every form's values (a form's sentence
// would name only its own), and the form's own validator gives its sentence.
const aat = { grant_type: ISSUE, requested_token_type: `${URN}aat` };
const formCases: { rule: string; validate: (value: unknown) => generated.ValidationResult<unknown>; body: unknown }[] =
  [
    {
      rule: `${S}/SessionTokenBySubjectTokenRequest/properties/grant_type const`,
      validate: generated.validateSessionTokenBySubjectTokenRequest,
      body: { ...bySubjectToken, subject_token: "t", grant_type: EXCHANGE },
    },
    {
      rule: `${S}/SessionTokenBySubjectTokenRequest/properties/requested_token_type const`,
      validate: generated.validateSessionTokenBySubjectTokenRequest,
      body: { ...bySubjectToken, subject_token: "t", requested_token_type: `${URN}aat` },
    },
    {
      rule: `${S}/AatIssueRequest/properties/grant_type const`,
      validate: generated.validateAatIssueRequest,
      body: { ...aat, grant_type: EXCHANGE },
    },
    {
      rule: `${S}/AatIssueRequest/properties/requested_token_type enum`,
      validate: generated.validateAatIssueRequest,
      body: { ...aat, requested_token_type: `${URN}pat` },
    },
    {
      rule: `${S}/OtherTokenIssueRequest/properties/grant_type const`,
      validate: generated.validateOtherTokenIssueRequest,
      body: { grant_type: EXCHANGE, requested_token_type: `${URN}pat` },
    },
    {
      rule: `${S}/OtherTokenIssueRequest/properties/requested_token_type enum`,
      validate: generated.validateOtherTokenIssueRequest,
      body: { grant_type: ISSUE, requested_token_type: `${URN}session` },
    },
    {
      rule: `${S}/TokenExchangeRequest/properties/grant_type const`,
      validate: generated.validateTokenExchangeRequest,
      body: {
        grant_type: ISSUE,
        requested_token_type: `${URN}rev`,
        subject_token: "t",
        subject_token_type: `${URN}rev`,
      },
    },
  ];

function sentenceOf(rule: string): string {
  const sentence = sentences.get(rule);
  if (sentence === undefined) throw new Error(`the spec has no sentence for ${rule}`);
  return sentence;
}

describe("every sentence of a request rule reaches people", () => {
  it("the cases below break every worded rule a request body is checked against", () => {
    const covered = [...bodyCases, ...formCases].map((c) => c.rule).sort();
    expect(covered).toEqual([...requestRules()].sort());
  });

  it.each(bodyCases)("$rule: the mock's 400 says it, as DevRev shapes a 400", async ({ rule, body, field, type }) => {
    const sentence = sentenceOf(rule);
    const keyword = rule.split(" ")[1];
    // The generated validator's first issue: the sentence, with Ajv's keyword and params.
    const checked = generated.validateAuthTokensCreateRequest(body);
    expect(checked.valid || checked.issues[0]).toMatchObject({ path: field, message: sentence, keyword });
    expect(checked.valid || Object.keys(checked.issues[0]?.params ?? {}).length).toBeGreaterThan(0);

    const response = await fetch(`${baseUrl}/auth-tokens.create`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: TEST_AAT },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(400);
    const answer = (await response.json()) as Record<string, unknown>;
    expect(answer).toMatchObject({ type, field_name: field });
    // The sentence follows the field's name where DevRev puts the why: `detail`, or `reason` for a value.
    expect(answer[type === "value_not_permitted" ? "reason" : "detail"]).toBe(`${field} ${sentence}`);
  });

  it.each(formCases)("$rule: its form's validator says it", ({ rule, validate, body }) => {
    const keyword = rule.split(" ")[1];
    const result = validate(body);
    expect(result.valid ? [] : result.issues).toContainEqual(
      expect.objectContaining({ message: sentenceOf(rule), keyword, params: expect.any(Object) }),
    );
  });

  const client = createDevRevClient({ token: TEST_AAT, baseUrl, maxRetries: 0 });
  it.each(bodyCases.filter((c) => c.field.startsWith("rev_info.")))(
    "$rule: the handler's 400 says it, with Ajv's keyword and params",
    async ({ rule, body, field }) => {
      const revInfo = (body as { rev_info: generated.RevInfo }).rev_info;
      const handler = createSessionTokenHandler({ client, identify: () => revInfo });
      const response = await handler(new Request("http://site.test/api/plug/session", { method: "POST" }));
      expect(response.status).toBe(400);
      const answer = (await response.json()) as { error: string; issues: generated.ValidationIssue[] };
      expect(answer.error).toBe("invalid_identity");
      expect(answer.issues[0]).toEqual({
        path: field,
        message: sentenceOf(rule),
        keyword: rule.split(" ")[1],
        params: expect.objectContaining({}),
      });
      expect(Object.keys(answer.issues[0]?.params ?? {}).length).toBeGreaterThan(0);
    },
  );
});
