import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";

/**
 * Runs a Web-standard handler (`Request -> Response`) as a Node.js listener,
 * for `http.createServer` and Express (`app.post(path, toNodeHandler(h))`).
 * If the handler throws, the client gets a bare 500 and the error goes to
 * `onError`.
 */
export function toNodeHandler(
  handler: (request: Request) => Promise<Response>,
  onError: (error: unknown) => void = () => {},
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    try {
      const response = await handler(toRequest(req));
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch (error) {
      onError(error);
      if (!res.headersSent) res.writeHead(500, { "Content-Type": "application/json", "Cache-Control": "no-store" });
      res.end(res.writableEnded ? undefined : JSON.stringify({ error: "internal_error" }));
    }
  };
}

function toRequest(req: IncomingMessage): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "localhost"}`);
  const method = req.method ?? "GET";
  // A body parser (express.json) may have consumed the stream already; then there is no body left to pass.
  // A request that announces no body (a browser's bodiless POST) skips the stream, the costliest part here.
  const announced = req.headers["transfer-encoding"] !== undefined || Number(req.headers["content-length"] ?? 0) > 0;
  const hasBody = method !== "GET" && method !== "HEAD" && !req.readableEnded && announced;
  return new Request(url, {
    method,
    headers,
    ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream, duplex: "half" } : {}),
  } as RequestInit);
}
