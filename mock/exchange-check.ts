import { createInstance, type IHttpConfig, type IHttpRequest } from "@stoplight/prism-http";
import type { IHttpOperation } from "@stoplight/types";
import { bodyTextOf, parsedBody, type RecordedExchange, violationsOf } from "./exchange.js";
import type { Violation } from "./journal.js";
import { loggerFor } from "./prism-logger.js";
import type { RecordingLine } from "./recording.js";
import { prismResponse } from "./upstream.js";

/** Prism in proxy mode, as `mock --proxy` runs it: every request is forwarded, whatever it breaks. */
export function proxyConfig(upstream: URL): IHttpConfig {
  return {
    checkSecurity: true,
    validateRequest: true,
    validateResponse: true,
    errors: false,
    upstreamProxy: undefined,
    isProxy: true,
    upstream,
    mock: { dynamic: false },
  };
}

/** The recorded request as Prism's request object. */
export function prismRequest({ request }: RecordedExchange): IHttpRequest {
  const text = bodyTextOf(request);
  const headers: Record<string, string> = { ...request.headers };
  if (text !== null) headers["content-length"] = String(Buffer.byteLength(text));
  const query: Record<string, string | string[]> = {};
  const params = new URLSearchParams(request.query ?? "");
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    query[key] = values.length === 1 ? (values[0] as string) : values;
  }
  return {
    method: request.method.toLowerCase() as IHttpRequest["method"],
    url: { path: request.path, query },
    headers,
    body: parsedBody(text, headers["content-type"]),
  };
}

/** The recorded answer's bytes, as the upstream sent them (less what the recording removed). */
export function recordedAnswer({ response }: RecordedExchange) {
  const text = bodyTextOf(response);
  return { status: response.status, headers: { ...response.headers }, raw: Buffer.from(text ?? "") };
}

/**
 * Where each recorded exchange breaks the spec `operations` describe, found
 * by Prism's validators exactly as the proxy found them live: the recorded
 * request goes through Prism in proxy mode, and "forwarding" it answers the
 * recorded answer.
 */
export async function checkExchanges(
  operations: IHttpOperation[],
  lines: readonly RecordingLine[],
): Promise<{ line: number; exchange: RecordedExchange; violations: Violation[] }[]> {
  const answers = new WeakMap<object, RecordedExchange>();
  const prism = createInstance(proxyConfig(new URL("http://recording.invalid/")), {
    logger: loggerFor("silent"),
    forward:
      ({ data }) =>
      () =>
      async () => ({ _tag: "Right", right: prismResponse(recordedAnswer(answers.get(data) as RecordedExchange)) }),
  });
  const checked = [];
  for (const { line, exchange } of lines) {
    const input = prismRequest(exchange);
    answers.set(input, exchange);
    const result = await prism.request(input, operations)();
    const keep = (text: string) => text;
    const violations =
      result._tag === "Left"
        ? [{ side: "request" as const, path: "", message: result.left.message }]
        : [
            ...violationsOf("request", result.right.validations.input, keep),
            ...violationsOf("response", result.right.validations.output, keep),
          ];
    checked.push({ line, exchange, violations });
  }
  return checked;
}
