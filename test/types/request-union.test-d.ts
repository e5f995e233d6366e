import createClient from "openapi-fetch";
import { describe, expectTypeOf, it } from "vitest";
import {
  type AuthTokensCreateBody,
  type AuthTokensCreateRequest,
  type AuthTokensCreateResponse,
  authTokensCreate,
  type components,
  type ErrorBadRequest,
  type ErrorTooManyRequests,
  GrantType,
  isSessionTokenByRevInfoRequest,
  type OperationBody,
  type paths,
  RequestedTokenType,
  type SessionTokenByRevInfoRequest,
  SubjectTokenType,
  type TokenExchangeRequest,
} from "../../generated/index.js";

const client = createClient<paths>({ baseUrl: "http://127.0.0.1:4010" });

describe("the request union rejects at compile time", () => {
  it("an empty body", () => {
    // @ts-expect-error: `{}` is no variant
    const body: AuthTokensCreateRequest = {};
    // @ts-expect-error: nor through openapi-fetch
    void client.POST("/auth-tokens.create", { body: {} });
    // @ts-expect-error: nor through the generated function
    void authTokensCreate(client, { body: {} });
    void body;
  });

  it("token exchange without subject_token", () => {
    // @ts-expect-error: subject_token is required for token exchange
    const body: AuthTokensCreateRequest = {
      grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
      requested_token_type: "urn:devrev:params:oauth:token-type:session",
      subject_token_type: "urn:devrev:params:oauth:token-type:rev",
    };
    void body;
  });

  it("a subject-token session without subject_token", () => {
    // @ts-expect-error: subject_token is required
    const body: AuthTokensCreateRequest = {
      grant_type: "urn:devrev:params:oauth:grant-type:token-issue",
      subject_token_type: "urn:devrev:params:oauth:token-type:userinfo",
      requested_token_type: "urn:devrev:params:oauth:token-type:session",
    };
    void body;
  });

  it("rev_info without user_ref", () => {
    const body: AuthTokensCreateRequest = {
      // @ts-expect-error: user_ref is required
      rev_info: { account_ref: "acme", user_traits: { email: "ada@acme.example" } },
    };
    void body;
  });

  it("an unknown URN", () => {
    const body: AuthTokensCreateRequest = {
      grant_type: "urn:devrev:params:oauth:grant-type:token-issue",
      // @ts-expect-error: not a requested token type
      requested_token_type: "urn:devrev:params:oauth:token-type:nope",
    };
    const grant: AuthTokensCreateRequest = {
      // @ts-expect-error: not a grant type
      grant_type: "urn:devrev:params:oauth:grant-type:nope",
      rev_info: { user_ref: "u" },
    };
    void body;
    void grant;
  });

  it("a field from another variant", () => {
    // @ts-expect-error: subject_token belongs to the subject-token variants
    const revInfoWithSubject: AuthTokensCreateRequest = {
      rev_info: { user_ref: "user-123" },
      subject_token: "x",
    };
    // @ts-expect-error: rev_info belongs to the rev_info variant
    const subjectWithRevInfo: AuthTokensCreateRequest = {
      grant_type: "urn:devrev:params:oauth:grant-type:token-issue",
      subject_token: "eyJ.x.y",
      subject_token_type: "urn:devrev:params:oauth:token-type:userinfo",
      requested_token_type: "urn:devrev:params:oauth:token-type:session",
      rev_info: { user_ref: "user-123" },
    };
    // Any body with rev_info is the rev_info form, whatever token type it asks for, as at DevRev.
    const aatWithRevInfo: AuthTokensCreateRequest = {
      grant_type: "urn:devrev:params:oauth:grant-type:token-issue",
      requested_token_type: "urn:devrev:params:oauth:token-type:aat",
      rev_info: { user_ref: "user-123" },
    };
    const exchangeWithRevInfo: TokenExchangeRequest = {
      grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
      requested_token_type: "urn:devrev:params:oauth:token-type:session",
      subject_token: "eyJ.x.y",
      subject_token_type: "urn:devrev:params:oauth:token-type:rev",
      // @ts-expect-error: the named exchange variant has no rev_info (a body with one is the rev_info form)
      rev_info: { user_ref: "user-123" },
    };
    void client.POST("/auth-tokens.create", {
      // @ts-expect-error: also through openapi-fetch
      body: { rev_info: { user_ref: "user-123" }, client_id: "x" },
    });
    void revInfoWithSubject;
    void subjectWithRevInfo;
    void aatWithRevInfo;
    void exchangeWithRevInfo;
  });
});

