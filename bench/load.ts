import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

/** The request every load test sends: a rev_info session token request. */
export const BODY = JSON.stringify({ rev_info: { user_ref: "user-123", user_traits: { display_name: "Ada" } } });

const WRK = ["/usr/bin/wrk", "/usr/local/bin/wrk"].find((path) => existsSync(path));

/**
 * Requests per second answered 201 over `ms` milliseconds with `concurrency`
 * keep-alive connections. wrk (Debian's `wrk`) when installed, since a load
 * generator in JavaScript competes with the server for the same two cores;
 * otherwise a `node:http` loop. With `tokens` above 1, the requests take
 * turns at that many `Authorization` values, so a server that rate-limits
 * each token (our mock, as DevRev does) answers them all.
 */
export async function load(base: string, concurrency: number, ms: number, body = BODY, tokens = 1): Promise<number> {
  return WRK
    ? loadWithWrk(WRK, base, concurrency, ms, body, tokens)
    : loadWithNode(base, concurrency, ms, body, tokens);
}

/** The `Authorization` of the `n`th request. */
const authorization = (n: number, tokens: number) => (tokens > 1 ? `bench-${n % tokens}` : "bench");

async function loadWithWrk(
  wrk: string,
  base: string,
  concurrency: number,
  ms: number,
  body: string,
  tokens: number,
): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), "bench-wrk-"));
  try {
    const script = join(dir, "post.lua");
    await writeFile(
      script,
      `wrk.method = "POST"\nwrk.body = ${JSON.stringify(body)}\nwrk.headers["Content-Type"] = "application/json"\nwrk.headers["Authorization"] = "bench"\n${
        tokens > 1
          ? `local n = 0\nrequest = function()\n  n = n + 1\n  return wrk.format(nil, nil, { ["Content-Type"] = "application/json", ["Authorization"] = "bench-" .. (n % ${tokens}) })\nend\n`
          : ""
      }`,
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

async function loadWithNode(
  base: string,
  concurrency: number,
  ms: number,
  body: string,
  tokens: number,
): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const url = new URL(`${base}/auth-tokens.create`);
  const headers = {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(body),
  };
  let sent = 0;
  const one = () =>
    new Promise<number>((resolve, reject) => {
      const perRequest = { ...headers, authorization: authorization(sent++, tokens) };
      const req = request(url, { method: "POST", agent, headers: perRequest }, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      });
      req.on("error", reject);
      req.end(body);
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
