import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import {
  createDevRevClient,
  createSessionToken,
  createSessionTokenHandler,
  DevRevError,
} from "../../src/server/index.js";
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
