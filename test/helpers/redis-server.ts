import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";

/** Debian's redis-server (`apt-get install redis-server`), never a downloaded one. */
export const redisServerPath = [process.env.REDIS_SERVER_PATH, "/usr/bin/redis-server"].find((path): path is string =>
  Boolean(path && existsSync(path)),
);

/**
 * Whether Redis tests run. Locally a missing redis-server skips them with a
 * loud warning; under CI=true it is a failure, never a skip.
 */
export function redisTestsEnabled(suite: string): boolean {
  if (redisServerPath) return true;
  const message = `redis-server not found (looked for $REDIS_SERVER_PATH and /usr/bin/redis-server): ${suite} cannot run. Install it with: apt-get install -y redis-server`;
  if (process.env.CI === "true") throw new Error(message);
  console.warn(`\n${"!".repeat(80)}\nSKIPPING ${suite}: ${message}\n${"!".repeat(80)}\n`);
  return false;
}

export interface RedisServer {
  /** `redis://127.0.0.1:PORT` */
  url: string;
  port: number;
  /** SIGKILL, as a crash would: no goodbye to clients. Resolves once the process is gone. */
  kill(): Promise<void>;
  /** What the server has logged (the last 64 KiB), for a failing test to show. */
  log(): string;
}

/**
 * A throwaway redis-server on a free loopback port, without persistence
 * (`--save ""`, `--appendonly no`). Redis cannot be told to pick a port
 * itself (`--port 0` means no TCP), so a free one is found first, and another
 * is tried if it was taken in between.
 */
export async function startRedisServer(): Promise<RedisServer> {
  if (!redisServerPath) throw new Error("redis-server not found; check redisTestsEnabled() first");
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    try {
      const { child, log } = await spawnReady(redisServerPath, port);
      const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      return {
        log,
        url: `redis://127.0.0.1:${port}`,
        port,
        kill: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
          await gone;
        },
      };
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

function spawnReady(path: string, port: number): Promise<{ child: ChildProcess; log: () => string }> {
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"];
  const child = spawn(path, [...args, "--dir", "/tmp", "--loglevel", "notice"], { stdio: ["ignore", "pipe", "pipe"] });
  // Killed with the test process, even when a test forgets to.
  process.once("exit", () => child.kill("SIGKILL"));
  return new Promise((resolve, reject) => {
    let output = "";
    const keep = (chunk: Buffer) => {
      output = (output + chunk).slice(-65_536);
    };
    const onData = (chunk: Buffer) => {
      keep(chunk);
      if (output.includes("Ready to accept connections")) {
        child.stdout?.off("data", onData);
        child.stdout?.on("data", keep);
        resolve({ child, log: () => output });
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", keep);
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`redis-server exited (${code}) before it was ready:\n${output}`)));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}
