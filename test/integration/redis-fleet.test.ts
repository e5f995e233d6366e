import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MockServer, startMockServer } from "../../mock/index.js";
import { type RedisServer, redisTestsEnabled, startRedisServer } from "../helpers/redis-server.js";
import { TEST_AAT } from "../helpers/tokens.js";

const enabled = redisTestsEnabled("the Redis fleet test");
const INSTANCE = fileURLToPath(new URL("./redis-fleet-instance.ts", import.meta.url));
const PROCESSES = 4;
const REQUESTS = 1000;

interface Instance {
  child: ChildProcess;
  port: number;
  arrived: number;
  errors: string[];
}

describe.runIf(enabled)("a fleet of processes on one Redis", () => {
  let redis: RedisServer;
  let mock: MockServer;
  const instances: Instance[] = [];

  beforeAll(async () => {
    [redis, mock] = await Promise.all([startRedisServer(), startMockServer()]);
    // Half on node-redis, half on ioredis: both clients share one store's entries and locks.
    const spawned = Array.from({ length: PROCESSES }, (_, i) => spawnInstance(i % 2 ? "ioredis" : "node-redis"));
    instances.push(...(await Promise.all(spawned)));
  });
  afterAll(async () => {
    for (const { child } of instances) child.kill();
    await Promise.all([redis?.kill(), mock?.close()]);
  });

  function spawnInstance(client: string): Promise<Instance> {
    const child = fork(INSTANCE, [], {
      execArgv: ["--import", "tsx"],
      env: { ...process.env, REDIS_URL: redis.url, MOCK_URL: mock.url, DEVREV_AAT: TEST_AAT, REDIS_CLIENT: client },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    return new Promise((resolve, reject) => {
      const instance: Instance = { child, port: 0, arrived: 0, errors: [] };
      child.on("message", (message: { port?: number; arrived?: number; error?: string }) => {
        if (message.arrived) instance.arrived = message.arrived;
        if (message.error) instance.errors.push(message.error);
        if (message.port) {
          instance.port = message.port;
          resolve(instance);
        }
      });
      child.once("exit", (code) => reject(new Error(`a fleet instance exited (${code}) before listening`)));
    });
  }

  it(`${REQUESTS} concurrent requests for one user over ${PROCESSES} processes: one call to DevRev`, {
    timeout: 300_000,
  }, async () => {
    const answers = Array.from({ length: REQUESTS }, (_, i) =>
      fetch(`http://127.0.0.1:${instances[i % PROCESSES]?.port}/api/plug/session`, {
        method: "POST",
        headers: { "x-user": "ada" },
      }).then(async (response) => ({
        status: response.status,
        body: (await response.json()) as { session_token?: string },
      })),
    );
    // The barrier: every request is inside `identify` in its process before any goes on.
    const everyoneIn = () => instances.reduce((sum, instance) => sum + instance.arrived, 0) === REQUESTS;
    await new Promise<void>((resolve) => {
      const check = () => (everyoneIn() ? resolve() : setImmediate(check));
      check();
    });
    for (const { child } of instances) child.send("go");
    const results = await Promise.all(answers);
    expect(results.map((result) => result.status)).toEqual(Array(REQUESTS).fill(200));
    expect(new Set(results.map((result) => result.body.session_token)).size).toBe(1);
    expect(instances.flatMap((instance) => instance.errors)).toEqual([]);
    const mints = (await mock.requests()).filter((entry) => entry.path === "/auth-tokens.create");
    expect(mints).toHaveLength(1);
  });
});
