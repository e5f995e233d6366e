import { request } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DIRECTORY_LIMIT, Directory } from "../../mock/directory.js";
import { type MockServer, MockServerError, startMockServer } from "../../mock/index.js";
import { JOURNAL_BODY_DEPTH, JOURNAL_BODY_LIMIT, JOURNAL_BYTES, JOURNAL_LIMIT } from "../../mock/journal.js";
import { SCENARIO_LIMIT } from "../../mock/scenarios.js";
import { mockBanner } from "../../src/cli/mock.js";
import {
  createDevRevClient,
  createSessionToken,
  InvalidResponseError,
  NetworkError,
  RateLimitedError,
  ServerError,
  TimeoutError,
} from "../../src/server/index.js";
import { TEST_AAT } from "../helpers/tokens.js";

// A mock of its own: scenarios and the journal are per mock, and these tests reset it.
let mock: MockServer;
beforeAll(async () => {
  mock = await startMockServer();
});
afterAll(() => mock.close());
beforeEach(() => mock.reset());

const ada = { revInfo: { user_ref: "ada", user_traits: { display_name: "Ada" } } };
const client = () => createDevRevClient({ token: TEST_AAT, baseUrl: mock.url, maxRetries: 0, timeoutMs: 2_000 });

async function control(method: string, path: string, body?: unknown) {
  const response = await fetch(`${mock.url}/__mock/${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text ? JSON.parse(text) : undefined,
    violations: response.headers.get("sl-violations"),
  };
}

describe("scenarios over HTTP, as an app in another process is steered", () => {
  it("POST /__mock/scenarios fails the next call with 429 and Retry-After, then answers normally", async () => {
    const queued = await control("POST", "scenarios", { status: 429, times: 1, retryAfter: 2 });
    expect(queued).toMatchObject({ status: 201, body: { status: 429, times: 1, retryAfter: 2 }, violations: null });
    const error = await createSessionToken(client(), ada).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({ status: 429, type: "too_many_requests", retryAfter: 2 });
    expect((await createSessionToken(client(), ada)).token).toMatch(/^ey/);
  });

  it("queued scenarios apply in order, each for its count", async () => {
    await mock.scenario({ status: 429, times: 1, retryAfter: 0 });
    await mock.scenario({ status: 503, times: 2 });
    const statuses = [];
    for (let i = 0; i < 4; i++) {
      const error = await createSessionToken(client(), ada).then(
        () => undefined,
        (e: unknown) => e,
      );
      statuses.push(error === undefined ? 201 : (error as { status: number }).status);
    }
    expect(statuses).toEqual([429, 503, 503, 201]);
  });

  it("a scenario without times lasts until reset, and overrides even an invalid body", async () => {
    await mock.scenario({ status: 500 });
    for (let i = 0; i < 3; i++) await expect(createSessionToken(client(), ada)).rejects.toBeInstanceOf(ServerError);
    const raw = await fetch(`${mock.url}/auth-tokens.create`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: TEST_AAT },
      body: "{}",
    });
    expect(raw.status).toBe(500);
    expect(await raw.json()).toMatchObject({ type: "internal_error", reference_id: expect.any(String) });
    await mock.reset();
    expect((await createSessionToken(client(), ada)).token).toMatch(/^ey/);
  });

  it("delayMs holds the answer", async () => {
    await mock.scenario({ delayMs: 300, times: 1 });
    const started = performance.now();
    await createSessionToken(client(), ada);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it.each([
    ["reset", NetworkError],
    ["hang", TimeoutError],
    ["malformed-json", InvalidResponseError],
  ] as const)("fault %s reaches the client as a %o", async (fault, expected) => {
    await mock.scenario({ fault, times: 1 });
    const fast = createDevRevClient({ token: TEST_AAT, baseUrl: mock.url, maxRetries: 0, timeoutMs: 300 });
    await expect(createSessionToken(fast, ada)).rejects.toBeInstanceOf(expected);
    expect((await createSessionToken(fast, ada)).token).toMatch(/^ey/);
  });

  it("rejects a scenario that breaks the control plane's schema, naming the field", async () => {
    const bad = await control("POST", "scenarios", { status: 418 });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ type: "bad_request", message: expect.stringContaining("status") });
    expect((await control("POST", "scenarios", { times: 2 })).status).toBe(400);
    expect((await control("POST", "scenarios", { status: 429, times: 0 })).body.message).toContain("times");
    const error = await mock.scenario({ status: 429, fault: "explode" as never }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MockServerError);
    expect((error as Error).message).toMatch(/^invalid scenarios: .*fault/);
    // Nothing was queued by the rejected scenarios.
    expect((await createSessionToken(client(), ada)).token).toMatch(/^ey/);
  });
});

describe("the request journal", () => {
  it("lists what the app sent, oldest first, with the status and the AAT redacted", async () => {
    await createSessionToken(client(), ada);
    await mock.scenario({ status: 429, times: 1 });
    await createSessionToken(client(), { revInfo: { user_ref: "grace" } }).catch(() => undefined);
    const { status, body, violations } = await control("GET", "requests");
    expect(status).toBe(200);
    expect(violations).toBeNull();
    expect(body.requests).toHaveLength(2);
    const [first, second] = body.requests;
    expect(first).toMatchObject({
      method: "POST",
      path: "/auth-tokens.create",
      body: { rev_info: ada.revInfo },
      status: 201,
      receivedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(first.headers.authorization).toBe("[REDACTED]");
    expect(first.headers["content-type"]).toBe("application/json");
    expect(second).toMatchObject({ body: { rev_info: { user_ref: "grace" } }, status: 429 });
    expect(JSON.stringify(body)).not.toContain(TEST_AAT);
    expect(await mock.requests()).toEqual(body.requests);
  });

  it("records unknown paths and bodies that are not JSON, but not the controls or the SDK script", async () => {
    await fetch(`${mock.url}/static/plug.js`);
    await fetch(`${mock.url}/works.list`, { method: "POST" });
    await fetch(`${mock.url}/auth-tokens.create`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{oops",
    });
    await mock.scenario({ fault: "reset", times: 1 });
    await fetch(`${mock.url}/auth-tokens.create`, { method: "POST" }).catch(() => undefined);
    expect((await mock.requests()).map(({ path, body, status }) => ({ path, body, status }))).toEqual([
      { path: "/works.list", body: null, status: 404 },
      { path: "/auth-tokens.create", body: "{oops", status: 400 },
      { path: "/auth-tokens.create", body: null, status: null },
    ]);
  });

  it(`keeps the last ${JOURNAL_LIMIT} requests, and DELETE empties it`, async () => {
    const extra = 5;
    for (let i = 0; i < JOURNAL_LIMIT + extra; i += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, JOURNAL_LIMIT + extra - i) }, (_, j) =>
          fetch(`${mock.url}/n/${i + j}`, { method: "POST" }).then((r) => r.arrayBuffer()),
        ),
      );
    }
    const entries = await mock.requests();
    expect(entries).toHaveLength(JOURNAL_LIMIT);
    expect(entries.map((e) => e.path)).not.toContain("/n/0");
    expect(await control("DELETE", "requests")).toMatchObject({ status: 204 });
    expect(await mock.requests()).toEqual([]);
  });

  it("POST /__mock/reset answers 204 and forgets scenarios, journal and provisioned state", async () => {
    await createSessionToken(client(), { revInfo: { user_ref: "a", account_ref: "acme", workspace_ref: "w" } });
    await mock.scenario({ status: 503 });
    expect(await control("POST", "reset")).toMatchObject({ status: 204, body: undefined });
    expect(await mock.requests()).toEqual([]);
    // The workspace is forgotten too: another account may take it.
    await createSessionToken(client(), { revInfo: { user_ref: "b", account_ref: "globex", workspace_ref: "w" } });
  });
});

/** A raw request, so the test chooses `Host` (fetch would not let it). */
function rawRequest(path: string, headers: Record<string, string>, method = "GET") {
  const { hostname, port } = new URL(mock.url);
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
    const req = request({ hostname, port, path, method, headers }, (res) => {
      let body = "";
      res.on("data", (chunk) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("the controls are for this machine's tests, not for web pages", () => {
  it("sends no CORS headers on /__mock/*, so another origin cannot read the journal or steer the mock", async () => {
    await createSessionToken(client(), ada);
    const evil = { origin: "https://evil.example" };
    const listed = await fetch(`${mock.url}/__mock/requests`, { headers: evil });
    expect(listed.status).toBe(200);
    expect(listed.headers.get("access-control-allow-origin")).toBeNull();
    expect(listed.headers.get("access-control-allow-credentials")).toBeNull();
    const preflight = await fetch(`${mock.url}/__mock/reset`, {
      method: "OPTIONS",
      headers: { ...evil, "access-control-request-method": "POST" },
    });
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
    expect(preflight.headers.get("access-control-allow-methods")).toBeNull();
    // The API itself stays open to pages: apps under test call it from the browser.
    const api = await fetch(`${mock.url}/auth-tokens.create`, {
      method: "OPTIONS",
      headers: { ...evil, "access-control-request-method": "POST" },
    });
    expect(api.headers.get("access-control-allow-origin")).toBe("https://evil.example");
  });

  it("refuses a control request addressed to another host name (DNS rebinding) with 403", async () => {
    await createSessionToken(client(), ada);
    const { port } = new URL(mock.url);
    const rebound = await rawRequest("/__mock/requests", { host: `rebind.evil.example:${port}` });
    expect(rebound.status).toBe(403);
    expect(JSON.parse(rebound.body)).toMatchObject({
      type: "forbidden",
      message: expect.stringContaining("rebind.evil.example"),
    });
    expect(rebound.body).not.toContain("auth-tokens.create");
    const reset = await rawRequest("/__mock/reset", { host: "rebind.evil.example" }, "POST");
    expect(reset.status).toBe(403);
    expect(await mock.requests()).toHaveLength(1);
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `app.localhost:${port}`, `[::1]:${port}`]) {
      expect((await rawRequest("/__mock/requests", { host })).status, host).toBe(200);
    }
  });

  it("says so, on stderr and in the banner, when bound to an address other machines reach", () => {
    const exposed = mockBanner({ url: "http://127.0.0.1:4010", address: "0.0.0.0:4010", loopback: false }, "0.0.0.0");
    expect(exposed.warning).toMatch(/^warning: .*0\.0\.0\.0:4010.*other machines/);
    expect(exposed.banner.split("\n")[0]).toBe(
      "DevRev mock listening on http://127.0.0.1:4010 (bound to 0.0.0.0:4010: reachable from other machines)",
    );
    const local = mockBanner({ url: mock.url, address: mock.address, loopback: mock.loopback }, "127.0.0.1");
    expect(mock).toMatchObject({ loopback: true, address: `127.0.0.1:${new URL(mock.url).port}` });
    expect(local.warning).toBeUndefined();
    expect(local.banner.split("\n")[0]).toBe(`DevRev mock listening on ${mock.url}`);
  });
});

describe("the mock's memory stays bounded", () => {
  const post = (body: string) =>
    fetch(`${mock.url}/auth-tokens.create`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: TEST_AAT },
      body,
    }).then((r) => r.status);

  it("keeps a cut copy of a big body, with its size", async () => {
    const big = JSON.stringify({
      rev_info: { user_ref: "big", user_traits: { display_name: "é".repeat(2 * 1024 * 1024) } },
    });
    expect(await post(big)).toBe(201);
    const [entry] = await mock.requests();
    expect(entry?.bodyBytes).toBe(Buffer.byteLength(big));
    expect(typeof entry?.body).toBe("string");
    expect(Buffer.byteLength(entry?.body as string)).toBeLessThanOrEqual(JOURNAL_BODY_LIMIT);
    expect(big.startsWith(entry?.body as string)).toBe(true);
  });

  it("drops the oldest entries once the bodies pass the journal's byte limit", async () => {
    const body = JSON.stringify({ pad: "x".repeat(JOURNAL_BODY_LIMIT) });
    const count = Math.ceil(JOURNAL_BYTES / JOURNAL_BODY_LIMIT) + 5;
    for (let i = 0; i < count; i += 20) {
      await Promise.all(Array.from({ length: Math.min(20, count - i) }, () => post(body)));
    }
    await post("{}");
    const entries = await mock.requests();
    expect(entries.length).toBeLessThan(count);
    expect(JSON.stringify(entries).length).toBeLessThan(JOURNAL_BYTES + entries.length * 1024);
    expect(entries.length).toBeGreaterThan(JOURNAL_BYTES / (2 * JOURNAL_BODY_LIMIT));
    expect(entries.at(-1)?.body).toEqual({});
  });

  it("lists a body nested 5,000 deep as text instead of failing every later listing", async () => {
    const deep = `${"[".repeat(5000)}${"]".repeat(5000)}`;
    expect(await post(deep)).toBe(400);
    await createSessionToken(client(), ada);
    const listed = await control("GET", "requests");
    expect(listed.status).toBe(200);
    expect(listed.body.requests[0]).toMatchObject({ body: deep, bodyBytes: deep.length });
    expect(listed.body.requests[1]).toMatchObject({ body: { rev_info: ada.revInfo } });
    const justDeepEnough = `${"[".repeat(JOURNAL_BODY_DEPTH)}${"]".repeat(JOURNAL_BODY_DEPTH)}`;
    await post(justDeepEnough);
    expect((await mock.requests())[2]?.body).toEqual(JSON.parse(justDeepEnough));
  });

  it(`queues at most ${SCENARIO_LIMIT} scenarios`, async () => {
    for (let i = 0; i < SCENARIO_LIMIT; i++) await mock.scenario({ status: 503, times: 1 });
    const full = await control("POST", "scenarios", { status: 503, times: 1 });
    expect(full).toMatchObject({
      status: 400,
      body: { type: "bad_request", message: expect.stringContaining(`${SCENARIO_LIMIT}`) },
    });
  });

  it("a request to an unknown route does not use up a queued scenario", async () => {
    await mock.scenario({ status: 503, times: 1 });
    expect((await fetch(`${mock.url}/favicon.ico`)).status).toBe(404);
    await expect(createSessionToken(client(), ada)).rejects.toBeInstanceOf(ServerError);
    expect((await createSessionToken(client(), ada)).token).toMatch(/^ey/);
  });

  it.each(["__proto__", "constructor", "toString", "no-such-example"])(
    "Prefer: example=%s answers a 400 naming the documented examples",
    async (name) => {
      const answer = await fetch(`${mock.url}/auth-tokens.create`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: TEST_AAT, prefer: `example=${name}` },
        body: JSON.stringify({ rev_info: ada.revInfo }),
      });
      expect(answer.status).toBe(400);
      expect(await answer.json()).toMatchObject({
        type: "bad_request",
        message: expect.stringMatching(new RegExp(`example=${name} .*session-token`)),
      });
    },
  );

  it("remembers at most DIRECTORY_LIMIT workspaces, forgetting the least recently provisioned", () => {
    const directory = new Directory();
    expect("subject" in directory.provision({ user_ref: "u", account_ref: "acme", workspace_ref: "w0" })).toBe(true);
    expect(directory.provision({ user_ref: "v", account_ref: "globex", workspace_ref: "w0" })).toHaveProperty(
      "conflict",
    );
    for (let i = 1; i <= DIRECTORY_LIMIT; i++) directory.provision({ user_ref: `u${i}`, workspace_ref: `w${i}` });
    expect(directory.provision({ user_ref: "v", account_ref: "globex", workspace_ref: "w0" })).toHaveProperty(
      "subject",
    );
  });
});
