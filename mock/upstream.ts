import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { request as httpsRequest } from "node:https";
import { posix } from "node:path";
import type { IHttpRequest, IHttpResponse, PrismHttpComponents } from "@stoplight/prism-http";
import { parsedBody } from "./exchange.js";

type Forward = PrismHttpComponents["forward"];

/** What the HTTP layer received, which Prism's request object does not keep. */
export interface ReceivedRequest {
  /** The path and query as the client sent them. */
  target: string;
  /** The body's bytes as received, or null without one. */
  raw: Buffer | null;
}

/** The bytes behind an answer Prism validated: the HTTP layer writes these, not a re-serialised body. */
export interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  raw: Buffer;
  /** Set when the upstream gave no answer and the proxy made this one (502 or 504). */
  failure?: string;
}

/**
 * What one mock's HTTP layer and its `forward` component (upstreamForward or
 * replayForward) pass each other beside Prism's objects, which keep neither:
 * the request as received, and the bytes of each answer. Keyed by the request
 * and answer objects Prism hands on unchanged, so an entry never outlives its
 * exchange; each mock has its own, made with its `forward`.
 */
export class ForwardedBytes {
  readonly #received = new WeakMap<object, ReceivedRequest>();
  readonly #answers = new WeakMap<object, RawAnswer>();

  /** Records what the HTTP layer received for `request`, the object Prism will hand `forward`. */
  receive(request: object, received: ReceivedRequest): void {
    this.#received.set(request, received);
  }

  /** What {@link receive} recorded for `request`, if anything. */
  receivedFor(request: object): ReceivedRequest | undefined {
    return this.#received.get(request);
  }

  /** `answer` as Prism validates it, remembering its bytes for the HTTP layer. */
  respond(answer: RawAnswer): IHttpResponse {
    const response = prismResponse(answer);
    this.#answers.set(response, answer);
    return response;
  }

  /** The bytes behind `response`, an answer {@link respond} made, which the HTTP layer writes as they came. */
  answerOf(response: object): RawAnswer | undefined {
    return this.#answers.get(response);
  }
}

/** Headers that describe one connection, never forwarded either way. */
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "te",
  "trailer",
  "upgrade",
  "host",
  "content-length",
]);

export interface UpstreamOptions {
  /** How long the upstream has to answer in full. @unit milliseconds */
  timeoutMs: number;
  /** The largest answer passed back; a larger one is a 502. @unit bytes */
  maxBytes: number;
}

/**
 * Prism's `forward` component for `--proxy`: sends the request as received
 * (same bytes, headers but the hop-by-hop ones, the AAT included) and hands
 * back the upstream's answer unchanged for Prism to validate. Unlike Prism's
 * own forwarder, it follows no redirect (it would carry the AAT to another
 * host), never answers a 501 from its mocks, asks for an uncompressed answer
 * so the answer can be validated, bounds time and size, and turns an upstream
 * that is down, slow or too large into a 502 or 504 in DevRev's envelope.
 */
export function upstreamForward({ timeoutMs, maxBytes }: UpstreamOptions, bytes: ForwardedBytes): Forward {
  return ({ data }, baseUrl) =>
    () =>
    async () => {
      const received = bytes.receivedFor(data) ?? { target: data.url.path, raw: null };
      const answer = await send(baseUrl, data, received, { timeoutMs, maxBytes });
      return { _tag: "Right", right: bytes.respond(answer) };
    };
}

/** The answer as Prism validates it: its headers less the connection's, its body parsed. */
export function prismResponse(answer: RawAnswer): IHttpResponse {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(answer.headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  const text = answer.raw.length === 0 ? null : answer.raw.toString("utf8");
  return { statusCode: answer.status, headers, body: parsedBody(text, headers["content-type"]) };
}

/** The headers to write back for `answer`: the upstream's, less those of its connection. */
export function headersToSend(answer: RawAnswer): IncomingHttpHeaders {
  return Object.fromEntries(Object.entries(answer.headers).filter(([name]) => !HOP_BY_HOP.has(name)));
}

function send(baseUrl: string, data: IHttpRequest, received: ReceivedRequest, options: UpstreamOptions) {
  const base = new URL(baseUrl);
  const target = new URL(received.target, "http://path.invalid");
  const url = new URL(base.origin);
  url.pathname = posix.join(base.pathname, target.pathname);
  url.search = target.search;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(data.headers ?? {})) {
    if (!HOP_BY_HOP.has(name)) headers[name] = value;
  }
  headers["accept-encoding"] = "identity";
  if (received.raw !== null) headers["content-length"] = String(received.raw.length);

  return new Promise<RawAnswer>((resolve) => {
    const failed = (status: 502 | 504, why: string) => {
      const failure = `the upstream ${url.origin} ${why}`;
      const message = `The mock's proxy got no answer: ${failure}.`;
      resolve({
        status,
        headers: { "content-type": "application/json" },
        raw: Buffer.from(JSON.stringify({ type: "service_unavailable", message })),
        failure,
      });
    };
    const request = (url.protocol === "https:" ? httpsRequest : httpRequest)(url, {
      method: data.method.toUpperCase(),
      headers,
    });
    const timer = setTimeout(() => {
      request.destroy();
      failed(504, `did not answer within ${options.timeoutMs} ms`);
    }, options.timeoutMs);
    request.on("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      failed(502, `could not be reached (${error.code ?? error.message})`);
    });
    request.on("response", (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > options.maxBytes) {
          clearTimeout(timer);
          request.destroy();
          failed(502, `answered more than ${options.maxBytes} bytes`);
        } else chunks.push(chunk);
      });
      response.on("end", () => {
        clearTimeout(timer);
        resolve({ status: response.statusCode ?? 502, headers: response.headers, raw: Buffer.concat(chunks) });
      });
      response.on("aborted", () => {
        clearTimeout(timer);
        failed(502, "dropped the connection mid-answer");
      });
    });
    request.end(received.raw ?? undefined);
  });
}
