import { inspect } from "node:util";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { authTokensCreate, UndeclaredStatusError } from "../../generated/index.js";
import {
  ConfigurationError,
  createDevRevClient,
  createSessionToken,
  createSessionTokenHandler,
  type DevRevClientOptions,
  DevRevError,
} from "../../src/server/index.js";
import { redact, tokenForms } from "../../src/server/redact.js";
import { TEST_AAT } from "../helpers/tokens.js";

/** Everything a thrown error shows when printed, logged, serialised or walked. */
function everythingIn(error: unknown): string {
  const parts = [String(error), inspect(error, { depth: 10, showHidden: true }), JSON.stringify(error) ?? ""];
  for (let e: unknown = error; e instanceof Error; e = e.cause)
    parts.push(e.message, e.stack ?? "", JSON.stringify(e) ?? "");
  return parts.join("\n");
}

const echo = `Authorization: ${TEST_AAT}`;
// Each path through the server entry that ends in a thrown error, with an upstream that echoes the AAT wherever it can.
const paths: {
  name: string;
  fetch: DevRevClientOptions["fetch"];
  options?: Partial<DevRevClientOptions>;
  input?: unknown;
}[] = [
  ...[400, 401, 403, 404, 409, 429, 500, 502, 503].map((status) => ({
    name: `status ${status}`,
    fetch: async () =>
      Response.json({ type: "x", message: echo, detail: echo, field_name: echo, reference_id: echo }, { status }),
  })),
  { name: "a text error body", fetch: async () => new Response(echo, { status: 503 }) },
  {
    name: "malformed JSON",
    fetch: async () => new Response(`{${echo}`, { status: 201, headers: { "content-type": "application/json" } }),
  },
  { name: "a 201 missing fields", fetch: async () => Response.json({ detail: echo }, { status: 201 }) },
  {
    name: "a network error quoting the AAT",
    fetch: async () => {
      throw new TypeError("fetch failed", { cause: new Error(`socket hang up (${echo})`) });
    },
  },
  {
    name: "a timeout",
    fetch: (request) =>
      new Promise((_, reject) => request.signal.addEventListener("abort", () => reject(new Error(echo)))),
    options: { timeoutMs: 10 },
  },
  {
    name: "invalid input",
    fetch: async () => new Response(null, { status: 500 }),
    input: { revInfo: { user_ref: TEST_AAT.slice(0, 0) } },
  },
];

describe("no thrown error carries the AAT", () => {
  it.each(paths)("$name", async ({ fetch, options, input }) => {
    const client = createDevRevClient({
      token: TEST_AAT,
      baseUrl: "http://127.0.0.1:1",
      maxRetries: 0,
      fetch,
      ...options,
    });
    const error = await createSessionToken(client, (input ?? { revInfo: { user_ref: "u" } }) as never).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DevRevError);
    expect(everythingIn(error)).not.toContain(TEST_AAT);

    const logged: unknown[] = [];
    const handler = createSessionTokenHandler({
      client,
      identify: () => ({ user_ref: "u" }),
      onError: (e) => logged.push(e),
      cache: false,
    });
    const response = await handler(new Request("http://site.test/api/plug/session", { method: "POST" }));
    expect(`${[...response.headers].join()}${await response.text()}`).not.toContain(TEST_AAT);
    expect(logged.map(everythingIn).join("\n")).not.toContain(TEST_AAT);
  });

  it("nor does a configuration error", () => {
    const g = globalThis as Record<string, unknown>;
    g.window = {};
    g.document = {};
    try {
      const error = (() => {
        try {
          createDevRevClient({ token: TEST_AAT });
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(DevRevError);
      expect(everythingIn(error)).not.toContain(TEST_AAT);
    } finally {
      delete g.window;
      delete g.document;
    }
  });
});

/** Every run of `length` characters of the token: what a cut or a parser's excerpt could keep. */
function fragments(token: string, length = 6): string[] {
  return Array.from({ length: token.length - length + 1 }, (_, i) => token.slice(i, i + length));
}

describe("no part of the AAT survives a cut or an excerpt", () => {
  it("a text error body is redacted before it is cut to a summary, wherever the token falls", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 150, max: 210 }), async (position) => {
        const client = createDevRevClient({
          token: TEST_AAT,
          maxRetries: 0,
          fetch: async () => new Response(`${"x".repeat(position)}${TEST_AAT} trailing words`, { status: 503 }),
        });
        const text = everythingIn(await createSessionToken(client, { revInfo: { user_ref: "u" } }).catch((e) => e));
        for (const fragment of fragments(TEST_AAT)) expect(text).not.toContain(fragment);
      }),
      { numRuns: 200 },
    );
  });

  it("the JSON parse error kept as the cause of an InvalidResponseError quotes no part of it", async () => {
    const client = createDevRevClient({
      token: TEST_AAT,
      maxRetries: 0,
      fetch: async () =>
        new Response(`{"access_token": ${TEST_AAT}`, { status: 201, headers: { "content-type": "application/json" } }),
    });
    const error = await createSessionToken(client, { revInfo: { user_ref: "u" } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DevRevError);
    expect((error as Error).cause).toBeInstanceOf(Error);
    const text = everythingIn(error);
    for (const fragment of fragments(TEST_AAT)) expect(text).not.toContain(fragment);
  });
});

