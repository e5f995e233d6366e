import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  ConfigurationError,
  createDevRevClient,
  createSessionTokenHandler,
  createTokenCache,
  type Logger,
  type LogOptions,
} from "../../src/server/index.js";
import { fakeJwt, TEST_AAT } from "../helpers/tokens.js";

const EXP = 4102444800;
const SESSION_TOKEN = fakeJwt({ exp: EXP, sub: "ada" });
const post = () => new Request("http://site.test/api/plug/session", { method: "POST" });
const identify = () => ({ user_ref: "ada" });
const created = (headers: Record<string, string> = {}) =>
  Response.json({ access_token: SESSION_TOKEN, expires_in: EXP, token_type: "bearer" }, { status: 201, headers });

/** A console-shaped logger that keeps every line with its level. */
function collector(): Logger & { lines: [string, string][] } {
  const lines: [string, string][] = [];
  return {
    lines,
    debug: (line) => lines.push(["debug", line]),
    info: (line) => lines.push(["info", line]),
    warn: (line) => lines.push(["warn", line]),
    error: (line) => lines.push(["error", line]),
  };
}

/** Calls to console's four methods while the test runs. */
function consoleLines(): () => [string, string][] {
  const spies = (["debug", "info", "warn", "error"] as const).map(
    (level) => [level, vi.spyOn(console, level).mockImplementation(() => {})] as const,
  );
  return () =>
    spies.flatMap(([level, spy]) => spy.mock.calls.map((call) => [level, call.join(" ")] as [string, string]));
}

