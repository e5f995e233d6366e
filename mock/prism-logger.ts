import { createLogger } from "@stoplight/prism-core";
import type { MockServerOptions } from "./mock-api.js";

type PrismLogger = ReturnType<typeof createLogger>;

/**
 * Prism's pino logger, or, when silent, a stand-in that drops everything:
 * Prism makes several child loggers per request, and even a silent pino pays
 * for building each one (a few per cent of the mock's throughput).
 */
export function loggerFor(level: NonNullable<MockServerOptions["logLevel"]>): PrismLogger {
  if (level !== "silent") return createLogger("MOCK", { level }, process.stderr);
  const drop = () => {};
  const silent = {
    level: "silent",
    isLevelEnabled: () => false,
    child: () => silent,
    ...Object.fromEntries(
      ["fatal", "error", "warn", "info", "debug", "trace", "success", "silent"].map((name) => [name, drop]),
    ),
  };
  return silent as unknown as PrismLogger;
}
