import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { tokenCli } from "../../src/cli/token.js";
import { type StubServer, startStubServer } from "../helpers/stub-server.js";
import { createdBody, TEST_AAT } from "../helpers/tokens.js";

// The `token` command in this process: what it prints and returns, and that
// bad flags and environment are refused before the mock is started.
const startMockServer = vi.hoisted(() => vi.fn());
vi.mock("../../mock/index.js", () => ({ startMockServer }));

let out = "";
let err = "";
let server: StubServer | undefined;
const saved = { aat: process.env.DEVREV_AAT, base: process.env.DEVREV_BASE_URL };

beforeEach(() => {
  out = "";
  err = "";
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => ((out += chunk), true));
  vi.spyOn(process.stderr, "write").mockImplementation((chunk) => ((err += chunk), true));
  startMockServer.mockReset();
  delete process.env.DEVREV_AAT;
  delete process.env.DEVREV_BASE_URL;
});

afterEach(async () => {
  vi.restoreAllMocks();
  for (const [name, value] of [
    ["DEVREV_AAT", saved.aat],
    ["DEVREV_BASE_URL", saved.base],
  ] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await server?.close();
  server = undefined;
});

async function withStub() {
  server = await startStubServer(() => ({ status: 201, body: createdBody() }));
  process.env.DEVREV_AAT = TEST_AAT;
  process.env.DEVREV_BASE_URL = server.url;
  return server;
}

describe("token", () => {
  it("--json prints the handler's shape, { session_token, expires_at }", async () => {
    await withStub();
    expect(await tokenCli(["--user-ref", "ada", "--json"])).toBe(0);
    const printed = JSON.parse(out);
    expect(Object.keys(printed).sort()).toEqual(["expires_at", "session_token"]);
    expect(printed.session_token).toMatch(/^ey/);
    expect(new Date(printed.expires_at).toISOString()).toBe(printed.expires_at);
  });

  it.each([
    [["--user-ref", "ada", "--subject-token", "t"], "pass --user-ref or --subject-token, not both"],
    [["--subject-token", "t", "--email", "a@b.example"], "--email describe the user for --user-ref"],
    [["--user-ref", "ada", "--expires-in-mins", ""], '--expires-in-mins must be a whole number of minutes, not ""'],
    [["--user-ref", "ada", "--expires-in-mins", "1.5"], "--expires-in-mins must be a whole number of minutes"],
    [
      ["--user-ref", "ada", "--expires-in-mins", "5000"],
      "error: expires_in_mins must be a whole number of minutes from 0 to 1440 (one day)",
    ],
    [["--user-ref", ""], "error: rev_info.user_ref "],
    [[], "pass --user-ref or --subject-token"],
  ])("%j: exit 2 before the mock starts, saying %j", async (flags, message) => {
    expect(await tokenCli(["--mock", ...flags])).toBe(2);
    expect(err).toContain(message);
    expect(startMockServer).not.toHaveBeenCalled();
    expect(out).toBe("");
  });

  it("bad input from the environment is bad input too: exit 2, before any request", async () => {
    const stub = await withStub();
    process.env.DEVREV_BASE_URL = "ftp://devrev.example";
    expect(await tokenCli(["--user-ref", "ada"])).toBe(2);
    expect(err).toContain("`baseUrl` must be an http(s) URL");
    expect(err).toContain("DEVREV_BASE_URL");
    process.env.DEVREV_BASE_URL = `http://user:pass@${new URL(stub.url).host}`;
    expect(await tokenCli(["--user-ref", "ada"])).toBe(2);
    expect(stub.requests).toHaveLength(0);
    expect(err).not.toContain(TEST_AAT);
  });

  it("DevRev's refusal is exit 1", async () => {
    server = await startStubServer(() => ({ status: 403, body: { type: "forbidden", message: "no" } }));
    process.env.DEVREV_AAT = TEST_AAT;
    process.env.DEVREV_BASE_URL = server.url;
    expect(await tokenCli(["--user-ref", "ada"])).toBe(1);
    expect(err).toBe("error: DevRev answered 403 forbidden: no\n");
  });
});
