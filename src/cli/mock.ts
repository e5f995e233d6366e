import { CONTROL_PATHS, CONTROLS, controlPath } from "../../mock/control-plane.js";
import { type MockServer, MockServerError, upstreamOptionsProblem } from "../../mock/mock-api.js";
import { startMockServer } from "../../mock/mock-server.js";
import { parseCommand, parsePort, unlessStopped, untilStopped } from "./command-line.js";

const USAGE = `Usage: devrev-plug-session mock [--port N] [--host HOST] [--spec FILE] [--verbose]
       devrev-plug-session mock --proxy URL [--record FILE] [options]
       devrev-plug-session mock --replay FILE [options]

Serves the DevRev auth-tokens API, the fake PLuG SDK and the test controls
(${CONTROL_PATHS.join(", ")}) with Prism.

  --port N      port to listen on (default: 4010)
  --host HOST   interface to bind (default: 127.0.0.1)
  --spec FILE   OpenAPI document to serve (default: the bundled spec)
  --verbose     log each request to stderr
  --aat TOKEN   accept only this access token (raw or Bearer); others get 401
  --aat-public  the AAT is of kind aat:public: minted users are unverified
  --proxy URL   forward API requests to URL (https://api.devrev.ai) and
                validate both sides against the spec (see GET ${controlPath(CONTROLS.mockListRequests)})
  --record FILE with --proxy: append each exchange to FILE, secrets removed
  --replay FILE answer from a recording, with no upstream
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
      aat: { type: "string" },
      "aat-public": { type: "boolean", default: false },
      proxy: { type: "string" },
      record: { type: "string" },
      replay: { type: "string" },
    },
    USAGE,
  );
  if (typeof values === "number") return values;
  const port = parsePort(values.port, "--port");
  if (port === undefined) return 2;
  const misuse = upstreamOptionsProblem(values);
  if (misuse) {
    process.stderr.write(`error: ${misuse}\n`);
    return 2;
  }

  const stopped = untilStopped();
  // A large spec takes seconds to load: say so, and that Ctrl-C works meanwhile.
  if (values.spec) process.stdout.write(`loading ${values.spec} (Ctrl-C to stop)\n`);
  try {
    const server = await unlessStopped(
      startMockServer({
        port,
        host: values.host,
        ...(values.spec ? { spec: values.spec } : {}),
        ...(values.aat === undefined ? {} : { aat: values.aat }),
        ...(values["aat-public"] ? { aatKind: "aat:public" as const } : {}),
        ...(values.proxy === undefined ? {} : { proxy: values.proxy }),
        ...(values.record === undefined ? {} : { record: values.record }),
        ...(values.replay === undefined ? {} : { replay: values.replay }),
        logLevel: values.verbose ? "info" : "silent",
      }),
      stopped,
    );
    const { banner, warning } = mockBanner(server, values.host, values.spec);
    if (warning) process.stderr.write(`${warning}\n`);
    process.stdout.write(`${banner}\n`);
    if (values.proxy) {
      const recording = values.record ? `, recording to ${values.record}` : "";
      process.stdout.write(`  Proxy:    API requests go to ${values.proxy}${recording}\n`);
    }
    if (values.replay) process.stdout.write(`  Replay:   API requests are answered from ${values.replay}\n`);
    await stopped;
    await server.close();
    process.stdout.write("mock stopped\n");
    return 0;
  } catch (error) {
    process.stderr.write(
      portTaken(error)
        ? `error: port ${port} on ${values.host} is already in use: stop whatever holds it, or pass --port with another (0 picks a free one)\n`
        : `error: ${error instanceof MockServerError ? error.message : String(error)}\n`,
    );
    return 1;
  }
}

/** Whether the mock could not start because its port is taken. */
export function portTaken(error: unknown): boolean {
  return error instanceof MockServerError && (error.cause as NodeJS.ErrnoException | undefined)?.code === "EADDRINUSE";
}

/**
 * What the mock prints once listening, and a warning when other machines can
 * reach it: `url` is the address to call from this machine, which for a
 * wildcard bind is not the whole truth.
 */
export function mockBanner(
  server: Pick<MockServer, "url" | "address" | "loopback">,
  host: string,
  spec?: string,
): { banner: string; warning?: string } {
  const { url, address, loopback } = server;
  const reach = loopback ? "" : ` (bound to ${address}: reachable from other machines)`;
  // Another spec serves its own operations, not DevRev's route.
  const api = spec === undefined ? `POST ${url}/auth-tokens.create` : `${url}, the operations of ${spec}`;
  const banner = `${spec === undefined ? "DevRev mock" : "Mock"} listening on ${url}${reach}
  API:      ${api}
  PLuG SDK: ${url}/static/plug.js
  Controls: ${url}${CONTROL_PATHS.join(", ")}`;
  if (loopback) return { banner };
  const warning = `warning: the mock is bound to ${address}, so other machines can reach it and its controls; the controls answer only requests addressed to ${host}, localhost or an IP address`;
  return { banner, warning };
}