describe("the client's raw results are redacted too", () => {
  const echoing = createDevRevClient({
    token: TEST_AAT,
    maxRetries: 0,
    fetch: async (request) => {
      const sent = request.headers.get("authorization") ?? "";
      return Response.json(
        { type: "teapot", message: `you sent ${sent}`, detail: sent },
        { status: request.headers.get("x-status") === "418" ? 418 : 403, headers: { "x-echo": sent } },
      );
    },
  });

  it("client.POST's error and response headers", async () => {
    const { error, response } = await echoing.POST("/auth-tokens.create", { body: { rev_info: { user_ref: "u" } } });
    expect(JSON.stringify(error)).toContain("[REDACTED]");
    expect(JSON.stringify(error)).not.toContain(TEST_AAT);
    expect(response.headers.get("x-echo")).toBe("[REDACTED]");
  });

  it("UndeclaredStatusError.body from a generated function", async () => {
    const error = await authTokensCreate(echoing, {
      body: { rev_info: { user_ref: "u" } },
      headers: { "x-status": "418" },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UndeclaredStatusError);
    expect(JSON.stringify((error as UndeclaredStatusError).body)).not.toContain(TEST_AAT);
    expect((error as UndeclaredStatusError).response.headers.get("x-echo")).toBe("[REDACTED]");
  });
});

describe("tokens of every shape", () => {
  it.each([
    ["a line feed", `${TEST_AAT}\nsecond-line`],
    ["a carriage return", `${TEST_AAT}\rrest`],
    ["a NUL", `${TEST_AAT}\0rest`],
    ["a character beyond Latin-1", `${TEST_AAT}\u2028rest`],
  ])("a token with %s inside is refused at creation, without quoting it", (_name, token) => {
    const error = (() => {
      try {
        createDevRevClient({ token });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toContain("line break, NUL or other character a header cannot carry");
    expect(everythingIn(error)).not.toContain(TEST_AAT);
  });

  it("a token with surrounding whitespace works, and its trimmed echo is redacted", async () => {
    const seen: string[] = [];
    const client = createDevRevClient({
      token: `  ${TEST_AAT}\n`,
      baseUrl: "http://127.0.0.1:1",
      maxRetries: 0,
      fetch: async (request) => {
        const sent = request.headers.get("authorization") ?? "";
        seen.push(sent);
        return Response.json({ type: "forbidden", message: `token ${sent} may not`, detail: sent }, { status: 403 });
      },
    });
    const error = await createSessionToken(client, { revInfo: { user_ref: "u" } }).catch((e: unknown) => e);
    expect(seen).toEqual([TEST_AAT]);
    expect(error).toMatchObject({ status: 403, message: expect.stringContaining("[REDACTED]") });
    expect(everythingIn(error)).not.toContain(TEST_AAT);
  });

  it("a short test token never rewrites DevRev's words, and is still redacted where it stands alone", async () => {
    const client = createDevRevClient({
      token: "any",
      baseUrl: "http://127.0.0.1:1",
      maxRetries: 0,
      fetch: async () =>
        Response.json(
          { type: "too_many_requests", message: "Too many requests for token any.", retry_after: 1 },
          {
            status: 429,
          },
        ),
    });
    const error = await createSessionToken(client, { revInfo: { user_ref: "company" } }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      type: "too_many_requests",
      message: expect.stringContaining("Too many requests for token [REDACTED]."),
    });
    expect((error as Error).message).toContain("too_many_requests");
  });

  it("redaction removes any long token everywhere, and a short one only where it stands alone", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 16, maxLength: 40 }).filter((s) => s.trim() === s),
        fc.string(),
        fc.string(),
        (token, before, after) => {
          expect(redact(`${before}${token}${after}`, tokenForms(token))).not.toContain(token);
        },
      ),
    );
    expect(redact("too_many_requests", ["any"])).toBe("too_many_requests");
    expect(redact("token=any; x", ["any"])).toBe("token=[REDACTED]; x");
  });
});
