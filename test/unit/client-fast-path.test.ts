import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createDevRevClient } from "../../src/server/index.js";
import { createRedactor, tokenForms } from "../../src/server/redact.js";

const body = { rev_info: { user_ref: "u" } };

// A long token (removed wherever it appears) and a short one (removed only where it stands alone).
const TOKENS = ["aat/SECRET+0123456789abcdef==", "tok"];

/** Pieces of header values and status texts: the token in its forms, its neighbours, and escapes. */
const pieces = (token: string) =>
  fc.constantFrom(
    token,
    encodeURIComponent(token),
    [...token].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join(""),
    btoa(`u:${token}`),
    token.slice(1),
    "-",
    "a",
    " ",
    "%",
    "\\",
    "x-y",
  );

describe("an answer's status text and headers", () => {
  it.each(TOKENS)(
    "are what copying each of them cleaned gives, whether passed on as they are or copied (token %s)",
    async (token) => {
      const clean = createRedactor(tokenForms(token));
      const value = fc.array(pieces(token), { minLength: 1, maxLength: 6 }).map((parts) => parts.join("").trim());
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(fc.constantFrom("x-a", "x-b", "location", "set-cookie"), value), { maxLength: 5 }),
          value,
          async (headers, statusText) => {
            const answer = new Response("{}", { status: 201, statusText, headers });
            // What copying every header with its value cleaned gives.
            const copied = new Headers();
            for (const [name, text] of answer.headers) copied.append(name, clean(text));
            const client = createDevRevClient({ token, maxRetries: 0, fetch: async () => answer });
            const { response } = await client.POST("/auth-tokens.create", { body });
            expect(response.statusText).toBe(clean(statusText));
            expect([...response.headers]).toEqual([...copied]);
          },
        ),
        { numRuns: 200 },
      );
    },
  );
});

describe("the request body our client sends", () => {
  it("is the text openapi-fetch built, sent again on each attempt", async () => {
    const sent: string[] = [];
    const client = createDevRevClient({
      token: "aat-0123456789abcdef",
      maxRetries: 1,
      initialRetryDelayMs: 0,
      fetch: async (request) => {
        sent.push(await request.text());
        return new Response("{}", { status: sent.length === 1 ? 503 : 201 });
      },
    });
    const { response } = await client.POST("/auth-tokens.create", { body });
    expect(response.status).toBe(201);
    expect(sent).toEqual([JSON.stringify(body), JSON.stringify(body)]);
  });

  it("is the replacement's body when a middleware replaces the request", async () => {
    const sent: string[] = [];
    const client = createDevRevClient({
      token: "aat-0123456789abcdef",
      fetch: async (request) => {
        sent.push(await request.text());
        return new Response("{}", { status: 201 });
      },
    });
    client.use({ onRequest: ({ request }) => new Request(request.url, { method: "POST", body: '{"replaced":1}' }) });
    await client.POST("/auth-tokens.create", { body });
    expect(sent).toEqual(['{"replaced":1}']);
  });

  it("fails as any Request does when a middleware has read it, instead of sending the text kept", async () => {
    let calls = 0;
    const client = createDevRevClient({
      token: "aat-0123456789abcdef",
      fetch: async () => {
        calls++;
        return new Response("{}", { status: 201 });
      },
    });
    client.use({
      onRequest: async ({ request }) => {
        await request.text();
      },
    });
    await expect(client.POST("/auth-tokens.create", { body })).rejects.toThrow(TypeError);
    expect(calls).toBe(0);
  });
});
