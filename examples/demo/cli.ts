import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type MockServer, MockServerError, startMockServer } from "devrev-plug-session/mock";
import { parseCommand, parsePort, unlessStopped, untilStopped } from "../../src/cli/command-line.js";
import { devrevBaseUrl } from "../../src/cli/devrev-base-url.js";
import { createDemoApp } from "./app.js";

const USAGE = `Usage: npm start -- [--port N] [--mock-port N]

Runs the PLuG session flow end to end: the Prism mock of DevRev and a demo site.

  --port N        the demo site's port (default: 3000)
  --mock-port N   the mock's port (default: 4010)
  --help          show this text

Against real DevRev instead of the mock, set DEVREV_AAT (and optionally
DEVREV_BASE_URL, PLUG_APP_ID, PLUG_SDK_URL).`;

async function main(): Promise<number> {
  const values = parseCommand(
    process.argv.slice(2),
    {
      port: { type: "string", default: "3000" },
      "mock-port": { type: "string", default: "4010" },
    },
    USAGE,
  );
  if (typeof values === "number") return values;
  const port = parsePort(values.port, "--port");
  const mockPort = parsePort(values["mock-port"], "--mock-port");
  if (port === undefined || mockPort === undefined) return 2;

  const stopped = untilStopped();
  const real = process.env.DEVREV_AAT || undefined;
  let mock: MockServer | undefined;
  try {
    if (!real) {
      mock = await unlessStopped(startMockServer({ port: mockPort }), stopped).catch((error: unknown) => {
        const taken = (error as { cause?: NodeJS.ErrnoException }).cause?.code === "EADDRINUSE";
        if (!(error instanceof MockServerError && taken)) throw error;
        throw new Error(
          `the mock's port ${mockPort} on 127.0.0.1 is already in use: stop whatever holds it, or pass --mock-port with another`,
        );
      });
    }
    const baseUrl = real ? devrevBaseUrl() : (mock as MockServer).url;
    const app = await createDemoApp({
      devrev: { baseUrl, token: real ?? "mock-aat" },
      plug: {
        appId: process.env.PLUG_APP_ID ?? "demo-app",
        sdkUrl:
          process.env.PLUG_SDK_URL ??
          (real ? "https://plug-platform.devrev.ai/static/plug.js" : `${baseUrl}/static/plug.js`),
      },
    });
    const server = createServer(app);
    await new Promise<void>((resolve, reject) => {
      server.once("error", (error: NodeJS.ErrnoException) =>
        reject(
          new Error(
            error.code === "EADDRINUSE"
              ? `port ${port} on 127.0.0.1 is already in use: stop whatever holds it, or pass --port`
              : error.message,
          ),
        ),
      );
      server.listen(port, "127.0.0.1", resolve);
    });
    const demoUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    process.stdout.write(
      `${real ? `DevRev:   ${baseUrl} (real, DEVREV_AAT set)` : `Mock:     ${baseUrl}`}\nDemo:     ${demoUrl}\nPress Ctrl-C to stop.\n`,
    );
    await stopped;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await mock?.close();
    process.stdout.write("stopped\n");
    return 0;
  } catch (error) {
    await mock?.close();
    process.stderr.write(`error: ${(error as Error).message}\n`);
    return 1;
  }
}

process.exitCode = await main();
