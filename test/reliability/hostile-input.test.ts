import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_ISSUES } from "../../generated/validation.js";
import { GenerateError } from "../../scripts/spec-reader/generate-error.js";
import { parseSpec } from "../../scripts/spec-reader/load-spec.js";
import {
  createDevRevClient,
  createSessionToken,
  createSessionTokenHandler,
  type TokenCache,
  ValidationError,
} from "../../src/server/index.js";
import { fakeJwt, TEST_AAT } from "../helpers/tokens.js";

// At least 10,000 generated cases per property, every run.
const RUNS = 10_000;

const client = createDevRevClient({
  token: TEST_AAT,
  baseUrl: "http://127.0.0.1:1",
  maxRetries: 0,
  fetch: async () =>
    Response.json({ access_token: fakeJwt({ exp: 4102444800 }), expires_in: 1, token_type: "bearer" }, { status: 201 }),
});

/** Anything JSON can say, plus the shapes the inputs expect with hostile contents. */
const anything = fc.oneof(
  fc.anything(),
  fc.record({ revInfo: fc.anything() }),
  fc.record({
    revInfo: fc.dictionary(
      fc.constantFrom("user_ref", "user_traits", "account_traits", "account_ref", "workspace_traits", "org_traits"),
      fc.anything(),
    ),
  }),
  fc.record({ subjectToken: fc.anything(), subjectTokenType: fc.anything(), expiresInMinutes: fc.anything() }),
);

describe("hostile input", () => {
  it("createSessionToken either succeeds or throws a ValidationError, never leaking the token", async () => {
    await fc.assert(
      fc.asyncProperty(anything, async (input) => {
        try {
          const token = await createSessionToken(client, input as never);
          expect(token.tokenType).toBe("bearer");
        } catch (error) {
          expect(error).toBeInstanceOf(ValidationError);
          expect(JSON.stringify(error)).not.toContain(TEST_AAT);
          expect((error as Error).message).not.toContain(TEST_AAT);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("the handler answers every identity with a known status and never the token", async () => {
    let current: unknown;
    const hostile = createSessionTokenHandler({ client, identify: () => current as never, cache: false });
    await fc.assert(
      fc.asyncProperty(anything, fc.constantFrom("POST", "GET", "PUT"), async (identity, method) => {
        current = identity;
        const response = await hostile(new Request("http://site.test/api/plug/session", { method }));
        expect([200, 400, 401, 405]).toContain(response.status);
        expect(await response.text()).not.toContain(TEST_AAT);
      }),
      { numRuns: RUNS },
    );
  });

  it("the spec loader either parses or throws a GenerateError naming the file", () => {
    const yamlish = fc.oneof(
      fc.string(),
      fc.string({
        unit: fc.constantFrom(
          "a",
          ":",
          " ",
          "\n",
          "-",
          "[",
          "]",
          "{",
          "}",
          "'",
          '"',
          "#",
          "&",
          "*",
          "$ref",
          "openapi: 3.1.0",
        ),
      }),
      fc
        .anything()
        .map((value) => JSON.stringify({ openapi: "3.1.0", info: { title: "x", version: "1" }, paths: value })),
      fc
        .anything()
        .map((value) =>
          JSON.stringify({ openapi: "3.0.3", info: { title: "x", version: "1" }, components: { schemas: value } }),
        ),
    );
    fc.assert(
      fc.property(yamlish, (text) => {
        try {
          parseSpec(Buffer.from(text), "hostile.yaml");
        } catch (error) {
          expect(error).toBeInstanceOf(GenerateError);
          expect((error as Error).message.startsWith("hostile.yaml")).toBe(true);
        }
      }),
      { numRuns: RUNS },
    );
  });
});

describe("the handler's answers stay bounded however bad the identity", () => {
  const post = () => new Request("http://site.test/api/plug/session", { method: "POST" });
  const phones = (count: number) => ({
    user_ref: "u",
    user_traits: { phone_numbers: Array.from({ length: count }, (_, i) => `phone-${i}`) },
  });

  it("5,000 bad phone numbers: a 400 listing MAX_ISSUES of them and saying there are more", async () => {
    const handler = createSessionTokenHandler({ client, identify: () => phones(5_000) as never, cache: false });
    const response = await handler(post());
    const text = await response.text();
    const body = JSON.parse(text) as { error: string; issues: { path: string }[]; more_issues?: boolean };
    expect(response.status).toBe(400);
    expect(body.error).toBe("invalid_identity");
    expect(body.issues).toHaveLength(MAX_ISSUES);
    expect(body.issues[0]?.path).toBe("rev_info.user_traits.phone_numbers[0]");
    expect(body.more_issues).toBe(true);
    // However many bad items, the answer is at most MAX_ISSUES issues of a few hundred bytes each:
    // a path, the spec's sentence for the rule, its keyword and params.
    expect(text.length).toBeLessThan(MAX_ISSUES * 300);
  });

  it("a few bad phone numbers: every one listed, and no flag", async () => {
    const handler = createSessionTokenHandler({ client, identify: () => phones(3) as never, cache: false });
    const body = (await (await handler(post())).json()) as { issues: unknown[]; more_issues?: boolean };
    expect(body.issues).toHaveLength(3);
    expect(body).not.toHaveProperty("more_issues");
  });

  it("100,000 bad phone numbers (11 MB of issues before): one issue naming the size limit", async () => {
    const handler = createSessionTokenHandler({ client, identify: () => phones(100_000) as never, cache: false });
    const response = await handler(post());
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: "invalid_identity",
      issues: [
        {
          path: expect.stringMatching(/^rev_info\.user_traits\.phone_numbers\[\d+\]$/),
          message: expect.stringContaining("larger than"),
          keyword: "maxChars",
          params: { limit: 262_144 },
        },
      ],
    });
  });

  it("an identity over the limits is refused before the token cache reads (and hashes) it", async () => {
    let reads = 0;
    const cache = {
      get: async () => {
        reads++;
        throw new Error("the cache read the identity");
      },
    } as unknown as TokenCache;
    let nested: Record<string, unknown> = {};
    for (let i = 0; i < 5_000; i++) nested = { deeper: nested };
    for (const identity of [phones(100_000), { user_ref: "u", user_traits: { custom_fields: nested } }]) {
      const handler = createSessionTokenHandler({ client, identify: () => identity as never, cache });
      const response = await handler(post());
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({
        issues: [{ message: expect.stringMatching(/larger than|nested deeper/) }],
      });
    }
    expect(reads).toBe(0);
  });

  it("a token DevRev sends already expired is a 502, not a 200 the page would start a dead widget with", async () => {
    const expired = createDevRevClient({
      token: TEST_AAT,
      maxRetries: 0,
      fetch: async () =>
        Response.json(
          { access_token: fakeJwt({ exp: 1_700_000_000 }), expires_in: 1, token_type: "bearer" },
          { status: 201 },
        ),
    });
    const errors: unknown[] = [];
    const handler = createSessionTokenHandler({
      client: expired,
      identify: () => ({ user_ref: "u" }),
      onError: (error) => errors.push(error),
    });
    const response = await handler(post());
    expect(response.status).toBe(502);
    expect(errors).toEqual([expect.objectContaining({ name: "InvalidResponseError" })]);
  });
});
