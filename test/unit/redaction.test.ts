import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import {
  createDevRevClient,
  createSessionToken,
  createSessionTokenHandler,
  DevRevError,
} from "../../src/server/index.js";
import { createRedactor, redactJsonText, tokenForms } from "../../src/server/redact.js";
import { type StubReply, type StubServer, startStubServer } from "../helpers/stub-server.js";
import { TEST_AAT } from "../helpers/tokens.js";

let server: StubServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Every way an error is usually observed: printed, logged, serialised, walked through its causes. */
function observable(error: unknown): string {
  const parts = [String(error), inspect(error, { depth: 10, showHidden: true }), JSON.stringify(error)];
  for (let e: unknown = error; e instanceof Error; e = e.cause) parts.push(e.message, e.stack ?? "");
  return parts.join("\n");
}

// An upstream that echoes the caller's Authorization header back, the worst case.
const echoes: StubReply[] = [
  { status: 400, body: { type: "bad_request", message: `bad token ${TEST_AAT}`, detail: `got ${TEST_AAT}` } },
  { status: 401, body: { type: "unauthenticated", message: `Authorization: ${TEST_AAT}` } },
  { status: 503, raw: `upstream said ${TEST_AAT}`, headers: { "content-type": "text/plain" } },
];

describe("the AAT never leaks", () => {
  it.each(echoes)("from a DevRev error that echoes it (status $status)", async (reply) => {
    server = await startStubServer(() => reply);
    const client = createDevRevClient({ token: TEST_AAT, baseUrl: server.url, maxRetries: 0 });
    const error = await createSessionToken(client, { revInfo: { user_ref: "u" } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DevRevError);
    expect(observable(error)).not.toContain(TEST_AAT);
    expect(observable(error)).toContain("[REDACTED]");
  });

  it("from a network error", async () => {
    server = await startStubServer(() => "reset");
    const client = createDevRevClient({ token: TEST_AAT, baseUrl: server.url, maxRetries: 0 });
    const error = await createSessionToken(client, { revInfo: { user_ref: "u" } }).catch((e: unknown) => e);
    expect(observable(error)).not.toContain(TEST_AAT);
  });

  it("from a timeout", async () => {
    server = await startStubServer(() => "hang");
    const client = createDevRevClient({ token: TEST_AAT, baseUrl: server.url, maxRetries: 0, timeoutMs: 50 });
    const error = await createSessionToken(client, { revInfo: { user_ref: "u" } }).catch((e: unknown) => e);
    expect(observable(error)).not.toContain(TEST_AAT);
  });

  it("from the client object when logged", () => {
    const client = createDevRevClient({ token: TEST_AAT, baseUrl: "http://127.0.0.1:1" });
    expect(inspect(client, { depth: 10, showHidden: true })).not.toContain(TEST_AAT);
    expect(JSON.stringify(client) ?? "").not.toContain(TEST_AAT);
  });

  it.each(echoes)("from the handler's response and its onError log (status $status)", async (reply) => {
    server = await startStubServer(() => reply);
    const logged: unknown[] = [];
    const handler = createSessionTokenHandler({
      client: createDevRevClient({ token: TEST_AAT, baseUrl: server.url, maxRetries: 0 }),
      identify: () => ({ user_ref: "u" }),
      onError: (error) => logged.push(error),
    });
    const response = await handler(new Request("http://site.test/api/plug/session", { method: "POST" }));
    const text = `${[...response.headers].join("\n")}\n${await response.text()}`;
    expect(text).not.toContain(TEST_AAT);
    expect(text).not.toContain("bad token");
    expect(logged).toHaveLength(1);
    expect(observable(logged[0])).not.toContain(TEST_AAT);
  });
});

describe("the forms of a token that are redacted", () => {
  const token = "aat/SECRET+0123456789abcdef==";
  const clean = createRedactor(tokenForms(`Bearer ${token}`));

  it.each([
    { given: "  tok-1234567890abcdef\r\n", want: ["  tok-1234567890abcdef\r\n", "tok-1234567890abcdef"] },
    // Headers keeps a no-break space, so it is part of what is sent (createDevRevClient refuses such a token).
    { given: "tok-1234567890abcdef\u00a0", want: ["tok-1234567890abcdef\u00a0"] },
    { given: "Bearer tok-1234567890abcdef", want: ["Bearer tok-1234567890abcdef", "tok-1234567890abcdef"] },
    {
      given: "bearer\t tok-1234567890abcdef\n",
      want: ["bearer\t tok-1234567890abcdef\n", "bearer\t tok-1234567890abcdef", "tok-1234567890abcdef"],
    },
  ])("tokenForms($given): as given, as sent, and the bare credential", ({ given, want }) => {
    expect(tokenForms(given)).toEqual(want);
  });

  it.each([
    ["the bare credential of a `Bearer` token", `got ${token}.`],
    ["escaped slashes", `got ${token.replaceAll("/", "\\/")}.`],
    ["`+` as \\u002B", `got ${token.replaceAll("+", "\\u002B")}.`],
    [
      "every character as \\uXXXX",
      `got ${[...token].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join("")}.`,
    ],
    ["JSON in JSON", `got ${token.replaceAll("/", "\\\\\\/").replaceAll("+", "\\\\u002b")}.`],
    ["percent-encoding", `got ${encodeURIComponent(token)}.`],
    [
      "percent-encoding with lower-case hex",
      `got ${encodeURIComponent(token).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())}.`,
    ],
    ["base64 at offset 0", `got ${btoa(token)}.`],
    ["base64 at offset 1", `got ${btoa(`:${token}`)}.`],
    ["base64 at offset 2", `got ${btoa(`u:${token}`)}.`],
    ["base64url", `got ${btoa(`u:${token}`).replaceAll("+", "-").replaceAll("/", "_")}.`],
  ])("removes %s", (_name, text) => {
    const cleaned = clean(text);
    expect(cleaned).toMatch(/^got .*\[REDACTED\].*\.$/);
    expect(cleaned).not.toContain(token);
  });

  it("leaves text without the token as it is, escapes and all", () => {
    const text = 'a \\u002B b %2B c \\/ d {"x":"y"} aat/SECRET';
    expect(clean(text)).toBe(text);
  });

  it("walks a JSON body's parsed strings, keys included, and leaves a clean body byte for byte", () => {
    const secret = "tok-1234567890abcdef";
    // Only the plain form, so that what is found here is found by the walk.
    const plainOnly = (text: string) => text.split(secret).join("[REDACTED]");
    const body = '{"__proto__":"x","\\u0074ok-1234567890abcdef":["tok-1234567890\\u0061bcdef",1]}';
    const walked = redactJsonText(body, plainOnly);
    expect(walked).not.toContain("\\u0061bcdef");
    expect(JSON.parse(walked)).toEqual(JSON.parse('{"__proto__":"x","[REDACTED]":["[REDACTED]",1]}'));
    const clean = '{"a": "\\u00e9", "b": 1}';
    expect(redactJsonText(clean, plainOnly)).toBe(clean);
  });

  it("a token with a backslash, escaped as JSON escapes it, is found by the walk", () => {
    const withBackslash = "tok\\1234567890abcdef";
    const text = JSON.stringify({ detail: `got ${withBackslash}` });
    expect(text).toContain("tok\\\\1234");
    const walked = redactJsonText(text, createRedactor([withBackslash]));
    expect(JSON.parse(walked)).toEqual({ detail: "got [REDACTED]" });
  });
});
