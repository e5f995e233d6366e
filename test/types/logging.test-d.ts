import { describe, expectTypeOf, it } from "vitest";
import { toNodeHandler } from "../../src/node/index.js";
import { createDevRevClient, createSessionTokenHandler, type Logger } from "../../src/server/index.js";

describe("logging options", () => {
  it("take console, or anything console-shaped, and a level by name", () => {
    createDevRevClient({ token: "aat", logger: console, logLevel: "debug" });
    const pinoLike = { debug() {}, info() {}, warn() {}, error() {}, fatal() {} };
    createSessionTokenHandler({
      client: () => createDevRevClient({ token: "aat" }),
      identify: () => null,
      logger: pinoLike,
    });
    expectTypeOf(console).toExtend<Logger>();
    // @ts-expect-error: no such level
    createDevRevClient({ token: "aat", logLevel: "verbose" });
    createSessionTokenHandler({
      client: () => createDevRevClient({ token: "aat" }),
      identify: () => null,
      // @ts-expect-error: a logger needs all four methods
      logger: { warn() {} },
    });
  });
});

describe("toNodeHandler", () => {
  it("takes its options as an object", () => {
    const handler = async () => new Response(null);
    toNodeHandler(handler, { onError: () => {}, maxBodyBytes: 1024 });
    // @ts-expect-error: the error callback is an option now, not the second argument
    toNodeHandler(handler, () => {});
  });
});
