import { readFile } from "node:fs/promises";
import { createServer as createHttpsServer, globalAgent } from "node:https";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { REMOVED_SIGNATURE } from "../../mock/exchange.js";
import { type MockServer, MockServerError, startMockServer } from "../../mock/index.js";
import { UPSTREAM_ANSWER_LIMIT } from "../../mock/mock-api.js";
import { mockCli } from "../../src/cli/mock.js";
import { createDevRevClient, createSessionToken } from "../../src/server/index.js";
import { type DevRevStub, signedJwt, startDevRevStub } from "../helpers/devrev-stub.js";
import { useTempDirs } from "../helpers/temp-dir.js";
import { TEST_AAT } from "../helpers/tokens.js";

const tempDir = useTempDirs();
let stub: DevRevStub;
/** Where the stub's redirect points: it must never be called. */
let elsewhere: DevRevStub;
let mock: MockServer;
let recording: string;
const logged: string[] = [];

beforeAll(async () => {
  elsewhere = await startDevRevStub();
  stub = await startDevRevStub({ redirectTo: elsewhere.url });
  recording = join(await tempDir(), "exchanges.jsonl");
  // Prism's logger writes to stderr: keep what it says, to look for the AAT in it.
  const write = process.stderr.write.bind(process.stderr);
  vi.spyOn(process.stderr, "write").mockImplementation((chunk, ...rest) => {
    logged.push(String(chunk));
    return write(chunk, ...(rest as []));
  });
  mock = await startMockServer({ proxy: stub.url, record: recording, logLevel: "info" });
});
afterAll(async () => {
  vi.restoreAllMocks();
  await mock.close();
  await stub.close();
  await elsewhere.close();
});

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  violations: { location: string[]; message: string }[];
}

async function call(
  body: unknown,
  init: { authorization?: string; path?: string; base?: string } = {},
): Promise<Answer> {
  const response = await fetch(`${init.base ?? mock.url}${init.path ?? "/auth-tokens.create"}`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/json", authorization: init.authorization ?? TEST_AAT },
    body: JSON.stringify(body),
  });
  const violations = response.headers.get("sl-violations");
  return {
    status: response.status,
    headers: response.headers,
    text: await response.text(),
    violations: violations ? JSON.parse(violations) : [],
  };
}

const as = (userRef: string) => ({ rev_info: { user_ref: userRef } });
const lastEntry = async () => (await mock.requests()).at(-1);

