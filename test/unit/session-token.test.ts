import { describe, expect, it, vi } from "vitest";
import { SubjectTokenType } from "../../generated/index.js";
import {
  createDevRevClient,
  createSessionToken,
  InvalidResponseError,
  TimeoutError,
  ValidationError,
} from "../../src/server/index.js";
import { tokenExpiry } from "../../src/server/token-expiry.js";
import { seedBodyByRevInfo, seedBodyBySubjectToken } from "../fixtures/seed-bodies.js";
import { fakeJwt, TEST_AAT } from "../helpers/tokens.js";

/** A client whose fetch records the body and answers 201 with `reply`. */
function recordingClient(
  reply: unknown = { access_token: fakeJwt({ exp: 4102444800 }), expires_in: 1, token_type: "bearer" },
) {
  const bodies: unknown[] = [];
  const client = createDevRevClient({
    token: TEST_AAT,
    baseUrl: "http://127.0.0.1:1",
    fetch: async (request) => {
      bodies.push(await request.json());
      return Response.json(reply, { status: 201 });
    },
  });
  return { client, bodies };
}

describe("createSessionToken", () => {
  it("sends the rev_info seed body exactly", async () => {
    const { client, bodies } = recordingClient();
    await createSessionToken(client, { revInfo: seedBodyByRevInfo.rev_info });
    expect(bodies).toEqual([seedBodyByRevInfo]);
  });

  it("sends the subject-token seed body exactly, userinfo by default", async () => {
    const { client, bodies } = recordingClient();
    await createSessionToken(client, { subjectToken: seedBodyBySubjectToken.subject_token });
    expect(bodies).toEqual([seedBodyBySubjectToken]);
  });

  it("passes expiresInMinutes as expires_in_mins", async () => {
    const { client, bodies } = recordingClient();
    await createSessionToken(client, { revInfo: { user_ref: "u" }, expiresInMinutes: 30 });
    expect(bodies).toEqual([{ rev_info: { user_ref: "u" }, expires_in_mins: 30 }]);
  });

  it("returns the token and the expiry from its exp claim", async () => {
    const token = fakeJwt({ exp: 4102444800 });
    const { client } = recordingClient({ access_token: token, expires_in: 5, token_type: "bearer" });
    await expect(createSessionToken(client, { revInfo: { user_ref: "u" } })).resolves.toEqual({
      token,
      tokenType: "bearer",
      expiresAt: new Date(4102444800 * 1000),
    });
  });

  it("lists every bad field at once, and sends nothing", async () => {
    const { client, bodies } = recordingClient();
    const error = await createSessionToken(client, {
      revInfo: {
        user_ref: " ",
        user_traits: { email: "ada.example", phone_numbers: ["+44 20 7946 0000", "+911122334455"] },
        account_traits: { domains: ["devrev.ai", "https://acme.example", "www.acme.example"] },
        // E.164 is checked on users and accounts only (spec/CONFORMANCE.md).
        workspace_traits: { phone_numbers: ["12345"] },
      },
      expiresInMinutes: 2000,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    // The generated validator's verdict and paths: the mock's 400s name the same fields.
    // A blank user_ref and a free-text email are DevRev's to judge (spec/CONFORMANCE.md).
    expect((error as ValidationError).issues).toMatchObject([
      {
        path: "rev_info.user_traits.phone_numbers[0]",
        message:
          "must be a phone number in E.164 form: + then the country code and number, digits only, such as +911122334455",
      },
      {
        path: "rev_info.account_traits.domains[1]",
        message: "must be a bare domain such as acme.example, without https://, www., a port or a path",
      },
      {
        path: "rev_info.account_traits.domains[2]",
        message: "must be a bare domain such as acme.example, without https://, www., a port or a path",
      },
      {
        path: "expires_in_mins",
        message: "must be a whole number of minutes from 0 to 1440 (one day)",
        keyword: "maximum",
        params: { limit: 1440 },
      },
    ]);
    expect((error as Error).message).toMatch(
      /^invalid session token input: rev_info\.user_traits\.phone_numbers\[0\] must be a phone number in E\.164 form/,
    );
    expect(bodies).toEqual([]);
  });

  it.each([
    {
      input: { subjectToken: "" },
      want: [{ path: "subject_token", message: "must not be empty: give the token of the party the new token is for" }],
    },
    {
      input: { subjectToken: "t", subjectTokenType: "urn:devrev:params:oauth:token-type:nope" },
      want: [
        {
          path: "subject_token_type",
          message:
            "must name the kind of token in subject_token, such as urn:devrev:params:oauth:token-type:userinfo for a userinfo token",
          keyword: "enum",
          params: { allowedValues: Object.values(SubjectTokenType) },
        },
      ],
    },
    { input: { revInfo: "user-123" }, want: [{ path: "rev_info", message: "must be object" }] },
    {
      input: {},
      want: [{ path: "input", message: "must have either revInfo or subjectToken", keyword: "oneOf", params: {} }],
    },
    {
      input: { revInfo: { user_ref: "u" }, subjectToken: "t" },
      want: [{ path: "input", message: "must have either revInfo or subjectToken, not both", keyword: "oneOf" }],
    },
    {
      input: { revInfo: { user_ref: "u" }, timeoutMs: 1.5 },
      want: [
        {
          path: "timeoutMs",
          message: "must be a non-negative integer",
          keyword: "type",
          params: { type: "integer", minimum: 0 },
        },
      ],
    },
    {
      input: { revInfo: { user_ref: "u", user_traits: { custom_fields: { visits: 10n } } } },
      want: [
        {
          path: "rev_info.user_traits.custom_fields.visits",
          message: "must be a JSON value, not a BigInt",
          keyword: "json",
          params: {},
        },
      ],
    },
    {
      input: { revInfo: { user_ref: "u", user_traits: { custom_fields: circular() } } },
      want: [
        { path: "rev_info.user_traits.custom_fields.self", message: "must be a JSON value, not a circular structure" },
      ],
    },
  ])("rejects $input", async ({ input, want }) => {
    const { client } = recordingClient();
    const error = await createSessionToken(client, input as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    // The validators' issue shape: path, message, keyword and params, whichever check found it.
    expect((error as ValidationError).issues).toMatchObject(want);
  });
});

function circular(): Record<string, unknown> {
  const value: Record<string, unknown> = {};
  value.self = value;
  return value;
}

describe("tokenExpiry", () => {
  const now = Date.UTC(2026, 0, 1);
  it.each([
    {
      name: "exp claim wins",
      token: fakeJwt({ exp: 1_800_000_000 }),
      expiresIn: 60,
      want: new Date(1_800_000_000_000),
    },
    {
      name: "expires_in as epoch seconds",
      token: "opaque",
      expiresIn: 1_800_000_000,
      want: new Date(1_800_000_000_000),
    },
    { name: "expires_in as a lifetime", token: "opaque", expiresIn: 3600, want: new Date(now + 3_600_000) },
    { name: "a JWT without exp falls back", token: fakeJwt({ sub: "u" }), expiresIn: 60, want: new Date(now + 60_000) },
    { name: "nothing usable", token: "a.%%%.c", expiresIn: undefined, want: undefined },
  ])("$name", ({ token, expiresIn, want }) => {
    expect(tokenExpiry(token, expiresIn, now)).toEqual(want);
  });
});

describe("what createSessionToken refuses before its validator runs, and what it refuses from DevRev", () => {
  /** An object nested `depth` levels deep under custom_fields. */
  const nested = (depth: number) => {
    let value: Record<string, unknown> = {};
    for (let i = 0; i < depth; i++) value = { deeper: value };
    return value;
  };

  it.each([
    {
      name: "an input nested 5,000 levels deep",
      revInfo: { user_ref: "u", user_traits: { custom_fields: nested(5_000) } },
      want: { message: "is nested deeper than 32 levels", keyword: "maxDepth", params: { limit: 32 } },
    },
    {
      name: "10 MB of account domains",
      revInfo: {
        user_ref: "u",
        account_traits: { domains: Array.from({ length: 500_000 }, () => "https://x.example") },
      },
      want: { message: "makes the input larger than 262144 characters of JSON", keyword: "maxChars" },
    },
    {
      name: "a sparse array of a billion holes, which JSON writes out as nulls",
      revInfo: { user_ref: "u", user_traits: { phone_numbers: new Array(1e9) } },
      want: {
        path: "rev_info.user_traits.phone_numbers",
        message: "makes the input larger than 262144 characters of JSON",
        keyword: "maxChars",
        params: { limit: 262144 },
      },
    },
  ])("$name: one issue naming the limit, and nothing sent", async ({ revInfo, want }) => {
    const { client, bodies } = recordingClient();
    const error = await createSessionToken(client, { revInfo: revInfo as never }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    // One issue: the limit's, not the validator's (which would list the bad domains).
    expect((error as ValidationError).issues).toEqual([expect.objectContaining(want)]);
    expect(bodies).toEqual([]);
  });

  it("an input just under the limits is checked by the validator as usual", async () => {
    const { client, bodies } = recordingClient();
    const revInfo = { user_ref: "u", user_traits: { custom_fields: nested(28) } };
    await createSessionToken(client, { revInfo: revInfo as never });
    expect(bodies).toHaveLength(1);
  });

  it("checking the input is paid for out of timeoutMs: past it, a TimeoutError and nothing sent", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      const { client, bodies } = recordingClient();
      // Each read of the field takes three seconds of (fake) time, as a huge input would.
      const revInfo = {
        get user_ref() {
          vi.setSystemTime(Date.now() + 3_000);
          return "u";
        },
      };
      const error = await createSessionToken(client, { revInfo, timeoutMs: 5_000 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TimeoutError);
      expect((error as Error).message).toBe("checking the input used up the call's 5000 ms; nothing was sent");
      expect(bodies).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });

  it.each([
    { name: "an exp claim in the past", body: { access_token: fakeJwt({ exp: 1_700_000_000 }), expires_in: 3600 } },
    { name: "an exp claim of right now", body: { access_token: fakeJwt({ exp: Date.UTC(2026, 0, 1) / 1000 }) } },
    { name: "an expires_in of 0 seconds", body: { access_token: "opaque", expires_in: 0 } },
  ])("a token DevRev sends already expired ($name) is an InvalidResponseError", async ({ body }) => {
    const { client } = recordingClient({ token_type: "bearer", ...body });
    const error = await createSessionToken(client, { revInfo: { user_ref: "u" } }, () => Date.UTC(2026, 0, 1)).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as Error).message).toMatch(/^DevRev's 201 response holds a session token that had already expired/);
  });
});