describe("the request union accepts the seed's bodies exactly as written", () => {
  it("by subject token", () => {
    void client.POST("/auth-tokens.create", {
      body: {
        grant_type: "urn:devrev:params:oauth:grant-type:token-issue",
        subject_token: "<user-token>",
        subject_token_type: "urn:devrev:params:oauth:token-type:userinfo",
        requested_token_type: "urn:devrev:params:oauth:token-type:session",
      },
    });
  });

  it("by rev_info", () => {
    void authTokensCreate(client, {
      body: {
        rev_info: {
          user_ref: "user-123",
          account_ref: "acme",
          workspace_ref: "acme-eu",
          user_traits: { email: "ada@acme.example", display_name: "Ada", phone_numbers: ["+911122334455"] },
          account_traits: { display_name: "Acme", domains: ["acme.example"] },
          workspace_traits: { display_name: "Acme EU" },
        },
      },
    });
  });

  it("by rev_info with grant_type and requested_token_type, as DevRev's reference shows", () => {
    const body: AuthTokensCreateRequest = {
      grant_type: "urn:devrev:params:oauth:grant-type:token-issue",
      requested_token_type: "urn:devrev:params:oauth:token-type:session",
      rev_info: { user_ref: "user-123" },
    };
    void body;
  });

  it("with the URN constants instead of strings", () => {
    const body: AuthTokensCreateRequest = {
      grant_type: GrantType.TokenIssue,
      subject_token: "<user-token>",
      subject_token_type: SubjectTokenType.Userinfo,
      requested_token_type: RequestedTokenType.Session,
    };
    void body;
  });
});

describe("generated names", () => {
  it("URN constants are literal and their types match the spec's enums", () => {
    expectTypeOf(GrantType.TokenIssue).toEqualTypeOf<"urn:devrev:params:oauth:grant-type:token-issue">();
    expectTypeOf<GrantType>().toEqualTypeOf<components["schemas"]["GrantType"]>();
    expectTypeOf<RequestedTokenType>().toEqualTypeOf<components["schemas"]["RequestedTokenType"]>();
    expectTypeOf<SubjectTokenType>().toEqualTypeOf<components["schemas"]["SubjectTokenType"]>();
  });

  it("guards narrow to their variant", () => {
    const value: unknown = {};
    if (isSessionTokenByRevInfoRequest(value)) expectTypeOf(value).toEqualTypeOf<SessionTokenByRevInfoRequest>();
  });

  it("operation results narrow on status", async () => {
    const result = await authTokensCreate(client, { body: { rev_info: { user_ref: "u" } } });
    expectTypeOf(result.status).toEqualTypeOf<200 | 201 | 400 | 401 | 403 | 404 | 409 | 413 | 429 | 500 | 503>();
    if (result.status === 201) expectTypeOf(result.body).toEqualTypeOf<AuthTokensCreateResponse>();
    if (result.status === 400) expectTypeOf(result.body).toEqualTypeOf<ErrorBadRequest>();
    if (result.status === 429) expectTypeOf(result.body).toEqualTypeOf<ErrorTooManyRequests>();
  });

  it("an operation's body type is its request body's schema", () => {
    expectTypeOf<AuthTokensCreateBody>().toEqualTypeOf<AuthTokensCreateRequest>();
    type Operation = { requestBody?: { content: { "application/json": { a: 1 } } } };
    expectTypeOf<OperationBody<Operation>>().toEqualTypeOf<{ a: 1 }>();
    expectTypeOf<OperationBody<{ requestBody?: never }>>().toBeNever();
  });
});
