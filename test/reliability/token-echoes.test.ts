import { spawn } from "node:child_process";
import { join } from "node:path";
import { inspect } from "node:util";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ConfigurationError,
  createDevRevClient,
  createSessionToken,
  createSessionTokenHandler,
  DevRevError,
} from "../../src/server/index.js";
import { headerValue } from "../../src/server/redact.js";
import { ROOT } from "../helpers/cli.js";
import { createdBody } from "../helpers/tokens.js";

// A token with the characters escapers treat specially: `/` (`\/`), `+` (`\u002B`, `%2B`) and `=` (`%3D`).
const AAT = "aat/SECRET+0123456789abcdef==";

/** Everything a result or error shows when printed, logged, serialised or walked, and what decoding its text gives. */
function everythingIn(value: unknown): string {
  const parts = [String(value), inspect(value, { depth: 10, showHidden: true }), JSON.stringify(value) ?? ""];
  for (let e: unknown = value; e instanceof Error; e = e.cause) parts.push(e.message, e.stack ?? "");
  const text = parts.join("\n");
  return `${text}\n${decoded(text)}`;
}

/** The text with JSON escapes and percent-encoding undone, as a reader of it would. */
function decoded(text: string): string {
  const unescaped = text
    .replace(/\\+u([0-9a-fA-F]{4})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
    .replace(/\\+\//g, "/");
  return unescaped.replace(/(?:%[0-9a-fA-F]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

/** Each way an upstream may echo `secret`, as the raw text of a JSON string. */
const jsonEchoes = (secret: string): [string, string][] => [
  ["as it is", secret],
  ["with escaped slashes", secret.replaceAll("/", "\\/")],
  ["with `+` as \\u002B", secret.replaceAll("+", "\\u002B")],
  [
    "every character as \\uXXXX",
    [...secret].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join(""),
  ],
  ["JSON in JSON", secret.replaceAll("/", "\\\\\\/").replaceAll("+", "\\\\u002b")],
  ["percent-encoded", encodeURIComponent(secret)],
  ["percent-encoded, lower-case hex", encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())],
  ["in a Basic credential", btoa(`user:${secret}`)],
  ["base64url at an odd offset", btoa(`xy${secret}`).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "")],
];

/** A fetch that echoes `text` in every place an answer has: the raw JSON body, a header, a redirect's Location. */
function echoingFetch(text: string, status: number) {
  return async () =>
    new Response(`{"type":"forbidden","message":"you sent ${text}","detail":"${text}","field_name":"${text}"}`, {
      status,
      headers: {
        "content-type": "application/json",
        "x-echo": text,
        location: `https://login.example/?token=${text}`,
      },
    });
}

describe("an AAT configured as `Bearer <token>`", () => {
  it.each([403, 302])(
    "is redacted where DevRev echoes the bare credential (status %i), in typed errors and raw results",
    async (status) => {
      const client = createDevRevClient({ token: `Bearer ${AAT}`, maxRetries: 0, fetch: echoingFetch(AAT, status) });
      const error = await createSessionToken(client, { revInfo: { user_ref: "u" } }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DevRevError);
      expect(everythingIn(error)).not.toContain(AAT);
      expect(everythingIn(error)).toContain("[REDACTED]");
      const raw = await client.POST("/auth-tokens.create", { body: { rev_info: { user_ref: "u" } } });
      expect(everythingIn(raw.error)).not.toContain(AAT);
      expect(everythingIn([...raw.response.headers])).not.toContain(AAT);
    },
  );
});

describe("an AAT echoed in an encoded form", () => {
  it.each(jsonEchoes(AAT))(
    "%s: removed from typed errors, client.POST's error and headers, and the handler's log",
    async (_name, text) => {
      // The encoded echo really holds the token: decoding the body's value gives it back.
      expect(`${decoded(JSON.parse(`"${text}"`))}\n${atobSafe(text)}`).toContain(AAT);

      for (const status of [403, 307]) {
        const client = createDevRevClient({ token: AAT, maxRetries: 0, fetch: echoingFetch(text, status) });
        const error = await createSessionToken(client, { revInfo: { user_ref: "u" } }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(DevRevError);
        expect(everythingIn(error)).not.toContain(AAT);
        expect(everythingIn(error)).not.toContain(text);

        const { error: body, response } = await client.POST("/auth-tokens.create", {
          body: { rev_info: { user_ref: "u" } },
        });
        expect(everythingIn(body)).not.toContain(AAT);
        expect(everythingIn(body)).not.toContain(text);
        const headers = [...response.headers].join("\n");
        expect(`${headers}\n${decoded(headers)}`).not.toContain(AAT);
        expect(headers).not.toContain(text);

        const logged: unknown[] = [];
        const handler = createSessionTokenHandler({
          client,
          cache: false,
          identify: () => ({ user_ref: "u" }),
          onError: (e) => logged.push(e),
        });
        const answer = await handler(new Request("http://site.test/api/plug/session", { method: "POST" }));
        expect(everythingIn(await answer.text())).not.toContain(AAT);
        expect(everythingIn(logged)).not.toContain(AAT);
      }
    },
  );

  it("any mix of escaped and plain characters, anywhere in a JSON string, never reaches a parsed body or an error", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom("plain", "u-lower", "u-upper", "percent", "double"), {
          minLength: AAT.length,
          maxLength: AAT.length,
        }),
        fc.string({ maxLength: 20 }),
        async (ways, around) => {
          const text = [...AAT].map((char, i) => encodeChar(char, ways[i] ?? "plain")).join("");
          const wrapped = JSON.stringify(around).slice(1, -1);
          const client = createDevRevClient({
            token: AAT,
            maxRetries: 0,
            fetch: echoingFetch(`${wrapped}${text}${wrapped}`, 403),
          });
          const { error } = await client.POST("/auth-tokens.create", { body: { rev_info: { user_ref: "u" } } });
          expect(everythingIn(error)).not.toContain(AAT);
          const thrown = await createSessionToken(client, { revInfo: { user_ref: "u" } }).catch((e: unknown) => e);
          expect(everythingIn(thrown)).not.toContain(AAT);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("a success body is untouched when it echoes nothing", async () => {
    const body = createdBody();
    const client = createDevRevClient({
      token: AAT,
      maxRetries: 0,
      fetch: async () => new Response(JSON.stringify(body).replace("bearer", "bear\\u0065r"), { status: 201 }),
    });
    const { data } = await client.POST("/auth-tokens.create", { body: { rev_info: { user_ref: "u" } } });
    expect(data).toEqual(body);
  });
});

function encodeChar(char: string, way: string): string {
  const hex = char.charCodeAt(0).toString(16).padStart(4, "0");
  if (way === "u-lower") return `\\u${hex}`;
  if (way === "u-upper") return `\\u${hex.toUpperCase()}`;
  if (way === "percent") return `%${hex.slice(2).toUpperCase()}`;
  if (way === "double") return `\\\\u${hex}`;
  return char === "/" ? "\\/" : char;
}

function atobSafe(text: string): string {
  try {
    return atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  } catch {
    return "";
  }
}

describe("the token that is checked is the token that is sent", () => {
  it.each([
    ["a line feed and a no-break space at the end", `${AAT}\n\u00a0`],
    ["a no-break space at the end", `${AAT}\u00a0`],
    ["a byte-order mark in front", `\ufeff${AAT}`],
    ["a line separator at the end", `${AAT}\u2028`],
    ["a Latin-1 letter inside", `${AAT}é`],
    ["a DEL", `${AAT}\x7f`],
  ])("%s: refused at creation with a ConfigurationError that never quotes it", (_name, token) => {
    const error = (() => {
      try {
        createDevRevClient({ token });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(everythingIn(error)).not.toContain(AAT);
  });

  it("the CLI refuses such a token with exit 2 and never prints it", async () => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", join(ROOT, "src/cli/main.ts"), "token", "--user-ref", "ada"],
      {
        cwd: ROOT,
        env: { ...process.env, DEVREV_AAT: `${AAT}\n\u00a0`, DEVREV_BASE_URL: "http://127.0.0.1:1" },
      },
    );
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    const code = await new Promise((resolve) => child.on("close", resolve));
    expect(code).toBe(2);
    expect(output).toContain("a header cannot carry");
    expect(output).not.toContain(AAT);
  });

  it("any token either is refused without being quoted, or is sent exactly as Headers keeps it", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.tuple(
          fc.string({ unit: fc.constantFrom(" ", "\t", "\n", "\r", "\u00a0", "\u2028", "\ufeff", "\0"), maxLength: 3 }),
          fc.string({ unit: "binary", minLength: 1, maxLength: 12 }),
          fc.string({ unit: fc.constantFrom(" ", "\t", "\n", "\r", "\u00a0", "\u2028", "\ufeff", "\0"), maxLength: 3 }),
        ),
        async ([before, middle, after]) => {
          const token = `${before}${AAT}${middle}${after}`;
          let client: ReturnType<typeof createDevRevClient>;
          const sent: string[] = [];
          try {
            client = createDevRevClient({
              token,
              maxRetries: 0,
              fetch: async (request) => {
                sent.push(request.headers.get("authorization") ?? "");
                return Response.json(createdBody(), { status: 201 });
              },
            });
          } catch (error) {
            expect(error).toBeInstanceOf(ConfigurationError);
            expect(everythingIn(error)).not.toContain(AAT);
            return;
          }
          await createSessionToken(client, { revInfo: { user_ref: "u" } });
          expect(sent).toEqual([headerValue(token)]);
          expect(headerValue(token)).toMatch(/^[\x20-\x7e\t]+$/);
        },
      ),
      { numRuns: 300 },
    );
  });
});
