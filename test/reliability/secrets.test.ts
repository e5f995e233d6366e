import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import {
  createDevRevClient,
  createSessionToken,
  createSessionTokenHandler,
  type DevRevClientOptions,
  DevRevError,
} from "../../src/server/index.js";
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