beforeEach(() => {
  vi.stubEnv("DEVREV_PLUG_LOG", undefined);
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe("a failed handler request is never silent", () => {
  it("the README's recipe without DEVREV_AAT: one console.error line naming the class and the answer", async () => {
    const lines = consoleLines();
    const handler = createSessionTokenHandler({
      client: () => createDevRevClient({ token: process.env.DEVREV_AAT_UNSET_IN_TESTS ?? "" }),
      identify,
    });
    const response = await handler(post());
    expect(response.status).toBe(500);
    expect(lines()).toEqual([
      [
        "error",
        expect.stringMatching(
          /^\[devrev-plug-session\] POST \/api\/plug\/session answered 500 internal_error: ConfigurationError: createDevRevClient needs `token`/,
        ),
      ],
    ]);
  });

  it("an unreachable DevRev: one line naming NetworkError and the 502", async () => {
    const lines = consoleLines();
    const handler = createSessionTokenHandler({
      // Nothing listens on port 1: the connection is refused at once.
      client: createDevRevClient({ token: TEST_AAT, baseUrl: "http://127.0.0.1:1", maxRetries: 0 }),
      identify,
    });
    expect((await handler(post())).status).toBe(502);
    expect(lines()).toEqual([
      ["error", expect.stringContaining("answered 502 upstream_error: NetworkError: could not reach DevRev")],
    ]);
  });

  it("DevRev's refusal is logged with its status, type and request id, and without the AAT it echoed", async () => {
    const logger = collector();
    const handler = createSessionTokenHandler({
      client: createDevRevClient({
        token: TEST_AAT,
        fetch: async () =>
          Response.json(
            { type: "unauthenticated", message: `token ${TEST_AAT} is not valid` },
            { status: 401, headers: { "x-request-id": "req-42" } },
          ),
      }),
      identify,
      logger,
    });
    expect((await handler(post())).status).toBe(502);
    expect(logger.lines).toHaveLength(1);
    const [[level, line]] = logger.lines as [[string, string]];
    expect(level).toBe("error");
    expect(line).toContain("UnauthenticatedError (DevRev 401 unauthenticated request id req-42)");
    expect(line).not.toContain(TEST_AAT);
  });

  it("an identify that throws: the line names the cause, without the AAT it quoted", async () => {
    const logger = collector();
    let calls = 0;
    const handler = createSessionTokenHandler({
      client: createDevRevClient({ token: TEST_AAT, fetch: async () => created() }),
      identify: () => {
        // The first request creates the client, so the redactor knows its token from then on.
        if (calls++ === 0) return identify();
        throw new TypeError(`session store said no to ${TEST_AAT}`);
      },
      logger,
    });
    expect((await handler(post())).status).toBe(200);
    expect((await handler(post())).status).toBe(500);
    expect(logger.lines).toEqual([
      [
        "error",
        "[devrev-plug-session] POST /api/plug/session answered 500 internal_error: IdentifyError: identify threw (cause: TypeError: session store said no to [REDACTED])",
      ],
    ]);
  });

  it("an identity DevRev would refuse answers 400 and writes a warning", async () => {
    const logger = collector();
    const handler = createSessionTokenHandler({
      client: createDevRevClient({ token: TEST_AAT, fetch: async () => created() }),
      identify: () => ({ user_ref: "" }),
      logger,
    });
    expect((await handler(post())).status).toBe(400);
    expect(logger.lines).toEqual([["warn", expect.stringContaining("answered 400 invalid_identity: ValidationError")]]);
  });

  it("a token store that fails is a warning, and the request still gets its token", async () => {
    const logger = collector();
    const down = async () => {
      throw new Error("connection refused");
    };
    const handler = createSessionTokenHandler({
      client: createDevRevClient({ token: TEST_AAT, fetch: async () => created() }),
      identify,
      cache: createTokenCache({ store: { get: down, set: down, delete: down } }),
      logger,
    });
    expect((await handler(post())).status).toBe(200);
    expect(logger.lines).toEqual([["warn", expect.stringContaining("the token store failed; minting instead: ")]]);
  });

  it("a line stays one line of at most 1,000 characters, however many fields an identity gets wrong", async () => {
    const logger = collector();
    const handler = createSessionTokenHandler({
      client: createDevRevClient({ token: TEST_AAT, fetch: async () => created() }),
      identify: () => ({ user_ref: "ada", user_traits: { phone_numbers: Array(500).fill("not\na phone") } }),
      logger,
    });
    expect((await handler(post())).status).toBe(400);
    const [[, line]] = logger.lines as [[string, string]];
    expect(line).toHaveLength(1_000);
    expect(line).toMatch(/^\[devrev-plug-session\] POST \/api\/plug\/session answered 400 invalid_identity: [^\n]+…$/);
  });

  it("a success, a signed-out visitor and a wrong method write nothing at the default level", async () => {
    const lines = consoleLines();
    const handler = createSessionTokenHandler({
      client: createDevRevClient({ token: TEST_AAT, fetch: async () => created() }),
      identify: (request) => (request.headers.has("x-user") ? identify() : null),
    });
    const signedIn = new Request("http://site.test/", { method: "POST", headers: { "x-user": "ada" } });
    expect((await handler(signedIn)).status).toBe(200);
    expect((await handler(post())).status).toBe(401);
    expect((await handler(new Request("http://site.test/"))).status).toBe(405);
    expect(lines()).toEqual([]);
  });

  it("DEVREV_PLUG_LOG=off silences it; the logLevel option wins over the variable", async () => {
    const failing = (options: { logLevel?: "error" }) =>
      createSessionTokenHandler({ client: () => createDevRevClient({ token: "" }), identify, ...options });
    vi.stubEnv("DEVREV_PLUG_LOG", "off");
    const lines = consoleLines();
    expect((await failing({})(post())).status).toBe(500);
    expect(lines()).toEqual([]);
    expect((await failing({ logLevel: "error" })(post())).status).toBe(500);
    expect(lines()).toHaveLength(1);
  });

  it("an unknown DEVREV_PLUG_LOG is reported once, and the default level applies", () => {
    vi.stubEnv("DEVREV_PLUG_LOG", "verbose");
    const lines = consoleLines();
    createSessionTokenHandler({ client: () => createDevRevClient({ token: "" }), identify });
    expect(lines()).toEqual([
      ["warn", "[devrev-plug-session] DEVREV_PLUG_LOG is not one of debug, info, warn, error, off; logging at warn"],
    ]);
  });

  it.each([
    [{ logLevel: "loud" }, "`logLevel` must be one of debug, info, warn, error, off"],
    [{ logger: { info: () => {} } }, "`logger` must have debug, info, warn and error methods"],
  ])("a bad logging option %j is a ConfigurationError at creation", (given, message) => {
    // As a JavaScript caller could pass them.
    const options = given as LogOptions;
    for (const create of [
      () => createSessionTokenHandler({ client: () => createDevRevClient({ token: TEST_AAT }), identify, ...options }),
      () => createDevRevClient({ token: TEST_AAT, ...options }),
    ]) {
      expect(create).toThrow(ConfigurationError);
      expect(create).toThrow(message);
    }
  });
});

describe("the client at debug", () => {
  it("logs each attempt's method, URL, status, duration, attempt number and request id, and each retry", async () => {
    const logger = collector();
    const answers = [
      () => new Response("{}", { status: 503, headers: { "x-request-id": "req-1" } }),
      () => created({ "x-request-id": "req-2" }),
    ];
    const client = createDevRevClient({
      token: TEST_AAT,
      baseUrl: "https://devrev.test",
      fetch: async () => (answers.shift() as () => Response)(),
      random: () => 0,
      logger,
      logLevel: "debug",
    });
    const handler = createSessionTokenHandler({ client, identify, logger, logLevel: "debug" });
    expect((await handler(post())).status).toBe(200);
    expect(logger.lines).toEqual([
      [
        "debug",
        expect.stringMatching(
          /^\[devrev-plug-session\] POST https:\/\/devrev\.test\/auth-tokens\.create: 503 in \d+ ms, x-request-id req-1 \(attempt 1\)$/,
        ),
      ],
      ["info", "[devrev-plug-session] POST https://devrev.test/auth-tokens.create: retry 1 of 2 in 0 ms, after 503"],
      ["debug", expect.stringMatching(/auth-tokens\.create: 201 in \d+ ms, x-request-id req-2 \(attempt 2\)$/)],
    ]);
  });

  it("an attempt that fails without an answer is logged by its error", async () => {
    const logger = collector();
    const client = createDevRevClient({
      token: TEST_AAT,
      baseUrl: "http://127.0.0.1:1",
      maxRetries: 0,
      logger,
      logLevel: "debug",
    });
    await createSessionTokenHandler({ client, identify, logLevel: "off" })(post());
    expect(logger.lines).toEqual([
      ["debug", expect.stringMatching(/127\.0\.0\.1:1\/auth-tokens\.create: NetworkError after \d+ ms \(attempt 1\)$/)],
    ]);
  });
});
