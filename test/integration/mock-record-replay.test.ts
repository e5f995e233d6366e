import { type ChildProcess, spawn } from "node:child_process";
import { copyFile, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { sanitizer } from "../../mock/exchange.js";
import { MockServerError, startMockServer } from "../../mock/index.js";
import { DEFAULT_SPEC } from "../../mock/mock-api.js";
import { liveConformanceCli } from "../../scripts/repo/live-conformance.js";
import { type DevRevStub, startDevRevStub } from "../helpers/devrev-stub.js";
import { useTempDirs } from "../helpers/temp-dir.js";
import { TEST_AAT } from "../helpers/tokens.js";

const MOCK_CLI = fileURLToPath(new URL("../../src/cli/npm-mock.ts", import.meta.url));
const tempDir = useTempDirs();

let run = 0;
/** The requests an app would make; `seen_at` differs on every run, as a timestamp does. */
const requests = () => [
  { rev_info: { user_ref: "ada", user_traits: { display_name: "Ada" } } },
  {
    rev_info: {
      user_ref: "tim",
      user_traits: { custom_fields: { seen_at: new Date(Date.UTC(2026, 0, 1, 0, 0, run++)).toISOString() } },
    },
  },
  { rev_info: { user_ref: "no-token-type" } },
  { rev_info: { user_ref: "unknown-type" } },
  { rev_info: { user_ref: "echo" } },
  {},
];

interface Answer {
  status: number;
  contentType: string | null;
  text: string;
}

async function send(baseUrl: string, body: unknown): Promise<Answer> {
  const response = await fetch(`${baseUrl}/auth-tokens.create`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: TEST_AAT },
    body: JSON.stringify(body),
  });
  return { status: response.status, contentType: response.headers.get("content-type"), text: await response.text() };
}

const sendAll = async (baseUrl: string) => {
  const answers: Answer[] = [];
  for (const body of requests()) answers.push(await send(baseUrl, body));
  return answers;
};

/** `mock --replay FILE` in a process of its own, as a user runs it; resolves with its URL. */
async function replayCli(file: string): Promise<{ url: string; child: ChildProcess; stderr: () => string }> {
  const child = spawn(process.execPath, ["--import", "tsx", MOCK_CLI, "--replay", file, "--port", "0"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stderr?.on("data", (chunk) => (stderr += chunk));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on("data", (chunk) => {
      stdout += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(stdout);
      if (match?.[1]) resolve(match[1]);
    });
    child.on("exit", (code) => reject(new Error(`mock --replay exited with ${code}: ${stderr}`)));
  });
  return { url, child, stderr: () => stderr };
}

let stub: DevRevStub;
let recording: string;
/** What the app got through the proxy while recording. */
let live: Answer[];

beforeAll(async () => {
  stub = await startDevRevStub();
  recording = join(await tempDir(), "devrev.jsonl");
  const proxy = await startMockServer({ proxy: stub.url, record: recording });
  live = await sendAll(proxy.url);
  await proxy.close();
  // Replay needs no upstream: it is gone before any replay starts.
  await stub.close();
});

/** The live answers as a recording may hold them: no AAT, no JWT signature. */
const recordable = () => live.map((answer) => ({ ...answer, text: sanitizer(TEST_AAT)(answer.text) }));

describe("record, then replay with the upstream stopped", () => {
  it("records every exchange, one JSON line each, with the AAT and signatures removed", async () => {
    const text = await readFile(recording, "utf8");
    const lines = text
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines.map((l) => [l.request.method, l.request.path, l.response.status])).toEqual(
      live.map((a) => ["POST", "/auth-tokens.create", a.status]),
    );
    expect(text).not.toContain(TEST_AAT);
    expect(lines[0].request).toMatchObject({
      headers: { authorization: "[REDACTED]", "content-type": "application/json" },
      body: requests()[0],
    });
    expect(lines[0].response.body.access_token).toMatch(/^eyJ[\w-]+\.eyJ[\w-]+\.signature-removed$/);
    expect(lines[2].violations).toContainEqual(expect.objectContaining({ side: "response", path: "body" }));
    expect(lines[0].violations).toEqual([]);
  });

  it("startMockServer({ replay }) answers the same requests with the recorded bytes", async () => {
    const replay = await startMockServer({ replay: recording });
    try {
      const replayed = await sendAll(replay.url);
      expect(replayed).toEqual(recordable());
      // Answers that carried no token and no AAT are the very bytes the app got live.
      expect(replayed[3]).toEqual(live[3]);
      expect(replayed[5]).toEqual(live[5]);
      // Each exchange once more: a request recorded once answers the same every time.
      expect(await sendAll(replay.url)).toEqual(recordable());
      const journal = await replay.requests();
      expect(journal[2]?.violations).toContainEqual(expect.objectContaining({ side: "response", path: "body" }));
    } finally {
      await replay.close();
    }
  });

  it("`mock --replay FILE` serves the recording made by these tests", async () => {
    const { url, child } = await replayCli(recording);
    try {
      expect(await sendAll(url)).toEqual(recordable());
    } finally {
      child.kill("SIGTERM");
    }
    // A process that compiles TypeScript as it starts: a limit, not a measure.
  }, 90_000);

  it("answers a request recorded twice with its answers in recorded order, the last one repeating", async () => {
    const twice = join(await tempDir(), "twice.jsonl");
    const first = JSON.parse((await readFile(recording, "utf8")).split("\n")[0] as string);
    const limited = {
      ...first,
      response: {
        status: 429,
        headers: { "content-type": "application/json" },
        body: { type: "too_many_requests", message: "Later." },
      },
    };
    await writeFile(twice, `${JSON.stringify(limited)}\n${JSON.stringify(first)}\n`);
    const replay = await startMockServer({ replay: twice });
    try {
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await send(replay.url, requests()[0])).status);
      expect(statuses).toEqual([429, 201, 201]);
    } finally {
      await replay.close();
    }
  });

  it("answers an unrecorded request with a 404 naming the closest recorded one", async () => {
    const replay = await startMockServer({ replay: recording });
    try {
      const missed = await send(replay.url, { rev_info: { user_ref: "adb", user_traits: { display_name: "Ada" } } });
      expect(missed.status).toBe(404);
      expect(JSON.parse(missed.text)).toEqual({
        type: "not_found",
        message: `no exchange recorded in ${recording} matches POST /auth-tokens.create; the closest is line 1 (POST /auth-tokens.create -> 201), whose body differs at rev_info.user_ref.`,
      });
    } finally {
      await replay.close();
    }
  });
});

