import type { IncomingMessage, ServerResponse } from "node:http";
import { DEFAULTS } from "../server/defaults.js";
import { ConfigurationError, DevRevError } from "../server/errors.js";
import { KeptBodyResponse } from "../server/kept-body.js";
import { createLog, type LogOptions } from "../server/logger.js";

/** `logger` and `logLevel` as the handler's: a handler that throws writes one error line. */
export interface NodeHandlerOptions extends LogOptions {
  /** Called when the handler throws, beside the log line; the client gets a bare 500. */
  onError?: (error: unknown) => void;
  /**
   * Largest request body passed on; a larger one answers 413 without the
   * handler's answer, and is not read further. A session request carries a
   * cookie, not a body. @default 102400 @unit bytes
   */
  maxBodyBytes?: number;
}

/**
 * Runs a Web-standard handler (`Request -> Response`) as a Node.js listener,
 * for `http.createServer` and Express (`app.post(path, toNodeHandler(h))`).
 */
export function toNodeHandler(
  handler: (request: Request) => Promise<Response>,
  options: NodeHandlerOptions = {},
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const { onError = () => {}, maxBodyBytes = DEFAULTS.nodeMaxBodyBytes } = options;
  if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes < 0) {
    throw new ConfigurationError(`toNodeHandler: \`maxBodyBytes\` must be a non-negative integer, not ${maxBodyBytes}`);
  }
  // The adapter knows no token to redact: only this library's errors, redacted already, are quoted.
  const log = createLog(options, "toNodeHandler", () => []);
  return async (req, res) => {
    // A declared length over the cap is refused before anything is read.
    if (Number(req.headers["content-length"]) > maxBodyBytes) return tooLarge(res, maxBodyBytes);
    const body = { tooLarge: false };
    try {
      const response = await handler(toRequest(req, maxBodyBytes, body));
      // Whatever the handler made of a cut body (an identify that read it fails), the answer is 413.
      if (body.tooLarge) {
        await response.body?.cancel().catch(() => {});
        return tooLarge(res, maxBodyBytes);
      }
      // The handler's own answers are written from their text: one write, and no stream to read.
      // Any other body is read whole first, so one that cannot be read is a 500, not a broken 200.
      const answer = KeptBodyResponse.textOf(response) ?? new Uint8Array(await response.arrayBuffer());
      res.writeHead(response.status, headersOf(response));
      res.end(answer);
    } catch (error) {
      if (body.tooLarge && !res.headersSent) return tooLarge(res, maxBodyBytes);
      onError(error);
      const why =
        error instanceof DevRevError
          ? `${error.name}: ${error.message}`
          : `${error instanceof Error ? error.name : typeof error} (its message is not logged, as it could hold a secret: onError receives it)`;
      log.write("error", `${req.method} ${req.url} answered 500 internal_error: the handler threw ${why}`);
      if (!res.headersSent) res.writeHead(500, { "Content-Type": "application/json", "Cache-Control": "no-store" });
      res.end(res.writableEnded ? undefined : JSON.stringify({ error: "internal_error" }));
    }
  };
}

/** The response's headers for `writeHead`, every `Set-Cookie` kept (a plain object would keep one). */
function headersOf(response: Response): [string, string][] {
  const headers: [string, string][] = [];
  for (const [name, value] of response.headers) if (name !== "set-cookie") headers.push([name, value]);
  for (const cookie of response.headers.getSetCookie()) headers.push(["set-cookie", cookie]);
  return headers;
}

/** 413 in the handler's JSON style, closing the connection so the rest of the body is never read. */
function tooLarge(res: ServerResponse, maxBodyBytes: number): void {
  if (res.headersSent) return void res.end();
  res.writeHead(413, { "Content-Type": "application/json", "Cache-Control": "no-store", Connection: "close" });
  res.end(JSON.stringify({ error: "request_entity_too_large", max_bytes: maxBodyBytes }));
}

function toRequest(req: IncomingMessage, maxBodyBytes: number, body: { tooLarge: boolean }): Request {
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
    ...(hasBody ? { body: cappedBody(req, maxBodyBytes, body), duplex: "half" } : {}),
  } as RequestInit);
}

/**
 * The request's body as a stream that errors past `maxBodyBytes` (a chunked
 * body declares no length). It pauses the socket rather than destroying it,
 * so the 413 can still be written.
 */
function cappedBody(req: IncomingMessage, maxBytes: number, body: { tooLarge: boolean }): ReadableStream<Uint8Array> {
  let size = 0;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      const onData = (chunk: Uint8Array) => {
        size += chunk.byteLength;
        if (size <= maxBytes) return controller.enqueue(new Uint8Array(chunk));
        body.tooLarge = true;
        req.off("data", onData);
        req.pause();
        controller.error(new RangeError(`the request body is larger than ${maxBytes} bytes`));
      };
      req.on("data", onData);
      req.once("end", () => {
        if (!body.tooLarge) controller.close();
      });
      req.once("error", (error) => controller.error(error));
    },
    cancel() {
      req.pause();
    },
  });
}
