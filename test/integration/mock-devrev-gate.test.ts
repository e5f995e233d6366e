import { spawn } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { isErrorRequestEntityTooLarge, isErrorUnauthorized } from "../../generated/index.js";
import { type MockServer, startMockServer } from "../../mock/index.js";
import { errorFromResponse } from "../../src/server/errors.js";
import {
  createDevRevClient,
  createSessionToken,
  RateLimitedError,
  RequestEntityTooLargeError,
  UnauthenticatedError,
} from "../../src/server/index.js";
import { decodeJwtClaims } from "../../src/shared/jwt.js";
import { ROOT } from "../helpers/cli.js";
import { fakeJwt, TEST_AAT } from "../helpers/tokens.js";

// What DevRev decides before it reads a body: the access token, the rate limit,
// the content type and the size. Each mock here is started as a test needs it.
const CLAIM = "http://devrev.ai/";
const URN = "urn:devrev:params:oauth:token-type:";
const mocks: MockServer[] = [];
const started = async (options: Parameters<typeof startMockServer>[0] = {}) => {
  const mock = await startMockServer(options);
  mocks.push(mock);
  return mock;
};
afterAll(async () => {
  await Promise.all(mocks.map((mock) => mock.close()));
});

async function post(mock: MockServer, body: string, headers: Record<string, string>) {
  const response = await fetch(`${mock.url}/auth-tokens.create`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
  });
  const violations = JSON.parse(response.headers.get("sl-violations") ?? "[]") as { location: string[] }[];
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
    responseViolations: violations.filter((v) => v.location[0] === "response"),
  };
}
const revInfo = JSON.stringify({ rev_info: { user_ref: "ada" } });

describe("the mock's AAT", () => {
  const AAT = "aat-the-only-one-0123456789";
  let mock: MockServer;
  beforeAll(async () => {
    mock = await started({ aat: AAT });
  });

  it.each([
    ["raw", AAT],
    ["Bearer", `Bearer ${AAT}`],
  ])("accepts the AAT in the %s form, as DevRev does", async (_form, authorization) => {
    expect((await post(mock, revInfo, { authorization })).status).toBe(201);
  });

  it.each([
    ["another token", "aat-someone-else-0123456789"],
    ["the seed's quoted placeholder", '"<<AAT>>"'],
    ["the AAT with a wrong scheme", `Basic ${AAT}`],
  ])("answers %s with 401 unauthenticated", async (_name, authorization) => {
    const answer = await post(mock, revInfo, { authorization });
    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({ type: "unauthenticated" });
    expect(isErrorUnauthorized(answer.body)).toBe(true);
    expect(answer.responseViolations).toEqual([]);
  });

  it("fails the client's call with an UnauthenticatedError", async () => {
    const client = createDevRevClient({ token: "aat-misconfigured-0123456789", baseUrl: mock.url, maxRetries: 0 });
    await expect(createSessionToken(client, { revInfo: { user_ref: "ada" } })).rejects.toBeInstanceOf(
      UnauthenticatedError,
    );
  });

  it("without one, any token still works", async () => {
    const open = await started();
    expect((await post(open, revInfo, { authorization: "anything" })).status).toBe(201);
  });
});

describe("mock --aat TOKEN --aat-public", () => {
  it("accepts only that AAT, and mints unverified users", async () => {
    const AAT = "aat-from-the-command-line-0123";
    const child = spawn(
      process.execPath,
      ["--import", "tsx", join(ROOT, "src/cli/npm-mock.ts"), "--port", "0", "--aat", AAT, "--aat-public"],
      { cwd: ROOT },
    );
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let stdout = "";
        child.stdout.on("data", (chunk) => {
          stdout += chunk;
          const found = /listening on (http:\/\/\S+)/.exec(stdout)?.[1];
          if (found) resolve(found);
        });
        child.on("exit", (code) => reject(new Error(`the mock exited (${code}) before listening`)));
      });
      const mock = { url } as MockServer;
      expect((await post(mock, revInfo, { authorization: "aat-someone-else-0123456789" })).status).toBe(401);
      const answer = await post(mock, revInfo, { authorization: `Bearer ${AAT}` });
      expect(answer.status).toBe(201);
      expect(decodeJwtClaims(String(answer.body.access_token))).toMatchObject({ [`${CLAIM}is_verified`]: false });
    } finally {
      child.kill("SIGINT");
    }
  });
});

describe("an aat:public AAT", () => {
  it("mints users DevRev reports as unverified", async () => {
    const mock = await started({ aatKind: "aat:public" });
    const answer = await post(mock, revInfo, { authorization: TEST_AAT });
    expect(decodeJwtClaims(String(answer.body.access_token))).toMatchObject({ [`${CLAIM}is_verified`]: false });
  });
});

