import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, inject, it } from "vitest";
import { syntheticSpec } from "../../bench/synthetic-spec.js";
import { MockServerError, startMockServer } from "../../mock/index.js";
import { mockBanner } from "../../src/cli/mock.js";
import { ROOT } from "../helpers/cli.js";
import { useTempDirs } from "../helpers/temp-dir.js";

const tempDir = useTempDirs();
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
});

function startCli(args: string[]) {
  const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "src/cli/npm-mock.ts"), ...args], { cwd: ROOT });
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c) => (stdout += c));
  child.stderr.on("data", (c) => (stderr += c));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const printed = (pattern: RegExp) =>
    new Promise<string>((resolve, reject) => {
      const check = () => (pattern.test(stdout) ? resolve(stdout) : undefined);
      child.stdout.on("data", check);
      child.on("exit", () => reject(new Error(`exited before printing ${pattern}: ${stderr}`)));
      check();
    });
  return { child, exited, printed, output: () => ({ stdout, stderr }) };
}

describe("startMockServer", () => {
  it("resolves with a URL that already answers, and serves the fake SDK at the real path", async () => {
    const server = await startMockServer();
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const response = await fetch(`${server.url}/static/plug.js`);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/javascript/);
      expect(await response.text()).toContain("window.plugSDK = sdk");
    } finally {
      await server.close();
    }
    await expect(fetch(`${server.url}/static/plug.js`)).rejects.toThrow();
  });

  it("says clearly when the port is taken", async () => {
    const port = Number(new URL(inject("devrevMockUrl")).port);
    const error = await startMockServer({ port }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MockServerError);
    expect((error as Error).message).toBe(
      `port ${port} on 127.0.0.1 is already in use: stop whatever holds it, or pick another port`,
    );
  });

  it("names the file and line of a bad spec", async () => {
    const spec = join(await tempDir(), "bad.yaml");
    await writeFile(spec, "openapi: 3.1.0\ninfo: {title: x, version: '1'}\npaths:\n  /a: [\n");
    const error = await startMockServer({ spec }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MockServerError);
    expect((error as Error).message).toMatch(
      new RegExp(`^cannot serve the spec: ${spec.replaceAll(".", "\\.")}:\\d+:\\d+: invalid YAML`),
    );
  });

  it.each([
    ["a YAML bomb", "bomb.yaml", /YAML aliases expand the document by more than 1000000 nodes/],
    ["a FIFO", "fifo.yaml", /not a regular file/],
  ])("refuses %s at once instead of growing or waiting", async (_name, file, want) => {
    const spec = join(await tempDir(), file);
    if (file === "fifo.yaml") execFileSync("mkfifo", [spec]);
    else {
      const levels = Array.from(
        { length: 8 },
        (_, i) => `x-${i + 1}: &a${i + 1} [${Array(9).fill(`*a${i}`).join(",")}]`,
      );
      await writeFile(
        spec,
        `openapi: 3.1.0\ninfo: {title: x, version: '1'}\npaths: {}\nx-0: &a0 [${Array(9).fill("lol").join(",")}]\n${levels.join("\n")}\n`,
      );
    }
    const error = await startMockServer({ spec }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MockServerError);
    expect((error as Error).message).toMatch(want);
  });
});

describe("npm run mock", () => {
  it("stops on the first Ctrl-C even while a large spec is still loading, without ever listening", async () => {
    const spec = join(await tempDir(), "large.json");
    await writeFile(spec, JSON.stringify(syntheticSpec(4000)));
    const cli = startCli(["--port", "0", "--spec", spec]);
    await cli.printed(/loading .*large\.json \(Ctrl-C to stop\)/);
    const started = performance.now();
    cli.child.kill("SIGINT");
    expect(await cli.exited).toBe(130);
    expect(cli.output().stdout).not.toContain("listening");
    expect(performance.now() - started).toBeLessThan(30_000);
  });

  // Starting the mock's process takes Prism's load; on two shared cores that overran 30 s once.
  it("prints the URL when ready, answers, and stops cleanly on SIGTERM", { timeout: 120_000 }, async () => {
    const cli = startCli(["--port", "0"]);
    const stdout = await cli.printed(/listening on (http:\/\/\S+)/);
    const url = /listening on (http:\/\/\S+)/.exec(stdout)?.[1] as string;
    expect((await fetch(`${url}/static/plug.js`)).status).toBe(200);
    cli.child.kill("SIGTERM");
    expect(await cli.exited).toBe(0);
    expect(cli.output().stdout).toContain("mock stopped");
    await expect(fetch(`${url}/static/plug.js`)).rejects.toThrow();
  });

  it("exits 1 with a clear message when the port is taken", async () => {
    const port = new URL(inject("devrevMockUrl")).port;
    const cli = startCli(["--port", port]);
    expect(await cli.exited).toBe(1);
    expect(cli.output().stderr).toBe(
      `error: port ${port} on 127.0.0.1 is already in use: stop whatever holds it, or pass --port with another (0 picks a free one)\n`,
    );
  });

  it("names the spec it serves in its banner, not DevRev's route, when given one", () => {
    const server = { url: "http://127.0.0.1:4010", address: "127.0.0.1:4010", loopback: true };
    const own = mockBanner(server, "127.0.0.1", "my.yaml").banner.split("\n");
    expect(own.slice(0, 2)).toEqual([
      "Mock listening on http://127.0.0.1:4010",
      "  API:      http://127.0.0.1:4010, the operations of my.yaml",
    ]);
    expect(own.join("\n")).not.toContain("auth-tokens.create");
    expect(mockBanner(server, "127.0.0.1").banner).toContain(
      "  API:      POST http://127.0.0.1:4010/auth-tokens.create",
    );
  });

  it("rejects a bad --port", async () => {
    const cli = startCli(["--port", "http"]);
    expect(await cli.exited).toBe(2);
    expect(cli.output().stderr).toContain('--port must be a whole number from 0 to 65535, not "http"');
  });
});
