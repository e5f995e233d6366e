import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createInstance, getHttpOperationsFromSpec, type IHttpConfig, type IHttpRequest } from "@stoplight/prism-http";
import type { IHttpOperation } from "@stoplight/types";
import { loadSpec } from "../scripts/spec-reader/load-spec.js";
import { CONTROLS, type ControlId, controlPath, controlPlaneDocument } from "./control-plane.js";
import { devrevMock } from "./devrev-mock.js";
import { proxyConfig } from "./exchange-check.js";
import { prismListener } from "./http-listener.js";
import type { JournalEntry } from "./journal.js";
import {
  DEFAULT_SPEC,
  DEFAULT_UPSTREAM_TIMEOUT_MS,
  type MockServer,
  MockServerError,
  type MockServerOptions,
  UPSTREAM_ANSWER_LIMIT,
  upstreamOptionsProblem,
} from "./mock-api.js";
import { plugSdkDocument } from "./plug-sdk-route.js";
import { loggerFor } from "./prism-logger.js";
import { httpOperations } from "./prism-operations.js";
import { Recorder } from "./recording.js";
import { loadReplay, replayForward } from "./replay.js";
import { MockState } from "./state.js";
import { ForwardedBytes, upstreamForward } from "./upstream.js";

/** Connections the kernel may hold for the mock before it accepts them (Node's default is 511). */
const CONNECTION_BACKLOG = 4096;

/** `startMockServer`'s work, once its optional peers are known to be installed. */
export async function serveMock(options: MockServerOptions = {}): Promise<MockServer> {
  const { port = 0, host = "127.0.0.1", spec = DEFAULT_SPEC, logLevel = "silent" } = options;
  let document: unknown;
  try {
    // The generator's loader reports a bad spec with file, line and column.
    document = (await loadSpec(spec)).document;
  } catch (error) {
    throw new MockServerError(`cannot serve the spec: ${(error as Error).message}`, { cause: error });
  }
  // Prism's own loader, but with a resolver that follows no external `$ref`.
  const api = await httpOperations(document as object);
  const statuses = [...new Set(api.flatMap((op) => op.responses.map((r) => Number(r.code))))].filter(Number.isInteger);
  const operations = {
    api,
    sdk: await getHttpOperationsFromSpec(await plugSdkDocument()),
    control: await getHttpOperationsFromSpec(controlPlaneDocument(statuses.sort((a, b) => a - b))),
  };
  const config: IHttpConfig = {
    checkSecurity: true,
    validateRequest: true,
    validateResponse: true,
    errors: false,
    upstreamProxy: undefined,
    isProxy: false,
    mock: { dynamic: false },
  };
  const state = new MockState({
    ...(options.aat === undefined ? {} : { aat: options.aat }),
    ...(options.aatKind === undefined ? {} : { aatKind: options.aatKind }),
  });
  const logger = loggerFor(logLevel);
  const upstream = await upstreamOf(options, api);
  const prism = createInstance(config, { logger, mock: devrevMock(state), forward: upstream?.forward });
  const { listener, release } = prismListener({
    prism,
    operations,
    config,
    state,
    host,
    forwarding: upstream && {
      config: proxyConfig(upstream.url),
      bytes: upstream.bytes,
      onExchange: (exchange) => upstream.recorder?.append(exchange),
    },
    log: (message) => logger.info(message),
  });
  const server = createServer(listener);
  // No idle timeout of the server's own: a client closes its idle keep-alive connections (fetch after
  // 4 s). With Node's 5 s, a process stalled past it (the in-process mock under load) closed a
  // connection whose next request was already written but not yet read, and the client saw ECONNRESET.
  server.keepAliveTimeout = 0;

  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      // Room for a burst of new connections (a thousand concurrent first calls): past Node's 511 the
      // kernel drops them, and clients time out or are reset. The kernel caps it at somaxconn.
      server.listen({ port, host, backlog: CONNECTION_BACKLOG }, () => resolve());
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new MockServerError(
      code === "EADDRINUSE"
        ? `port ${port} on ${host} is already in use: stop whatever holds it, or pick another port`
        : `cannot listen on ${host}:${port}: ${(error as Error).message}`,
      // A command line names its own flag for the port: it reads the code here.
      { cause: error },
    );
  }
  const { address, family, port: bound } = server.address() as AddressInfo;
  const shown = address === "0.0.0.0" ? "127.0.0.1" : address === "::" ? "::1" : address;
  const url = `http://${family === "IPv6" ? `[${shown}]` : shown}:${bound}`;
  const loopback = /^(?:127\.|::1$|::ffff:127\.)/.test(address);

  /** A control request through the same Prism pipeline as over HTTP, without the network. */
  const control = async (id: ControlId, body?: unknown) => {
    const { method, route } = CONTROLS[id];
    const headers: Record<string, string> = body === undefined ? {} : { "content-type": "application/json" };
    const input: IHttpRequest = { method, url: { path: controlPath(CONTROLS[id]) }, headers, body };
    const result = await prism.request(input, operations.control, config)();
    if (result._tag === "Left") throw new MockServerError(result.left.message);
    const { statusCode, body: answer } = result.right.output;
    if (statusCode >= 400) throw new MockServerError(`invalid ${route}: ${(answer as { message: string }).message}`);
    return answer;
  };

  await waitUntilAnswering(`${url}/static/plug.js`);
  return {
    url,
    address: family === "IPv6" ? `[${address}]:${bound}` : `${address}:${bound}`,
    loopback,
    scenario: async (scenario) => void (await control("mockAddScenario", scenario)),
    requests: async () => ((await control("mockListRequests")) as { requests: JournalEntry[] }).requests,
    reset: async () => void (await control("mockReset")),
    close: () =>
      new Promise<void>((resolve, reject) => {
        release();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }).then(() => upstream?.recorder?.flush()),
  };
}

/** Where API requests go instead of Prism's mocker, with `proxy` or `replay`. */
async function upstreamOf(options: MockServerOptions, api: IHttpOperation[]) {
  const { proxy, record, replay, upstreamTimeoutMs = DEFAULT_UPSTREAM_TIMEOUT_MS } = options;
  const misuse = upstreamOptionsProblem(options);
  if (misuse) throw new MockServerError(misuse);
  const bytes = new ForwardedBytes();
  if (replay !== undefined) {
    const forward = replayForward(replay, await loadReplay(replay, api), bytes);
    return { url: new URL("http://replay.invalid/"), forward, bytes, recorder: undefined };
  }
  if (proxy === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(proxy);
  } catch {
    throw new MockServerError(`proxy must be an http or https URL, not ${JSON.stringify(proxy)}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new MockServerError(`proxy must be an http or https URL, not ${JSON.stringify(proxy)}`);
  }
  if (!Number.isInteger(upstreamTimeoutMs) || upstreamTimeoutMs <= 0) {
    throw new MockServerError(`upstreamTimeoutMs must be a positive whole number, not ${upstreamTimeoutMs}`);
  }
  const forward = upstreamForward({ timeoutMs: upstreamTimeoutMs, maxBytes: UPSTREAM_ANSWER_LIMIT }, bytes);
  return { url, forward, bytes, recorder: record === undefined ? undefined : await Recorder.open(record) };
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
