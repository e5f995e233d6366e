import { describe, expectTypeOf, it } from "vitest";
import type { AuthTokensCreateResponse, ErrorTooManyRequests } from "../../generated/index.js";
import {
  createDevRevClient,
  createSessionToken,
  createSessionTokenHandler,
  type SessionToken,
} from "../../src/server/index.js";

const client = createDevRevClient({ token: "aat" });

describe("createDevRevClient", () => {
  it("types client.POST by the request union and the responses", async () => {
    const { data, error } = await client.POST("/auth-tokens.create", { body: { rev_info: { user_ref: "u" } } });
    expectTypeOf(data).toEqualTypeOf<AuthTokensCreateResponse | undefined>();
    expectTypeOf(error).extract<ErrorTooManyRequests>().not.toBeNever();
    // @ts-expect-error: `{}` is no variant
    void client.POST("/auth-tokens.create", { body: {} });
    // @ts-expect-error: unknown path
    void client.POST("/auth-tokens.nope", { body: {} });
  });

  it("requires a token option", () => {
    // @ts-expect-error: token is required
    createDevRevClient({ baseUrl: "http://127.0.0.1:4010" });
  });
});

describe("createSessionToken", () => {
  it("takes one of the two forms and resolves with a SessionToken", () => {
    expectTypeOf(createSessionToken(client, { revInfo: { user_ref: "u" } })).resolves.toEqualTypeOf<SessionToken>();
    expectTypeOf(createSessionToken(client, { subjectToken: "t" })).resolves.toEqualTypeOf<SessionToken>();
    // @ts-expect-error: rev_info needs user_ref
    void createSessionToken(client, { revInfo: { account_ref: "a" } });
    // @ts-expect-error: an unknown subject token type
    void createSessionToken(client, { subjectToken: "t", subjectTokenType: "urn:nope" });
    // @ts-expect-error: both forms at once; one would be dropped
    void createSessionToken(client, { revInfo: { user_ref: "u" }, subjectToken: "t" });
  });
});

describe("createSessionTokenHandler", () => {
  it("is a Request -> Promise<Response> function", () => {
    const handler = createSessionTokenHandler({ client, identify: () => null });
    expectTypeOf(handler).toEqualTypeOf<(request: Request) => Promise<Response>>();
  });
});
