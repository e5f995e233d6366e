import { fileURLToPath } from "node:url";
import { createLogger } from "@stoplight/prism-core";
import { getHttpOperationsFromSpec } from "@stoplight/prism-http";
import { createServer } from "@stoplight/prism-http-server";
import { loadSpec } from "../scripts/load-spec.js";
import { personalizedMock } from "./personalize.js";
import { plugSdkDocument } from "./plug-sdk-route.js";

/** The spec the mock serves unless told otherwise. */
export const DEFAULT_SPEC = fileURLToPath(new URL("../spec/auth-tokens.openapi.yaml", import.meta.url));

export interface MockServerOptions {
  /** 0 picks a free port. @default 0 */
  port?: number;
  /** Loopback by default: the mock is for this machine only. @default "127.0.0.1" */
  host?: string;
  /** The OpenAPI document to serve. @default the bundled auth-tokens spec */
  spec?: string;
  /** Prism's log level, printed to stderr. @default "silent" */
  logLevel?: "silent" | "error" | "warn" | "info" | "debug";
}

export interface MockServer {
  /** Base URL, such as `http://127.0.0.1:4010`; the fake SDK is at `${url}/static/plug.js`. */
  url: string;
  close(): Promise<void>;
}

/** The mock could not start: a bad spec, or the port is taken. */
export class MockServerError extends Error {
  override name = "MockServerError";
}

/**
 * Starts Prism in this process, serving the spec and the fake PLuG SDK, and
 * resolves once a request to it has been answered.
 */
export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const { port = 0, host = "127.0.0.1", spec = DEFAULT_SPEC, logLevel = "silent" } = options;
  let document: unknown;
  try {
    // The generator's loader reports a bad spec with file, line and column.
    document = (await loadSpec(spec)).document;
  } catch (error) {
    throw new MockServerError(`cannot serve the spec: ${(error as Error).message}`, { cause: error });
  }
  const operations = [
    ...(await getHttpOperationsFromSpec(document as object)),
    ...(await getHttpOperationsFromSpec(await plugSdkDocument())),
  ];
  const server = createServer(operations, {
    cors: true,
    config: {
      checkSecurity: true,
      validateRequest: true,
      validateResponse: true,
      errors: false,
      upstreamProxy: undefined,
      isProxy: false,
      mock: { dynamic: false },
    },
    components: { logger: loggerFor(logLevel), mock: personalizedMock },
  });

  let address: string;
  try {
    address = await server.listen(port, host);
  } catch (error) {
    // Prism rejects with the bare message string.
    const message = String(error instanceof Error ? error.message : error);
    throw new MockServerError(
      message.includes("EADDRINUSE")
        ? `port ${port} on ${host} is already in use: stop whatever holds it, or pick another port`
        : `cannot listen on ${host}:${port}: ${message}`,
    );
  }
  const url = address.replace("//0.0.0.0:", "//127.0.0.1:").replace("//[::]:", "//[::1]:");
  await waitUntilAnswering(`${url}/static/plug.js`);
  return { url, close: () => server.close() };
}

type PrismLogger = ReturnType<typeof createLogger>;

/**
 * Prism's pino logger, or, when silent, a stand-in that drops everything:
 * Prism makes several child loggers per request, and even a silent pino pays
 * for building each one (a few per cent of the mock's throughput).
 */
function loggerFor(level: NonNullable<MockServerOptions["logLevel"]>): PrismLogger {
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

async function waitUntilAnswering(url: string): Promise<void> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 50; attempt++) {
    try {
      const response = await fetch(url);
      await response.arrayBuffer();
      if (response.ok) return;
      lastError = new Error(`status ${response.status}`);
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new MockServerError(`the mock never answered at ${url}`, { cause: lastError });
}
