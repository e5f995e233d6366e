import { afterEach, describe, expect, it } from "vitest";
import {
  AbortedError,
  BadRequestError,
  ConfigurationError,
  ConflictError,
  createDevRevClient,
  createSessionToken,
  type DevRevClientOptions,
  ForbiddenError,
  InvalidResponseError,
  NetworkError,
  NotFoundError,
  RateLimitedError,
  ServerError,
  TimeoutError,
  UnauthenticatedError,
} from "../../src/server/index.js";
import { type StubReply, type StubServer, startStubServer } from "../helpers/stub-server.js";
import { createdBody, fakeJwt, TEST_AAT } from "../helpers/tokens.js";

let server: StubServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function clientFor(
  replies: StubReply[] | ((index: number) => StubReply),
  options: Partial<DevRevClientOptions> = {},
) {
  server = await startStubServer((_, i) =>
    typeof replies === "function" ? replies(i) : (replies[i] ?? replies.at(-1) ?? { status: 500 }),
  );
  const client = createDevRevClient({
    token: TEST_AAT,
    baseUrl: server.url,
    initialRetryDelayMs: 1,
    timeoutMs: 2_000,
    ...options,
  });
  return { client, server };
}

const mint = (client: Parameters<typeof createSessionToken>[0]) =>
  createSessionToken(client, { revInfo: { user_ref: "user-123" } });

