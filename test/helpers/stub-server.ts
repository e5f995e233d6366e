import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: string;
}

/** What the stub does with one request: answer, never answer, or drop the connection. */
export type StubReply =
  | { status: number; body?: unknown; headers?: Record<string, string>; raw?: string }
  | "hang"
  | "reset";

export interface StubServer {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/**
 * A real HTTP server on 127.0.0.1 whose replies a test scripts, one call of
 * `reply` per request (the request's index counts from 0).
 */
export async function startStubServer(
  reply: (request: RecordedRequest, index: number) => StubReply,
): Promise<StubServer> {
  const requests: RecordedRequest[] = [];
  const open = new Set<ServerResponse>();
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const recorded = {
      method: req.method ?? "",
      path: req.url ?? "",
      headers: req.headers,
      body: Buffer.concat(chunks).toString(),
    };
    requests.push(recorded);
    const answer = reply(recorded, requests.length - 1);
    if (answer === "hang") {
      open.add(res);
      return;
    }
    if (answer === "reset") {
      req.socket.destroy();
      return;
    }
    const text = answer.raw ?? (answer.body === undefined ? "" : JSON.stringify(answer.body));
    res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
    res.end(text);
  });
  return { ...(await listenOnLoopback(server, open)), requests };
}

/** Listens on a free loopback port; `close` ends the answers still open (hanging ones) first. */
export async function listenOnLoopback(server: Server, open: Set<ServerResponse>) {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      for (const res of open) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
