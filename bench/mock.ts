import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePort, ROOT, timeServerStart } from "./process.js";
import { interleaved, type Row, ratioRow, summarize } from "./stats.js";

const SPEC = join(ROOT, "spec/auth-tokens.openapi.yaml");
const DEVREV = join(ROOT, "../shared/specs/devrev-public-openapi.yaml");
const PRISM = join(ROOT, "node_modules/@stoplight/prism-cli/dist/index.js");
const OUR_MOCK = [join(ROOT, "scripts/run.mjs"), "mock/cli.ts"];
const BODY = JSON.stringify({ rev_info: { user_ref: "user-123", user_traits: { display_name: "Ada" } } });

const ours = (port: number, spec = SPEC) => [...OUR_MOCK, "--port", String(port), "--spec", spec];
const prismCli = (port: number, spec = SPEC) => [PRISM, "mock", spec, "-p", String(port), "-h", "127.0.0.1"];
// The floor: the cheapest server that gives the same answer.
const floor = (port: number) => [
  "-e",
  `require("node:http").createServer((q, s) => { q.resume(); q.on("end", () => s.writeHead(201, { "content-type": "application/json" }).end(${JSON.stringify(
    JSON.stringify({ access_token: "a.b.c", expires_in: 1, token_type: "bearer" }),
  )})); }).listen(${port}, "127.0.0.1")`,
];

// A token was issued: the Prism CLI answers the lowest documented 2xx (200), ours 201 as DevRev does.
const created = async (base: string) =>
  (
    await fetch(`${base}/auth-tokens.create`, {
      method: "POST",
      headers: { authorization: "bench", "content-type": "application/json" },
      body: BODY,
    })
  ).ok;
// DevRev's own spec wants a bearer token; its request body has no required field.
const createdDevRev = async (base: string) =>
  (
    await fetch(`${base}/auth-tokens.create`, {
      method: "POST",
      headers: { authorization: "Bearer bench", "content-type": "application/json" },
      body: "{}",
    })
  ).ok;

export async function mockStartAndThroughput(rounds: number): Promise<Row[]> {
  const startOnce =
    (args: (port: number) => string[], ready = created) =>
    async () => {
      const port = await freePort();
      const server = await timeServerStart(args(port), port, ready);
      await server.stop();
      return server.ms;
    };
  const cold = await interleaved(rounds, { ours: startOnce((p) => ours(p)), prism: startOnce((p) => prismCli(p)) });
  const rows: Row[] = [
    {
      ...ratioRow("mock", "cold start to first 201: our mock vs Prism CLI", "ms", cold.ours, "Prism CLI", cold.prism),
      target: "<= 1000 ms",
      met: summarize(cold.ours).median <= 1000,
    },
  ];
  if (existsSync(DEVREV)) {
    const big = await interleaved(1, {
      ours: startOnce((p) => ours(p, DEVREV), createdDevRev),
      prism: startOnce((p) => prismCli(p, DEVREV), createdDevRev),
    });
    rows.push(ratioRow("mock", "cold start to first 201, DevRev public spec", "ms", big.ours, "Prism CLI", big.prism));
  }

  const throughput = (args: (port: number) => string[]) => async () => {
    const port = await freePort();
    const server = await timeServerStart(args(port), port, created);
    try {
      return await load(`http://127.0.0.1:${port}`, 32, 3_000);
    } finally {
      await server.stop();
    }
  };
  const t = await interleaved(rounds, {
    ours: throughput((p) => ours(p)),
    prism: throughput((p) => prismCli(p)),
    floor: throughput(floor),
  });
  rows.push(
    ratioRow("mock", "throughput: our mock vs Prism CLI (default logging)", "req/s", t.ours, "Prism CLI", t.prism, {
      min: 2,
    }),
    ratioRow("mock", "throughput: our mock vs bare node:http (the floor)", "req/s", t.ours, "node:http", t.floor),
  );
  return rows;
}

const WRK = ["/usr/bin/wrk", "/usr/local/bin/wrk"].find((path) => existsSync(path));

/**
 * Requests per second answered 201 over `ms` milliseconds with `concurrency`
 * keep-alive connections. wrk (Debian's `wrk`) when installed, since a load
 * generator in JavaScript competes with the server for the same two cores;
 * otherwise a `node:http` loop.
 */
async function load(base: string, concurrency: number, ms: number): Promise<number> {
  return WRK ? loadWithWrk(WRK, base, concurrency, ms) : loadWithNode(base, concurrency, ms);
}

async function loadWithWrk(wrk: string, base: string, concurrency: number, ms: number): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), "bench-wrk-"));
  try {
    const script = join(dir, "post.lua");
    await writeFile(
      script,
      `wrk.method = "POST"\nwrk.body = ${JSON.stringify(BODY)}\nwrk.headers["Content-Type"] = "application/json"\nwrk.headers["Authorization"] = "bench"\n`,
    );
    const { stdout } = await promisify(execFile)(wrk, [
      "-t1",
      `-c${concurrency}`,
      `-d${ms / 1000}s`,
      "-s",
      script,
      `${base}/auth-tokens.create`,
    ]);
    if (/Non-2xx/.test(stdout)) throw new Error(`some answers were not 201:\n${stdout}`);
    return Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function loadWithNode(base: string, concurrency: number, ms: number): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const url = new URL(`${base}/auth-tokens.create`);
  const headers = {
    authorization: "bench",
    "content-type": "application/json",
    "content-length": Buffer.byteLength(BODY),
  };
  const one = () =>
    new Promise<number>((resolve, reject) => {
      const req = request(url, { method: "POST", agent, headers }, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      });
      req.on("error", reject);
      req.end(BODY);
    });
  let ok = 0;
  const deadline = performance.now() + ms;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) if (Math.floor((await one()) / 100) === 2) ok++;
    }),
  );
  agent.destroy();
  return ok / ((performance.now() - started) / 1000);
}
