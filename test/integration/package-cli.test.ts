import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { VERSION } from "../../src/server/defaults.js";
import { ROOT } from "../helpers/cli.js";
import { type StubServer, startStubServer } from "../helpers/stub-server.js";
import { TEST_AAT } from "../helpers/tokens.js";

let server: StubServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function cli(args: string[], env: Record<string, string | undefined> = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("DEVREV_")));
    const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "src/cli/main.ts"), ...args], {
      cwd: ROOT,
      env: { ...base, ...env },
    });
    let stdout = "";
    let stderr = "";
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

  it("rejects an unknown command with exit code 2", async () => {
    const result = await cli(["deploy"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error: unknown command "deploy"');
  });

  it("token --mock mints a token naming the user", async () => {
    const result = await cli(["token", "--mock", "--user-ref", "ada", "--display-name", "Ada", "--json"]);
    expect(result.code).toBe(0);
    const { token, expires_at } = JSON.parse(result.stdout);
    expect(JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString())).toMatchObject({
      sub: expect.stringMatching(/:revu\/\d+$/),
      "http://devrev.ai/displayname": "Ada",
    });
    expect(Date.parse(expires_at)).toBeGreaterThan(Date.now());
  });

  it("token needs DEVREV_AAT or --mock, and an identity", async () => {
    expect(await cli(["token", "--user-ref", "ada"])).toMatchObject({
      code: 2,
      stderr: "error: set DEVREV_AAT to your application access token, or pass --mock\n",
    });
    const none = await cli(["token", "--mock"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("pass --user-ref or --subject-token");
  });

  it("token reports invalid input by field, with exit code 2", async () => {
    const result = await cli(["token", "--mock", "--user-ref", "ada", "--expires-in-mins", "5000"]);
    expect(result).toMatchObject({ code: 2, stderr: "error: expires_in_mins must be <= 1440\n" });
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
