import { parseCommand, parsePort, unlessStopped, untilStopped } from "../scripts/command-line.js";
import { MockServerError, startMockServer } from "./mock-server.js";

const USAGE = `Usage: devrev-plug-session mock [--port N] [--host HOST] [--spec FILE] [--verbose]

Serves the DevRev auth-tokens API, the fake PLuG SDK and the test controls
(/__mock/scenarios, /__mock/requests, /__mock/reset) with Prism.

  --port N      port to listen on (default: 4010)
  --host HOST   interface to bind (default: 127.0.0.1)
  --spec FILE   OpenAPI document to serve (default: the bundled spec)
  --verbose     log each request to stderr
  --help        show this text`;

/** The `mock` command: returns the exit code (0 stopped cleanly, 1 could not start, 2 usage). */
export async function mockCli(argv: string[]): Promise<number> {
  const values = parseCommand(
    argv,
    {
      port: { type: "string", default: "4010" },
      host: { type: "string", default: "127.0.0.1" },
      spec: { type: "string" },
      verbose: { type: "boolean", default: false },
    },
    USAGE,
  );
  if (typeof values === "number") return values;
  const port = parsePort(values.port, "--port");
  if (port === undefined) return 2;

  const stopped = untilStopped();
  // A large spec takes seconds to load: say so, and that Ctrl-C works meanwhile.
  if (values.spec) process.stdout.write(`loading ${values.spec} (Ctrl-C to stop)\n`);
  try {
    const server = await unlessStopped(
      startMockServer({
        port,
        host: values.host,
        ...(values.spec ? { spec: values.spec } : {}),
        logLevel: values.verbose ? "info" : "silent",
      }),
      stopped,
    );
    process.stdout.write(
      `DevRev mock listening on ${server.url}\n  API:      POST ${server.url}/auth-tokens.create\n  PLuG SDK: ${server.url}/static/plug.js\n  Controls: ${server.url}/__mock/scenarios, /__mock/requests, /__mock/reset\n`,
    );
    await stopped;
    await server.close();
    process.stdout.write("mock stopped\n");
    return 0;
  } catch (error) {
    process.stderr.write(`error: ${error instanceof MockServerError ? error.message : String(error)}\n`);
    return 1;
  }
}
