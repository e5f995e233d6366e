import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { VERSION } from "../../src/server/defaults.js";
import { ROOT } from "../helpers/cli.js";
import { type StubServer, startStubServer } from "../helpers/stub-server.js";
import { createdBody, TEST_AAT } from "../helpers/tokens.js";

let server: StubServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Runs the CLI; with `closedStdout`, its stdout is a pipe whose reader has gone before it writes. */
function cli(args: string[], env: Record<string, string | undefined> = {}, closedStdout = false) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("DEVREV_")));
    const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "src/cli/main.ts"), ...args], {
      cwd: ROOT,
      env: { ...base, ...env },
    });
    let stdout = "";
    let stderr = "";
    if (closedStdout) child.stdout.destroy();
    child.stdout.on("data", (c) => (stdout += c));
    child.stderr.on("data", (c) => (stderr += c));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("devrev-plug-session (the package CLI)", () => {
  it("prints help and its version, which matches package.json", async () => {
    const help = await cli(["--help"]);
    expect(help).toMatchObject({ code: 0 });
    expect(help.stdout).toContain("Commands:\n  generate");
    const { version } = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8"));
    expect(VERSION).toBe(version);
    expect((await cli(["--version"])).stdout).toBe(`${version}\n`);
  });

  it("rejects an unknown command, or none, with the usage on stderr and exit code 2", async () => {
    const result = await cli(["deploy"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error: unknown command "deploy"');
    const none = await cli([]);
    expect(none).toMatchObject({ code: 2, stdout: "" });
    expect(none.stderr).toContain("Usage: devrev-plug-session <command>");
  });

  it("token --mock mints a token naming the user", async () => {
    const result = await cli(["token", "--mock", "--user-ref", "ada", "--display-name", "Ada", "--json"]);
    expect(result.code).toBe(0);
    const { session_token, expires_at } = JSON.parse(result.stdout);
    expect(JSON.parse(Buffer.from(session_token.split(".")[1], "base64url").toString())).toMatchObject({
      sub: expect.stringMatching(/:revu\/\d+$/),
      "http://devrev.ai/displayname": "Ada",
    });
    expect(Date.parse(expires_at)).toBeGreaterThan(Date.now());
  });

  it("token needs DEVREV_AAT or --mock", async () => {
    expect(await cli(["token", "--user-ref", "ada"])).toMatchObject({
      code: 2,
      stderr: "error: set DEVREV_AAT to your application access token, or pass --mock\n",
    });
  });

  it("ends quietly when its reader closes stdout early", async () => {
    server = await startStubServer(() => ({ status: 201, body: createdBody() }));
    const result = await cli(
      ["token", "--user-ref", "ada"],
      { DEVREV_AAT: TEST_AAT, DEVREV_BASE_URL: server.url },
      true,
    );
    // The token was minted, but no reader took it: nothing else to say, and no stack.
    expect(server.requests).toHaveLength(1);
    expect(result).toMatchObject({ code: 0, stderr: "" });
  });

  it("token reports DevRev's refusal with exit code 1, without the AAT", async () => {
    server = await startStubServer(() => ({
      status: 401,
      body: { type: "unauthenticated", message: `bad token ${TEST_AAT}` },
    }));
    const result = await cli(["token", "--user-ref", "ada"], { DEVREV_AAT: TEST_AAT, DEVREV_BASE_URL: server.url });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe("error: DevRev answered 401 unauthenticated: bad token [REDACTED]\n");
    expect(server.requests[0]?.headers.authorization).toBe(TEST_AAT);
  });
});