describe("mock --proxy: DevRev's answers, passed back unchanged and checked against the spec", () => {
  it("forwards the request with the AAT and passes a valid answer back unchanged, with no violations", async () => {
    const seen = stub.requests.length;
    const answer = await call(as("ada"));
    expect(answer.status).toBe(201);
    expect(answer.headers.get("x-stub")).toBe("devrev");
    const expected = {
      access_token: signedJwt({ sub: "don:ada", exp: 2_000_000_000 }),
      expires_in: 2_000_000_000,
      token_type: "bearer",
    };
    expect(answer.text).toBe(JSON.stringify(expected));
    expect(answer.violations).toEqual([]);
    const forwarded = stub.requests[seen];
    expect(forwarded).toMatchObject({ method: "POST", url: "/auth-tokens.create", body: JSON.stringify(as("ada")) });
    expect(forwarded?.headers.authorization).toBe(TEST_AAT);
    expect(await lastEntry()).toMatchObject({ status: 201, violations: [], headers: { authorization: "[REDACTED]" } });
  });

  it("the real client gets the upstream's token through the proxy", async () => {
    const client = createDevRevClient({ token: TEST_AAT, baseUrl: mock.url, maxRetries: 0 });
    const { token } = await createSessionToken(client, { revInfo: { user_ref: "grace" } });
    expect(token).toBe(signedJwt({ sub: "don:grace", exp: 2_000_000_000 }));
  });

  it("flags a 201 without token_type, in sl-violations and the journal, and passes it on", async () => {
    const answer = await call(as("no-token-type"));
    expect(answer.status).toBe(201);
    expect(JSON.parse(answer.text)).not.toHaveProperty("token_type");
    expect(answer.violations).toContainEqual(
      expect.objectContaining({ location: ["response", "body"], message: expect.stringContaining("token_type") }),
    );
    expect((await lastEntry())?.violations).toContainEqual({
      side: "response",
      path: "body",
      message: expect.stringContaining("token_type"),
    });
  });

  it("flags a 400 whose error type the spec does not document", async () => {
    const answer = await call(as("unknown-type"));
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text)).toEqual({ type: "mystery_error", message: "Something DevRev never documented." });
    const entry = await lastEntry();
    expect(entry?.violations?.some((v) => v.side === "response" && v.path.startsWith("body"))).toBe(true);
  });

  it("flags an answer header that breaks the spec (a Retry-After that is not a number)", async () => {
    const answer = await call(as("bad-retry-after"));
    expect(answer.status).toBe(429);
    expect(answer.headers.get("retry-after")).toBe("soon");
    expect((await lastEntry())?.violations).toContainEqual(
      expect.objectContaining({ side: "response", path: expect.stringMatching(/^header/i) }),
    );
  });

  it("passes a 501 back instead of answering from the spec's examples (Prism's proxy would)", async () => {
    const answer = await call(as("not-implemented"));
    expect(answer.status).toBe(501);
    expect(JSON.parse(answer.text)).toEqual({ type: "not_implemented", message: "Not here." });
    expect(answer.violations.some((v) => v.location[0] === "response")).toBe(true);
  });

  it("forwards a body that is not JSON as it came, and flags it", async () => {
    const seen = stub.requests.length;
    const response = await fetch(`${mock.url}/auth-tokens.create`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: TEST_AAT },
      body: "{oops",
    });
    expect(response.status).toBe(400);
    expect(stub.requests[seen]?.body).toBe("{oops");
    expect((await lastEntry())?.violations?.some((v) => v.side === "request")).toBe(true);
  });

  it("passes a late 500 back as it came, unflagged when it matches the spec", async () => {
    const answer = await call(as("slow-500"));
    expect(answer).toMatchObject({ status: 500, violations: [] });
    expect(JSON.parse(answer.text)).toEqual({ type: "internal_error", message: "Boom.", reference_id: "ref-1" });
  });

  it("answers 504 in DevRev's envelope when the upstream hangs, flagged", async () => {
    // A proxy of its own with a short wait: the others wait the default, however loaded the machine.
    const impatient = await startMockServer({ proxy: stub.url, upstreamTimeoutMs: 300 });
    try {
      const answer = await call(as("hang"), { base: impatient.url });
      expect(answer.status).toBe(504);
      expect(JSON.parse(answer.text)).toMatchObject({
        type: "service_unavailable",
        message: expect.stringContaining("did not answer within 300 ms"),
      });
      expect(answer.violations).toContainEqual(
        expect.objectContaining({
          location: ["response", "status"],
          message: expect.stringContaining("did not answer"),
        }),
      );
      expect((await impatient.requests()).at(-1)?.violations).toContainEqual(
        expect.objectContaining({ side: "response", path: "status" }),
      );
    } finally {
      await impatient.close();
    }
  });

  it(`answers 502 when the upstream's answer is over ${UPSTREAM_ANSWER_LIMIT} bytes`, async () => {
    const answer = await call(as("huge"));
    expect(answer.status).toBe(502);
    expect(answer.text.length).toBeLessThan(1000);
    expect(JSON.parse(answer.text)).toMatchObject({
      type: "service_unavailable",
      message: expect.stringContaining("more than"),
    });
    expect((await lastEntry())?.violations).toContainEqual(
      expect.objectContaining({ side: "response", path: "status" }),
    );
  });

  it("passes a redirect back without following it (the AAT stays with the upstream), flagged as undocumented", async () => {
    const answer = await call(as("redirect"));
    expect(answer.status).toBe(307);
    expect(answer.headers.get("location")).toBe(`${elsewhere.url}/auth-tokens.create`);
    expect(elsewhere.requests).toEqual([]);
    expect(answer.violations.some((v) => v.location[0] === "response")).toBe(true);
  });

  it("answers 502 when the upstream is down", async () => {
    const down = await startDevRevStub();
    await down.close();
    const proxy = await startMockServer({ proxy: down.url });
    try {
      const response = await fetch(`${proxy.url}/auth-tokens.create`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: TEST_AAT },
        body: JSON.stringify(as("ada")),
      });
      expect(response.status).toBe(502);
      expect(await response.json()).toMatchObject({
        type: "service_unavailable",
        message: expect.stringContaining("could not be reached"),
      });
    } finally {
      await proxy.close();
    }
  });

  it("still forwards a request the spec rejects, and flags it", async () => {
    const seen = stub.requests.length;
    const answer = await call({ rev_info: { user_ref: 42 } });
    expect(stub.requests).toHaveLength(seen + 1);
    expect(answer.violations.some((v) => v.location[0] === "request")).toBe(true);
    expect((await lastEntry())?.violations).toContainEqual(
      expect.objectContaining({ side: "request", path: expect.stringContaining("user_ref") }),
    );
  });

  it("flags an unknown path and forwards it; never forwards the controls", async () => {
    const seen = stub.requests.length;
    const answer = await call(as("ada"), { path: "/works.list" });
    expect(stub.requests.at(-1)?.url).toBe("/works.list");
    expect(answer.violations.length).toBeGreaterThan(0);
    await fetch(`${mock.url}/__mock/requests`).then((r) => r.arrayBuffer());
    const refused = await fetch(`${mock.url}/__mock/scenarios`, { method: "POST", body: "{}" });
    expect(refused.status).toBe(400);
    expect(stub.requests.slice(seen).map((r) => r.url)).toEqual(["/works.list"]);
  });

  it("a queued status is answered by the mock, not the upstream", async () => {
    const seen = stub.requests.length;
    await mock.scenario({ status: 429, times: 1 });
    expect((await call(as("ada"))).status).toBe(429);
    expect(stub.requests).toHaveLength(seen);
  });

  it("never journals, logs or records the AAT, even where the upstream echoes it", async () => {
    const bearer = `Bearer ${TEST_AAT}`;
    const echoed = await call(as("echo"), { authorization: bearer });
    expect(echoed.status).toBe(401);
    // The client is the AAT's owner: its answer is DevRev's, unchanged.
    expect(echoed.text).toContain(TEST_AAT);
    await mock.close();
    mock = await startMockServer({ proxy: stub.url, record: recording });
    const journal = JSON.stringify(await mock.requests());
    const file = await readFile(recording, "utf8");
    const logs = logged.join("");
    expect(logs).toContain("auth-tokens.create");
    for (const [where, text] of [
      ["recording", file],
      ["logs", logs],
      ["journal", journal],
    ] as const) {
      expect(text, where).not.toContain(TEST_AAT);
      expect(text, where).not.toContain(encodeURIComponent(TEST_AAT));
    }
    const lines = file
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    const echo = lines.find((l) => l.response.status === 401);
    expect(echo.request.headers.authorization).toBe("[REDACTED]");
    expect(echo.response.body.message).toBe("The token [REDACTED] is not valid.");
    expect(file).not.toContain(Buffer.from("not-a-real-signature").toString("base64url"));
    expect(file).toContain(`.${REMOVED_SIGNATURE}`);
    // The proxy's own 502 (the oversized answer) is not DevRev's answer: nothing to replay.
    expect(lines.map((l) => l.response.status)).not.toContain(502);
  });
});

