import { ConfigurationError } from "./errors.js";
import type { TokenStore } from "./token-store.js";

/**
 * A connected Redis client: node-redis (`redis`, v4 or later), which sends
 * raw commands with `sendCommand([...])`, or ioredis, with `call(...)`. Only
 * these are used, so neither package is a dependency of this one.
 */
export type RedisClientLike =
  | { sendCommand(args: string[], options?: { timeout?: number }): Promise<unknown> }
  | { call(command: string, ...args: string[]): Promise<unknown> };

export interface RedisTokenStoreOptions {
  /** Prepended to every key, to share a Redis with other data. @default "devrev-plug-session:" */
  prefix?: string;
}

// Deletes the lock only while it is still this holder's: one whose TTL ran out may be another's by now.
const RELEASE = 'if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end';

/**
 * A token store on Redis, with the lock that lets a fleet mint one token per
 * user: `SET lock NX PX ttl`, released by its holder (compare and delete) or
 * expired when the holder died. Pass it to `createTokenCache({ store })`.
 * Entries are `SET ... PX`, so Redis drops each before its token expires.
 */
export function createRedisTokenStore(client: RedisClientLike, options: RedisTokenStoreOptions = {}): TokenStore {
  const { prefix = "devrev-plug-session:" } = options;
  if (typeof prefix !== "string") throw new ConfigurationError("createRedisTokenStore: `prefix` must be a string");
  const send = commandSender(client);
  const text = (reply: unknown) => (reply instanceof Uint8Array ? new TextDecoder().decode(reply) : reply);

  return {
    get: async (key) => text(await send(["GET", `${prefix}${key}`])) ?? undefined,
    set: (key, value, ttlMs) => send(["SET", `${prefix}${key}`, value, "PX", String(Math.max(1, Math.ceil(ttlMs)))]),
    delete: (key) => send(["DEL", `${prefix}${key}`]),
    async lock(key, ttlMs) {
      const lockKey = `${prefix}lock:${key}`;
      const holder = crypto.randomUUID();
      const taken = await send(["SET", lockKey, holder, "NX", "PX", String(Math.max(1, Math.ceil(ttlMs)))]);
      return taken === null || taken === undefined ? undefined : () => send(["EVAL", RELEASE, "1", lockKey, holder]);
    },
  };
}

/** node-redis's command options for no timeout of its own (0 turns its `timeout` off). */
const NO_CLIENT_TIMEOUT = { timeout: 0 };

function commandSender(client: RedisClientLike): (args: string[]) => Promise<unknown> {
  const candidate = client as Partial<Record<"call" | "sendCommand", unknown>> | null;
  // ioredis also has a sendCommand, taking its own Command objects: look for its `call` first.
  if (typeof candidate?.call === "function") {
    const ioredis = client as { call(command: string, ...args: string[]): Promise<unknown> };
    return ([command, ...args]) => ioredis.call(command as string, ...args);
  }
  if (typeof candidate?.sendCommand === "function") {
    const nodeRedis = client as { sendCommand(args: string[], options?: { timeout?: number }): Promise<unknown> };
    // node-redis 6 gives up on a command still queued after 5 s (an Error with no message), below a
    // longer storeTimeoutMs: the cache's bound is the one bound on a store call, so this call has none.
    return (args) => nodeRedis.sendCommand(args, NO_CLIENT_TIMEOUT);
  }
  throw new ConfigurationError(
    "createRedisTokenStore needs a connected node-redis (`redis`) or ioredis client: one with `sendCommand` or `call`",
  );
}
