import { type ChildProcess, spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { REMOVED_SIGNATURE } from "../../mock/exchange.js";
import { ROOT } from "../helpers/cli.js";
import { type DevRevStub, signedJwt, startDevRevStub } from "../helpers/devrev-stub.js";
import { useTempDirs } from "../helpers/temp-dir.js";
import { TEST_AAT } from "../helpers/tokens.js";

// The README's "Checking against the real DevRev" commands, run as written, with three
// substitutions: the stub for DevRev, a free port for 4010, and a temp folder for the file.

const tempDir = useTempDirs();
let stub: DevRevStub;
const running = new Set<ChildProcess>();

beforeAll(async () => {
  stub = await startDevRevStub();
});
afterAll(async () => {
  for (const child of running) child.kill("SIGKILL");
  await stub.close();
});

/** The first `sh` block under the section's heading, one command per line. */
async function readmeCommands(): Promise<string[]> {
  const readme = await readFile(join(ROOT, "README.md"), "utf8");
  const section = readme.split("\n## Checking against the real DevRev\n")[1]?.split("\n## ")[0] ?? "";
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? "";
  return block.split("\n").filter((line) => line.trim() !== "" && !line.startsWith("#"));
}

interface Command {
  env: Record<string, string>;
  argv: string[];
}

/** A README line as a process to start: `NAME=value` prefixes, then `npx devrev-plug-session` or `npm run conformance --`. */
function parse(line: string, substitutions: [string, string][]): Command {
  let text = line;
  for (const [from, to] of substitutions) text = text.replaceAll(from, to);
  const words = text.split(/\s+/);
  const env: Record<string, string> = {};
  while (/^[A-Z_]+=/.test(words[0] ?? "")) {
    const [name, value] = (words.shift() as string).split(/=(.*)/s) as [string, string];
    env[name] = value.replace(/^"(.*)"$/, "$1");
  }
  const head = words.splice(0, 2).join(" ");
  if (head === "npx devrev-plug-session") return { env, argv: ["src/cli/main.ts", ...words] };
  if (head === "npm run" && words[0] === "conformance" && words[1] === "--") {
    return { env, argv: ["src/cli/npm-conformance.ts", ...words.slice(2)] };
  }
  throw new Error(`the README's command is not one this test knows how to run: ${line}`);
}

function start({ env, argv }: Command) {
  const child = spawn(process.execPath, ["--import", "tsx", ...argv], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk) => (stdout += chunk));
  child.stderr?.on("data", (chunk) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on("exit", (code) => {
      running.delete(child);
      resolve({ code, stdout, stderr });
    }),
  );
  const listening = new Promise<string>((resolve, reject) => {
    child.stdout?.on("data", () => {
      const url = /listening on (http:\/\/\S+)/.exec(stdout)?.[1];
      if (url) resolve(url);
    });
    void exited.then(({ code }) => reject(new Error(`exited with ${code} before listening: ${stderr}`)));
  });
  // Only servers are waited on for their URL: for the other commands this never settles usefully.
  listening.catch(() => undefined);
  return { child, exited, listening };
}

it("the README's commands proxy, record, check and replay, with the AAT reaching only DevRev", async () => {
  const [proxyLine, tokenLine, checkLine, replayLine] = await readmeCommands();
  expect([proxyLine, tokenLine, checkLine, replayLine].every(Boolean)).toBe(true);
  const file = join(await tempDir(), "devrev.jsonl");
  const common: [string, string][] = [
    ["https://api.devrev.ai", stub.url],
    ["--port 4010", "--port 0"],
    ["devrev.jsonl", file],
    ["$YOUR_AAT", TEST_AAT],
  ];

  const proxy = start(parse(proxyLine as string, common));
  const proxyUrl = await proxy.listening;
  const minted = start(parse(tokenLine as string, [["http://127.0.0.1:4010", proxyUrl], ...common]));
  const { code, stdout } = await minted.exited;
  expect(code).toBe(0);
  const token = signedJwt({ sub: "don:ada", exp: 2_000_000_000 });
  expect(stdout.split("\n")[0]).toBe(token);
  expect(stub.requests.at(-1)?.headers.authorization).toBe(TEST_AAT);
  proxy.child.kill("SIGTERM");
  expect((await proxy.exited).code).toBe(0);

  const recorded = await readFile(file, "utf8");
  expect(recorded.trim().split("\n")).toHaveLength(1);
  expect(recorded).not.toContain(TEST_AAT);

  const check = await start(parse(checkLine as string, common)).exited;
  expect(check).toMatchObject({ code: 0, stdout: expect.stringContaining("all 1 recorded exchanges") });

  await stub.close();
  const replay = start(parse(replayLine as string, common));
  const replayUrl = await replay.listening;
  const again = await start(parse(tokenLine as string, [["http://127.0.0.1:4010", replayUrl], ...common])).exited;
  expect(again.code).toBe(0);
  expect(again.stdout.split("\n")[0]).toBe(`${token.slice(0, token.lastIndexOf("."))}.${REMOVED_SIGNATURE}`);
  replay.child.kill("SIGTERM");
  expect((await replay.exited).code).toBe(0);
  // Five processes, each compiling TypeScript as it starts: a limit, not a measure.
}, 180_000);
