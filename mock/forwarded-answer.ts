import type { IncomingMessage, ServerResponse } from "node:http";
import type { IPrismOutput } from "@stoplight/prism-core";
import { describeViolation, sanitizer, violationsOf } from "./exchange.js";
import type { Violation } from "./journal.js";
import { headerViolation, violationsHeader } from "./sl-violations.js";
import { headersToSend, type RawAnswer } from "./upstream.js";

/** One API request answered by the upstream (or a recording), as received and as answered. */
export interface ForwardedExchange {
  method: string;
  /** The path and query as received. */
  target: string;
  headers: IncomingMessage["headers"];
  raw: Buffer | null;
  answer: RawAnswer;
  violations: Violation[];
  /** Removes this request's credential and every JWT signature from text. */
  sanitize: (text: string) => string;
}

/**
 * Writes an upstream's (or a recording's) answer as its bytes came, with
 * what Prism found wrong on either side in `sl-violations`, and hands the
 * exchange on (to the recorder). Returns the status and the violations, for
 * the journal.
 */
export function sendForwarded(
  req: IncomingMessage,
  res: ServerResponse,
  exchange: { raw: Buffer | null; answer: RawAnswer; validations: IPrismOutput<unknown>["validations"] },
  onExchange: (exchange: ForwardedExchange) => void,
  log: (message: string) => void,
): { status: number; violations: Violation[] } {
  const { raw, answer, validations } = exchange;
  const sanitize = sanitizer(req.headers.authorization);
  const violations = [
    ...violationsOf("request", validations.input, sanitize),
    ...violationsOf("response", validations.output, sanitize),
    ...(answer.failure ? [{ side: "response" as const, path: "status", message: answer.failure }] : []),
  ];
  const side = (which: Violation["side"]) =>
    violations
      .filter((v) => v.side === which)
      .map(({ path, message }) => headerViolation(which, { path: path ? path.split(".") : [], message }));
  for (const v of violations) log(`Violation: ${describeViolation(v)}`);
  res.writeHead(answer.status, {
    ...headersToSend(answer),
    "content-length": String(answer.raw.length),
    ...(violations.length > 0 ? { "sl-violations": violationsHeader(side("request"), side("response")) } : {}),
  });
  res.end(answer.raw);
  const method = req.method ?? "GET";
  const target = req.url ?? "/";
  log(`${method} ${target.split("?")[0]} -> ${answer.status} (forwarded)`);
  onExchange({ method, target, headers: req.headers, raw, answer, violations, sanitize });
  return { status: answer.status, violations };
}
