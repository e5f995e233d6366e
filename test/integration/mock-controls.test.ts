import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type MockServer, MockServerError, startMockServer } from "../../mock/index.js";
import { JOURNAL_LIMIT } from "../../mock/journal.js";
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