describe("a recording is checked against the spec when loaded", () => {
  it("fails loudly, naming file and line, when the spec contradicts a recorded answer", async () => {
    const dir = await tempDir();
    const contradicted = join(dir, "contradicted.jsonl");
    const lines = (await readFile(recording, "utf8")).trim().split("\n");
    const first = JSON.parse(lines[0] as string);
    // The same contradiction a spec change makes: the recorded answer's expiry is not what the spec says.
    first.response.body.expires_in = "soon";
    await writeFile(contradicted, `${[JSON.stringify(first), ...lines.slice(1)].join("\n")}\n`);
    const error = await startMockServer({ replay: contradicted }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MockServerError);
    expect((error as Error).message).toMatch(
      new RegExp(
        `contradicted\\.jsonl:1 \\(POST /auth-tokens\\.create -> 201\\): response body\\.expires_in: .*integer`,
      ),
    );
    // The violations flagged when recording (line 3's missing token_type) are known, not contradictions.
    expect((error as Error).message).not.toContain("contradicted.jsonl:3");
  });

  it("names the file and line of a line that is not an exchange", async () => {
    const broken = join(await tempDir(), "broken.jsonl");
    await copyFile(recording, broken);
    await writeFile(broken, '{"request": {"method": "POST"}}\n', { flag: "a" });
    const error = await startMockServer({ replay: broken }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MockServerError);
    expect((error as Error).message).toMatch(/broken\.jsonl:7: not a recorded exchange: request\.path/);
  });
});

describe("conformance --live: where the recorded answers differ from the spec", () => {
  /** Runs the command in this process, keeping what it prints. */
  async function live(file: string) {
    const out: string[] = [];
    const err: string[] = [];
    const stdout = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => out.push(String(chunk)) > 0);
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => err.push(String(chunk)) > 0);
    try {
      const code = await liveConformanceCli(file, DEFAULT_SPEC);
      return { code, stdout: out.join(""), stderr: err.join("") };
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
    }
  }

  it("prints one line per difference, naming file, line and exchange, and exits 1", async () => {
    const { code, stderr } = await live(recording);
    expect(code).toBe(1);
    const lines = stderr.trim().split("\n");
    expect(lines.every((line) => line.startsWith(`live difference: ${recording}:`))).toBe(true);
    expect(lines).toContainEqual(
      expect.stringMatching(/:3 POST \/auth-tokens\.create -> 201: response body: .*token_type/),
    );
    expect(lines.some((line) => line.includes(":4 POST /auth-tokens.create -> 400: response body"))).toBe(true);
    expect(lines.some((line) => line.includes(":6 POST /auth-tokens.create -> 400: request body"))).toBe(true);
    expect(lines.some((line) => /:[125] /.test(line))).toBe(false);
  });

  it("exits 0 when every exchange matches the spec, and 2 for a file that is not a recording", async () => {
    const dir = await tempDir();
    const clean = join(dir, "clean.jsonl");
    const [first, second] = (await readFile(recording, "utf8")).split("\n");
    await writeFile(clean, `${first}\n${second}\n`);
    expect(await live(clean)).toEqual({
      code: 0,
      stdout: `conformance: all 2 recorded exchanges in ${clean} match the spec\n`,
      stderr: "",
    });
    const empty = join(dir, "empty.jsonl");
    await writeFile(empty, "");
    expect(await live(empty)).toMatchObject({ code: 2, stderr: expect.stringContaining("holds no exchange") });
    expect(await live(join(dir, "missing.jsonl"))).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("cannot read"),
    });
  });
});

afterAll(() => stub?.close());