describe("createDevRevClient", () => {
  it.each([{ token: "" }, { token: "   " }, { token: undefined }, {}])(
    "refuses a missing or empty token: %j",
    (options) => {
      expect(() => createDevRevClient(options as DevRevClientOptions)).toThrow(ConfigurationError);
      expect(() => createDevRevClient(options as DevRevClientOptions)).toThrow(/needs `token`/);
    },
  );

  it("refuses to run in a browser unless dangerouslyAllowBrowser is set", () => {
    const g = globalThis as Record<string, unknown>;
    g.window = {};
    g.document = {};
    try {
      expect(() => createDevRevClient({ token: TEST_AAT })).toThrow(
        /anyone who opens the page can read the access token/,
      );
      expect(() => createDevRevClient({ token: TEST_AAT, dangerouslyAllowBrowser: true })).not.toThrow();
    } finally {
      delete g.window;
      delete g.document;
    }
  });

  it.each([
    { maxRetries: -1 },
    { maxRetries: 2.5 },
    { maxRetries: 101 },
    // setTimeout fires at once for 2^31 ms or more: every attempt would time out.
    { timeoutMs: 2 ** 31 },
    { timeoutMs: Number.NaN },
    { totalTimeoutMs: Number.POSITIVE_INFINITY },
    { maxRetryDelayMs: "5" },
    { maxResponseBytes: 1.5 },
  ])("refuses numeric options that are not integers in range: %j", (option) => {
    const [name] = Object.keys(option);
    const error = (() => {
      try {
        createDevRevClient({ token: TEST_AAT, ...(option as Partial<DevRevClientOptions>) });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(new RegExp(`\`${name}\` must be an integer from 0 to \\d+`));
  });

  it.each([
    ["not a URL", "api.devrev.ai"],
    ["not http(s)", "ftp://api.devrev.ai"],
    ["not a string", 42],
  ])("refuses a baseUrl that is %s", (_name, baseUrl) => {
    expect(() => createDevRevClient({ token: TEST_AAT, baseUrl: baseUrl as string })).toThrow(
      /`baseUrl` must be an http\(s\) URL/,
    );
  });

  it("refuses a baseUrl with credentials, without quoting them", () => {
    const error = (() => {
      try {
        createDevRevClient({ token: TEST_AAT, baseUrl: "https://me:hunter2-password@api.devrev.ai" });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(/must not carry a user name or password/);
    expect((error as Error).message).not.toContain("hunter2");
  });

  it("sends the token as Authorization, a User-Agent and the JSON body to /auth-tokens.create", async () => {
    const { client, server } = await clientFor([{ status: 201, body: createdBody() }]);
    const { data, error } = await client.POST("/auth-tokens.create", { body: { rev_info: { user_ref: "user-123" } } });
    expect(error).toBeUndefined();
    expect(data?.token_type).toBe("bearer");
    const [request] = server.requests;
    expect(request).toMatchObject({ method: "POST", path: "/auth-tokens.create" });
    expect(request?.headers.authorization).toBe(TEST_AAT);
    expect(request?.headers["user-agent"]).toMatch(/^devrev-plug-session\/\d+\.\d+\.\d+$/);
    expect(JSON.parse(request?.body ?? "")).toEqual({ rev_info: { user_ref: "user-123" } });
  });
});

describe("retries", () => {
  it.each([408, 429, 500, 502, 503, 504])("retries %i, then succeeds", async (status) => {
    const { client, server } = await clientFor([
      { status, body: { type: "x" }, headers: { "retry-after": "0" } },
      { status: 201, body: createdBody() },
    ]);
    await expect(mint(client)).resolves.toMatchObject({ tokenType: "bearer" });
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]?.body).toBe(server.requests[0]?.body);
  });

  it.each([
    { status: 400, type: BadRequestError },
    { status: 401, type: UnauthenticatedError },
    { status: 403, type: ForbiddenError },
    { status: 404, type: NotFoundError },
    { status: 409, type: ConflictError },
  ])("never retries $status and throws its typed error", async ({ status, type }) => {
    const { client, server } = await clientFor([
      { status, body: { type: "some_type", message: "nope", field_name: "rev_info.user_ref" } },
    ]);
    const error = await mint(client).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(type);
    expect(error).toMatchObject({ status, type: "some_type", fieldName: "rev_info.user_ref" });
    expect(server.requests).toHaveLength(1);
  });

  it("gives up after maxRetries and throws the last status's error", async () => {
    const { client, server } = await clientFor(
      [{ status: 503, body: { type: "service_unavailable", message: "down" } }],
      { maxRetries: 3 },
    );
    const error = await mint(client).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({
      status: 503,
      type: "service_unavailable",
      message: "DevRev answered 503 service_unavailable: down",
    });
    expect(server.requests).toHaveLength(4);
  });

  it("maps 429 after retries to RateLimitedError with retryAfter from the header", async () => {
    const { client } = await clientFor(
      [{ status: 429, body: { type: "too_many_requests" }, headers: { "retry-after": "0" } }],
      { maxRetries: 1 },
    );
    const error = await mint(client).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({ retryAfter: 0 });
  });

  it("honours Retry-After from the 429 header", async () => {
    const { client, server } = await clientFor([
      { status: 429, headers: { "retry-after": "1" } },
      { status: 201, body: createdBody() },
    ]);
    const started = performance.now();
    await mint(client);
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
    expect(server.requests).toHaveLength(2);
  });

  it("honours retry_after from the 429 body when there is no header", async () => {
    const { client } = await clientFor([
      { status: 429, body: { type: "too_many_requests", retry_after: 1 } },
      { status: 201, body: createdBody() },
    ]);
    const started = performance.now();
    await mint(client);
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
  });

  it("caps Retry-After at maxRetryDelayMs", async () => {
    const { client } = await clientFor(
      [
        { status: 429, headers: { "retry-after": "3600" } },
        { status: 201, body: createdBody() },
      ],
      {
        maxRetryDelayMs: 10,
      },
    );
    await expect(mint(client)).resolves.toMatchObject({ tokenType: "bearer" });
  });

  it("retries a reset connection, then throws NetworkError", async () => {
    const { client, server } = await clientFor(["reset"], { maxRetries: 2 });
    const error = await mint(client).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as Error).message).toMatch(/^could not reach DevRev at http:\/\/127\.0\.0\.1:\d+: /);
    expect(server.requests).toHaveLength(3);
  });

  it("recovers from a reset connection on retry", async () => {
    const { client } = await clientFor(["reset", { status: 201, body: createdBody() }]);
    await expect(mint(client)).resolves.toMatchObject({ tokenType: "bearer" });
  });

  it("times out each attempt and throws TimeoutError when none answers", async () => {
    // Attempts are counted where they start, at fetch: a stub server on a loaded machine may
    // not have read the second request before its 100 ms are up.
    let attempts = 0;
    const client = createDevRevClient({
      token: TEST_AAT,
      initialRetryDelayMs: 1,
      timeoutMs: 100,
      maxRetries: 1,
      fetch: (request) => {
        attempts++;
        return new Promise<Response>((_, reject) => {
          request.signal.addEventListener("abort", () => reject(request.signal.reason));
        });
      },
    });
    const error = await mint(client).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toBe("DevRev did not answer within 100 ms (attempt 2)");
    expect(attempts).toBe(2);
  });

  it("never retries once the caller aborts", async () => {
    const controller = new AbortController();
    const reason = new Error("caller gave up");
    // The caller gives up once DevRev has the request (and will never answer it): no timer decides the order.
    const { client, server } = await clientFor(
      () => {
        controller.abort(reason);
        return "hang";
      },
      { timeoutMs: 5_000 },
    );
    const pending = createSessionToken(client, { revInfo: { user_ref: "u" }, signal: controller.signal });
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortedError);
    expect(error).toMatchObject({ message: "the call to DevRev was aborted by its signal" });
    expect((error as Error).cause).toMatchObject({ message: "caller gave up" });
    expect(server.requests).toHaveLength(1);
  });

  it("sends nothing when the signal is already aborted", async () => {
    const { client, server } = await clientFor([{ status: 201, body: createdBody() }]);
    const error = await createSessionToken(client, {
      revInfo: { user_ref: "u" },
      signal: AbortSignal.abort(new Error("too late")),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortedError);
    expect(server.requests).toHaveLength(0);
  });

  it("an abort while waiting to retry is an AbortedError too, with no further attempt", async () => {
    const { client, server } = await clientFor([{ status: 503, body: { type: "service_unavailable" } }], {
      maxRetries: 3,
      initialRetryDelayMs: 5_000,
      maxRetryDelayMs: 5_000,
    });
    const controller = new AbortController();
    const pending = createSessionToken(client, { revInfo: { user_ref: "u" }, signal: controller.signal });
    await expect.poll(() => server.requests.length).toBe(1);
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(AbortedError);
    expect(server.requests).toHaveLength(1);
  });
});

describe("deadlines", () => {
  it("does not wait out a Retry-After that ends past the overall deadline: the 429 comes back at once", async () => {
    // Waiting out the hour, or the ten minutes left, would outlast the test's own timeout: no clock is read here.
    const { client, server } = await clientFor([{ status: 429, headers: { "retry-after": "3600" } }], {
      totalTimeoutMs: 600_000,
      maxRetryDelayMs: 7_200_000,
    });
    const error = await mint(client).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({ retryAfter: 3600 });
    expect(server.requests).toHaveLength(1);
  });

  it("a call's own timeoutMs shortens the client's deadline for that call", async () => {
    const { client, server } = await clientFor(["hang"], { timeoutMs: 10_000, maxRetries: 5 });
    const error = await createSessionToken(client, { revInfo: { user_ref: "u" }, timeoutMs: 150 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TimeoutError);
    // What is left of the 150 ms once the attempt starts: a millisecond may have passed.
    expect((error as Error).message).toMatch(/^DevRev did not answer within 1[45]\d ms \(attempt 1\)$/);
    expect(server.requests).toHaveLength(1);
  });

  it("bounds a custom fetch that ignores request.signal", async () => {
    const client = createDevRevClient({
      token: TEST_AAT,
      timeoutMs: 100,
      maxRetries: 0,
      fetch: () => new Promise<Response>(() => {}),
    });
    await expect(mint(client)).rejects.toBeInstanceOf(TimeoutError);
  });

  it("bounds a body that never ends, and cancels it", async () => {
    let cancelled = false;
    const endless = new ReadableStream<Uint8Array>({
      pull: () => new Promise(() => {}),
      cancel: () => {
        cancelled = true;
      },
      start: (controller) => controller.enqueue(new TextEncoder().encode('{"access_token":')),
    });
    const client = createDevRevClient({
      token: TEST_AAT,
      timeoutMs: 100,
      maxRetries: 0,
      fetch: async () => new Response(endless, { status: 201 }),
    });
    await expect(mint(client)).rejects.toBeInstanceOf(TimeoutError);
    await expect.poll(() => cancelled).toBe(true);
  });

  it("a caller's abort ends a call even through a fetch that ignores signals", async () => {
    const controller = new AbortController();
    const client = createDevRevClient({
      token: TEST_AAT,
      fetch: () => {
        controller.abort();
        return new Promise<Response>(() => {});
      },
    });
    const pending = createSessionToken(client, { revInfo: { user_ref: "u" }, signal: controller.signal });
    await expect(pending).rejects.toBeInstanceOf(AbortedError);
  });
});

describe("answers the client will not take", () => {
  it.each([
    ["with a Content-Length over the cap", { "content-length": "2000" }],
    ["streamed past the cap", {}],
  ])("a response %s is an InvalidResponseError, not buffered or cached", async (_name, headers) => {
    const big = JSON.stringify({ ...createdBody(), padding: "x".repeat(2_000) });
    const client = createDevRevClient({
      token: TEST_AAT,
      maxResponseBytes: 1_000,
      fetch: async () => {
        const stream = new ReadableStream<Uint8Array>({
          start(controller) {
            for (let i = 0; i < big.length; i += 100)
              controller.enqueue(new TextEncoder().encode(big.slice(i, i + 100)));
            controller.close();
          },
        });
        return new Response(stream, { status: 201, headers });
      },
    });
    const error = await mint(client).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as Error).message).toBe("DevRev's 201 answer is larger than 1000 bytes");
  });

  it.each([307, 308])("a %i is a clear error naming the redirect, and is not followed", async (status) => {
    const { client, server } = await clientFor([
      { status, headers: { location: "https://elsewhere.example/auth-tokens.create" } },
      { status: 201, body: createdBody() },
    ]);
    const error = await mint(client).catch((e: unknown) => e);
    expect(error).toMatchObject({ status });
    expect((error as Error).message).toContain(
      `DevRev answered ${status} (a redirect to https://elsewhere.example/auth-tokens.create, not followed`,
    );
    expect(server.requests).toHaveLength(1);
  });
});

describe("bad success responses", () => {
  it("malformed JSON is an InvalidResponseError", async () => {
    const { client } = await clientFor([{ status: 201, raw: "{not json" }]);
    const error = await mint(client).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as Error).message).toBe("DevRev answered success with a body that is not JSON");
  });

  it.each(["access_token", "token_type", "expires_in"])(
    "a 201 missing %s is an InvalidResponseError naming it",
    async (field) => {
      const body: Record<string, unknown> = createdBody();
      delete body[field];
      // Without exp in the token, expires_in is the only source of the expiry.
      if (field === "expires_in") body.access_token = "a.e30.c";
      const { client } = await clientFor([{ status: 201, body }]);
      const error = await mint(client).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidResponseError);
      expect((error as Error).message).toBe(`DevRev's 201 response lacks a valid \`${field}\``);
    },
  );

  it.each([
    [
      "an exp no Date can hold",
      { access_token: fakeJwt({ exp: 1e20 }), expires_in: 3600, token_type: "bearer" },
      "exp",
    ],
    [
      "an expires_in no Date can hold",
      { access_token: "a.e30.c", expires_in: 1e300, token_type: "bearer" },
      "expires_in",
    ],
  ])("%s is an InvalidResponseError, not a RangeError", async (_name, body, field) => {
    const { client } = await clientFor([{ status: 201, body }]);
    const error = await mint(client).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as Error).message).toBe(`DevRev's 201 response lacks a valid \`${field}\``);
  });

  it("accepts 200 as success too, as DevRev's docs list it", async () => {
    const { client } = await clientFor([{ status: 200, body: createdBody() }]);
    await expect(mint(client)).resolves.toMatchObject({ tokenType: "bearer" });
  });

  it("an undeclared error status (502 after retries) is a ServerError with the text body", async () => {
    const { client } = await clientFor(
      [{ status: 502, raw: "bad gateway", headers: { "content-type": "text/plain" } }],
      { maxRetries: 0 },
    );
    const error = await mint(client).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect((error as Error).message).toBe("DevRev answered 502: bad gateway");
  });
});
