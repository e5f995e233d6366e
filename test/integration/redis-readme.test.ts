import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MockServer, startMockServer } from "../../mock/index.js";
import { createDevRevClient, createSessionTokenHandler, type TokenCache } from "../../src/server/index.js";
import { ROOT } from "../helpers/cli.js";
import { type RedisServer, redisTestsEnabled, startRedisServer } from "../helpers/redis-server.js";
import { TEST_AAT } from "../helpers/tokens.js";

const enabled = redisTestsEnabled("the README's Redis snippets");

/** The TypeScript blocks of the README's "Running more than one server", in order. */
async function readmeSnippets(): Promise<string[]> {
  const readme = await readFile(join(ROOT, "README.md"), "utf8");
  const section = readme.split("\n## Running more than one server\n")[1]?.split("\n## ")[0] ?? "";
  return [...section.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((match) => match[1] as string);
}

describe.runIf(enabled)("README: Running more than one server", () => {
  let redis: RedisServer;
  let mock: MockServer;
  let admin: ReturnType<typeof createClient>;
  // Git ignores .tmp-* folders; inside the project, the snippets' imports resolve as an app's would.
  const dir = join(ROOT, "test/integration", `.tmp-readme-redis-${process.pid}`);

  beforeAll(async () => {
    [redis, mock] = await Promise.all([startRedisServer(), startMockServer()]);
    admin = createClient({ url: redis.url });
    await admin.connect();
    Object.assign(process.env, { REDIS_URL: redis.url, DEVREV_AAT: TEST_AAT, DEVREV_BASE_URL: mock.url });
    await mkdir(dir, { recursive: true });
    // "your identify, as above"
    await writeFile(
      join(dir, "session.ts"),
      'export const identify = (request: Request) => ({ user_ref: request.headers.get("x-user") ?? "" });\n',
    );
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    admin?.destroy();
    await Promise.all([redis?.kill(), mock?.close()]);
  });

  /** Writes the snippet as a module of an app (the package's name means this repository's source) and imports it. */
  async function load(index: number): Promise<Record<string, unknown>> {
    const snippet = (await readmeSnippets())[index];
    if (snippet === undefined) throw new Error(`the README section has no TypeScript block #${index + 1}`);
    const file = join(dir, `snippet-${index}.ts`);
    await writeFile(file, snippet.replaceAll('"devrev-plug-session/server"', '"../../../src/server/index.js"'));
    return import(file);
  }

  const ask = async (handler: (request: Request) => Promise<Response>, user: string) => {
    const response = await handler(
      new Request("http://app.test/api/plug/session", { method: "POST", headers: { "x-user": user } }),
    );
    expect(response.status).toBe(200);
    return ((await response.json()) as { session_token: string }).session_token;
  };
  const mints = async () => (await mock.requests()).filter((entry) => entry.path === "/auth-tokens.create").length;
  const keys = async () => (await admin.sendCommand(["KEYS", "*"])) as string[];

  it("has three snippets: node-redis, ioredis, Keyv", async () => {
    expect(await readmeSnippets()).toHaveLength(3);
  });

  it("node-redis: the handler mints once and stores the token sealed", async () => {
    const { handler } = (await load(0)) as { handler: (request: Request) => Promise<Response> };
    const token = await ask(handler, "ada");
    expect(await ask(handler, "ada")).toBe(token);
    expect(await mints()).toBe(1);
    expect(await keys()).toHaveLength(1);
  });

  it("ioredis: a cache on another connection, as another instance, is served the same token", async () => {
    const { cache } = (await load(1)) as { cache: TokenCache };
    const { handler } = (await load(0)) as { handler: (request: Request) => Promise<Response> };
    const other = createSessionTokenHandler({
      client: createDevRevClient({ token: TEST_AAT, baseUrl: mock.url }),
      identify: (request) => ({ user_ref: request.headers.get("x-user") ?? "" }),
      cache,
    });
    expect(await ask(other, "ada")).toBe(await ask(handler, "ada"));
    expect(await mints()).toBe(1);
  });

  it("Keyv: a cache whose entries land in Redis", async () => {
    const { cache } = (await load(2)) as { cache: TokenCache };
    const handler = createSessionTokenHandler({
      client: createDevRevClient({ token: TEST_AAT, baseUrl: mock.url }),
      identify: (request) => ({ user_ref: request.headers.get("x-user") ?? "" }),
      cache,
    });
    const before = (await keys()).length;
    await ask(handler, "grace");
    expect((await keys()).length).toBe(before + 1);
  });
});