describe("an https upstream, as DevRev is", () => {
  it("is reached over TLS, with the AAT, and its answer passed back", async () => {
    const fixture = (name: string) => readFile(new URL(`../fixtures/tls/${name}`, import.meta.url));
    // A self-signed certificate for 127.0.0.1, made for this test, trusted only while it runs.
    const [cert, key] = await Promise.all([fixture("loopback-cert.pem"), fixture("loopback-key.pem")]);
    const seen: (string | undefined)[] = [];
    const server = createHttpsServer({ cert, key }, (req, res) => {
      seen.push(req.headers.authorization);
      res.writeHead(201, { "content-type": "application/json" });
      res.end(
        JSON.stringify({ access_token: signedJwt({ sub: "tls" }), expires_in: 2_000_000_000, token_type: "bearer" }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const trusted = globalAgent.options.ca;
    globalAgent.options.ca = cert;
    const proxy = await startMockServer({ proxy: `https://127.0.0.1:${(server.address() as AddressInfo).port}` });
    try {
      const response = await fetch(`${proxy.url}/auth-tokens.create`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: TEST_AAT },
        body: JSON.stringify(as("tls")),
      });
      expect(response.status).toBe(201);
      expect((await response.json()).access_token).toBe(signedJwt({ sub: "tls" }));
      expect(response.headers.get("sl-violations")).toBeNull();
      expect(seen).toEqual([TEST_AAT]);
    } finally {
      globalAgent.options.ca = trusted;
      await proxy.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe("mock --proxy, --record and --replay on the command line", () => {
  it.each([
    [["--record", "x.jsonl"], "record needs proxy"],
    [["--proxy", "http://127.0.0.1:9", "--replay", "x.jsonl"], "exclude each other"],
  ])("%o is a usage error (exit 2)", async (argv, message) => {
    const written: string[] = [];
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => written.push(String(chunk)) > 0);
    try {
      expect(await mockCli(argv)).toBe(2);
    } finally {
      stderr.mockRestore();
    }
    expect(written.join("")).toContain(message);
  });
});

describe("startMockServer({ proxy }) refuses what cannot work", () => {
  it.each([
    [{ proxy: "ftp://example.com" }, /proxy must be an http or https URL/],
    [{ proxy: "not a url" }, /proxy must be an http or https URL/],
    [{ record: "x.jsonl" }, /record needs proxy/],
    [{ proxy: "http://127.0.0.1:9", replay: "x.jsonl" }, /exclude each other/],
    [{ proxy: "http://127.0.0.1:9", upstreamTimeoutMs: 0 }, /upstreamTimeoutMs/],
  ])("%o", async (options, message) => {
    const error = await startMockServer(options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MockServerError);
    expect((error as Error).message).toMatch(message);
  });
});