describe("DevRev's rate-limit headers", () => {
  let mock: MockServer;
  beforeAll(async () => {
    mock = await started();
  });
  beforeEach(() => mock.reset());

  it("are on every API answer, and count down per access token", async () => {
    const first = await post(mock, revInfo, { authorization: "aat-one-0123456789abcdef" });
    const second = await post(mock, "{}", { authorization: "aat-one-0123456789abcdef" });
    const other = await post(mock, revInfo, { authorization: "Bearer aat-two-0123456789abcdef" });
    expect(second.status).toBe(400);
    for (const answer of [first, second, other]) {
      expect(answer.headers.get("x-ratelimit-limit")).toBe("1000");
      expect(Number(answer.headers.get("x-ratelimit-reset"))).toBeGreaterThan(Date.now() / 1000);
      expect(answer.responseViolations).toEqual([]);
    }
    expect(first.headers.get("x-ratelimit-remaining")).toBe("999");
    expect(second.headers.get("x-ratelimit-remaining")).toBe("998");
    expect(other.headers.get("x-ratelimit-remaining")).toBe("999");
    // Answers the mock gives before Prism sees the body count too.
    const unparsable = await post(mock, "{", { authorization: "aat-one-0123456789abcdef" });
    expect(unparsable.body.type).toBe("parse_error");
    expect(unparsable.headers.get("x-ratelimit-remaining")).toBe("997");
  });

  it("run out under a scenario's rateLimit, into a 429 with Retry-After until the window ends", async () => {
    await mock.scenario({ rateLimit: 2 });
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await post(mock, revInfo, { authorization: TEST_AAT }));
    expect(answers.map((a) => a.status)).toEqual([201, 201, 429]);
    expect(answers.map((a) => a.headers.get("x-ratelimit-remaining"))).toEqual(["1", "0", "0"]);
    const [, , limited] = answers;
    const wait = Number(limited?.headers.get("x-ratelimit-reset")) - Math.floor(Date.now() / 1000);
    expect(Number(limited?.headers.get("retry-after"))).toBeGreaterThanOrEqual(wait - 1);
    expect(limited?.body).toMatchObject({
      type: "too_many_requests",
      retry_after: Number(limited?.headers.get("retry-after")),
    });
    expect(limited?.responseViolations).toEqual([]);
  });

  it("reach the client: a RateLimitedError carries them", async () => {
    await mock.scenario({ rateLimit: 0 });
    const client = createDevRevClient({ token: TEST_AAT, baseUrl: mock.url, maxRetries: 0 });
    const error = await createSessionToken(client, { revInfo: { user_ref: "ada" } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).rateLimit).toMatchObject({ limit: 0, remaining: 0 });
    expect((error as RateLimitedError).retryAfter).toBeGreaterThan(0);
  });
});

describe("bodies DevRev refuses before reading them", () => {
  let mock: MockServer;
  beforeAll(async () => {
    mock = await started();
  });

  it.each([
    ["text/plain", "text/plain"],
    ["a form", "application/x-www-form-urlencoded"],
  ])("%s is a 400 invalid_content_type naming the type", async (_name, type) => {
    const answer = await post(mock, revInfo, { authorization: TEST_AAT, "content-type": `${type}; charset=utf-8` });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      type: "invalid_content_type",
      message: `unsupported content type: ${type}`,
      value: type,
    });
    expect(answer.responseViolations).toEqual([]);
  });

  it("a body over 10 MiB is a 413 request_entity_too_large with max_bytes, a typed error for the client", async () => {
    const huge = "x".repeat(11 * 1024 * 1024);
    const answer = await post(
      mock,
      JSON.stringify({ rev_info: { user_ref: "ada", user_traits: { description: huge } } }),
      {
        authorization: TEST_AAT,
      },
    );
    expect(answer.status).toBe(413);
    expect(answer.headers.get("x-ratelimit-limit")).toBe("1000");
    expect(answer.body).toMatchObject({ type: "request_entity_too_large", max_bytes: 10 * 1024 * 1024 });
    expect(isErrorRequestEntityTooLarge(answer.body)).toBe(true);

    // createSessionToken refuses so large an input before sending; the client's own call reaches the mock.
    const client = createDevRevClient({ token: TEST_AAT, baseUrl: mock.url, maxRetries: 0 });
    const sent = await client.POST("/auth-tokens.create", {
      body: { rev_info: { user_ref: "ada", user_traits: { description: huge } } },
    });
    const error = errorFromResponse(sent.response, sent.error);
    expect(error).toBeInstanceOf(RequestEntityTooLargeError);
    expect((error as RequestEntityTooLargeError).maxBytes).toBe(10 * 1024 * 1024);
  });
});

describe("bodies DevRev accepts", () => {
  it("the rev_info form with any token type and no grant_type is a 201", async () => {
    const mock = await started();
    const body = { requested_token_type: `${URN}session:rev:public`, rev_info: { user_ref: "ada" } };
    const answer = await post(mock, JSON.stringify(body), { authorization: TEST_AAT });
    expect(answer.status).toBe(201);
    expect(decodeJwtClaims(String(answer.body.access_token))).toMatchObject({
      [`${CLAIM}tokentype`]: `${URN}session:rev:public`,
    });
  });

  it("a token minted with a JWT AAT names it as its parent_jti", async () => {
    const mock = await started();
    const aat = fakeJwt({ jti: "aat-jti-1", [`${CLAIM}clientid`]: "site-backend" });
    const answer = await post(mock, revInfo, { authorization: `Bearer ${aat}` });
    expect(decodeJwtClaims(String(answer.body.access_token))).toMatchObject({
      [`${CLAIM}parent_jti`]: "aat-jti-1",
      [`${CLAIM}clientid`]: "site-backend",
    });
  });
});
