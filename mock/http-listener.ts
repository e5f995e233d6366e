import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { IHttpConfig, IHttpRequest, PrismHttpInstance } from "@stoplight/prism-http";
import { getHttpConfigFromRequest } from "@stoplight/prism-http-server/dist/getHttpConfigFromRequest.js";
import { serialize } from "@stoplight/prism-http-server/dist/serialize.js";
import type { IHttpOperation } from "@stoplight/types";
import { OPERATION_METHODS } from "../scripts/spec-reader/openapi-keys.js";
import { isOwnHost, setCorsHeaders } from "./browser-access.js";
import { CONTROL_PREFIX } from "./control-plane.js";
import { type ForwardedExchange, sendForwarded } from "./forwarded-answer.js";
import { gate } from "./gate.js";
import type { Violation } from "./journal.js";
import { PLUG_SDK_PATH } from "./plug-sdk-route.js";
import { prismRoute } from "./prism-modules.js";
import { BODY_LIMIT_BYTES, parseBody, readBody } from "./request-body.js";
import type { Scenario } from "./scenarios.js";
import { headerViolation, violationsHeader } from "./sl-violations.js";
import type { MockState } from "./state.js";
import type { ForwardedBytes } from "./upstream.js";

type Role = "api" | "sdk" | "control";

export interface ListenerOptions {
  prism: PrismHttpInstance;
  /**
   * The operations Prism routes among, by role. Each request is routed among
   * its own role's only: Prism's router matches every candidate path on
   * every request, so the controls and the SDK script cost the API nothing.
   */
  operations: Record<Role, IHttpOperation[]>;
  config: IHttpConfig;
  state: MockState;
  /** The host the mock was asked to bind, which control requests may name in `Host`. */
  host: string;
  /**
   * With `proxy` or `replay`: the config API requests run with (Prism's proxy mode), what the
   * listener and the `forward` component pass each other, and where each exchange goes.
   */
  forwarding?: { config: IHttpConfig; bytes: ForwardedBytes; onExchange: (exchange: ForwardedExchange) => void };
  log: (message: string) => void;
}

/** What the journal keeps of one request besides what the listener knows up front. */
interface Seen {
  raw: Buffer | null;
  body: unknown;
  violations?: Violation[];
}

/**
 * Node's `http` in front of Prism's engine, doing what Prism's own HTTP
 * server does (parse the body, read `Prefer`, run `prism.request`, set
 * `sl-violations`, serialise, CORS) plus what only the transport can do:
 * DevRev's `parse_error` for a body that is not JSON, DevRev's envelope for
 * routes Prism cannot resolve, the journal, and a queued scenario's delay
 * and faults. Prism's server keeps its listener to itself, so these cannot
 * be added around it. Every decision about a request that parses (route,
 * security, validation, status, body, response validation) is still Prism's.
 */
export function prismListener(options: ListenerOptions) {
  const { state } = options;
  const held = new Set<Socket>();
  const release = () => {
    for (const socket of held) socket.destroy();
    held.clear();
  };
  state.onReset(release);

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    const receivedAt = new Date().toISOString();
    const url = new URL(req.url ?? "/", "http://mock.invalid");
    const path = url.pathname;
    const role: Role = path.startsWith(CONTROL_PREFIX) ? "control" : path === PLUG_SDK_PATH ? "sdk" : "api";
    const seen: Seen = { raw: null, body: null };
    const record = (status: number | null) => {
      if (role !== "api") return;
      const { violations, ...body } = seen;
      const method = req.method ?? "GET";
      const entry = { method, path, headers: req.headers, ...body, status, receivedAt };
      state.journal.record(violations ? { ...entry, violations } : entry);
    };
    answer(req, url, res, options, role, held, seen)
      .then(record)
      .catch((error: unknown) => {
        options.log(`mock failed to answer ${req.method} ${path}: ${String(error)}`);
        record(send(res, 500, {}, { type: "internal_error", message: "The mock failed.", reference_id: "mock" }));
      });
  };
  return { listener, release };
}

/** Answers one request and returns the status sent, or null when a fault sent none. */
async function answer(
  req: IncomingMessage,
  url: URL,
  res: ServerResponse,
  { prism, operations: byRole, config, state, host, forwarding: forwardingOption, log }: ListenerOptions,
  role: Role,
  held: Set<Socket>,
  seen: Seen,
): Promise<number | null> {
  if (role === "control") {
    // No CORS here: a page the developer visits must not read the journal or steer the mock.
    if (!isOwnHost(req.headers.host, host)) {
      await readBody(req);
      const message = `The mock's controls answer only requests addressed to ${host}, localhost or an IP address, not ${req.headers.host}.`;
      return send(res, 403, {}, { type: "forbidden", message });
    }
  } else setCorsHeaders(req, res);
  if (
    role !== "control" &&
    req.method === "OPTIONS" &&
    req.headers.origin &&
    req.headers["access-control-request-method"]
  ) {
    res.setHeader("Access-Control-Allow-Methods", req.headers["access-control-request-method"]);
    res.setHeader("Vary", "origin");
    return send(res, 204, {}, undefined);
  }

  const raw = await readBody(req);
  if (raw === "too-large") {
    return send(res, 413, apiLimits(role, req, state), {
      type: "request_entity_too_large",
      message: "The request body is larger than 10 MiB.",
      max_bytes: BODY_LIMIT_BYTES,
    });
  }
  const parsed = parseBody(req, raw);
  seen.raw = raw;
  seen.body = parsed.ok ? parsed.body : raw?.toString("utf8");

  const operations = byRole[role];
  const method = (req.method ?? "GET").toLowerCase() as IHttpRequest["method"];
  const route = prismRoute({ resources: operations, input: { method, url: { path: url.pathname } } });
  // A request no operation answers (a browser's /favicon.ico) leaves the queue alone.
  const scenario = role === "api" && route._tag === "Right" ? state.scenarios.take() : undefined;
  if (scenario?.delayMs) await new Promise((resolve) => setTimeout(resolve, scenario.delayMs));
  switch (scenario?.fault) {
    case "reset":
      req.socket.destroy();
      return null;
    case "hang":
      held.add(req.socket);
      req.socket.once("close", () => held.delete(req.socket));
      return null;
    case "malformed-json":
      res.writeHead(scenario.status ?? 201, { "content-type": "application/json" });
      res.end('{"access_token": "eyJhbGciOiJub25lIn0.');
      return res.statusCode;
  }
  // A queued status is the mock's to answer; everything else goes upstream, whatever its body.
  const forwarding = role === "api" && scenario?.status === undefined ? forwardingOption : undefined;
  if (!parsed.ok && !forwarding) {
    return send(res, 400, apiLimits(role, req, state, scenario), {
      type: "parse_error",
      message: `The request body is not valid JSON: ${parsed.reason}`,
    });
  }

  const input: IHttpRequest = {
    method,
    url: { path: url.pathname, query: queryOf(url.searchParams) },
    headers: req.headers as Record<string, string>,
    body: parsed.ok ? parsed.body : raw?.toString("utf8"),
  };
  if (scenario) state.scenarios.give(input, scenario);
  forwarding?.bytes.receive(input, { target: req.url ?? "/", raw });
  const preferred = getHttpConfigFromRequest(input);
  if (preferred._tag === "Left") return send(res, 400, {}, { type: "bad_request", message: preferred.left.message });
  const { exampleKey } = preferred.right;
  if (exampleKey !== undefined && route._tag === "Right" && !scenario && !forwarding) {
    const names = exampleNames(route.right);
    if (!names.includes(exampleKey)) {
      const known = names.length > 0 ? `: use one of ${names.join(", ")}` : "";
      const message = `Prefer: example=${exampleKey} names no example of ${method.toUpperCase()} ${url.pathname}${known}.`;
      return send(res, 400, {}, { type: "bad_request", message });
    }
  }

  const base = forwarding?.config ?? config;
  const result = await prism.request(input, operations, {
    ...base,
    mock: { ...base.mock, ...defined(preferred.right) },
  })();
  if (result._tag === "Left") {
    const error = result.left as Error & { status?: number };
    const notFound = isRoutingError(error);
    if (notFound === "method") {
      const allowed = OPERATION_METHODS.filter(
        (method) => prismRoute({ resources: operations, input: { ...input, method } })._tag === "Right",
      );
      return send(
        res,
        405,
        { Allow: allowed.map((m) => m.toUpperCase()).join(", ") },
        {
          type: "not_found",
          message: `${input.method.toUpperCase()} is not allowed on ${url.pathname}; use ${allowed.map((m) => m.toUpperCase()).join(" or ")}.`,
        },
      );
    }
    if (notFound === "path") {
      return send(res, 404, {}, { type: "not_found", message: `There is no ${url.pathname} endpoint.` });
    }
    log(`Prism could not answer ${input.method.toUpperCase()} ${url.pathname}: ${error.message}`);
    const status = error.status ?? 500;
    return send(
      res,
      status,
      {},
      status >= 500
        ? { type: "internal_error", message: error.message, reference_id: "mock" }
        : { type: "bad_request", message: error.message },
    );
  }

  const { output, validations } = result.right;
  const rawAnswer = forwarding?.bytes.answerOf(output);
  if (forwarding && rawAnswer) {
    const sent = sendForwarded(req, res, { raw, answer: rawAnswer, validations }, forwarding.onExchange, log);
    seen.violations = sent.violations;
    return sent.status;
  }
  const request = validations.input.map((v) => headerViolation("request", v));
  const response = validations.output.map((v) => headerViolation("response", v));
  if (request.length + response.length > 0) res.setHeader("sl-violations", violationsHeader(request, response));
  for (const v of [...request, ...response]) log(`Violation: ${v.location.join(".")} ${v.message}`);
  for (const [name, value] of Object.entries(output.headers ?? {})) res.setHeader(name, value);
  const payload = serialize(output.body, res.getHeader("content-type") as string | undefined);
  // A known length spares Node the chunked encoding: one write per answer.
  if (payload !== undefined) res.setHeader("content-length", Buffer.byteLength(payload));
  res.statusCode = output.statusCode;
  res.end(payload);
  log(`${input.method.toUpperCase()} ${url.pathname} -> ${output.statusCode}`);
  return output.statusCode;
}

/**
 * DevRev's rate-limit headers for an API answer the listener gives itself
 * (a body too large, or not JSON), counted as the mock component counts
 * the answers it gives.
 */
function apiLimits(role: Role, req: IncomingMessage, state: MockState, scenario?: Scenario): Record<string, string> {
  return role === "api" ? gate(req.headers.authorization, state, scenario, Date.now()).headers : {};
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: unknown): number {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  res.writeHead(
    status,
    payload === undefined
      ? headers
      : { ...headers, "content-type": "application/json", "content-length": String(Buffer.byteLength(payload)) },
  );
  res.end(payload);
  return status;
}

function isRoutingError(error: Error): "path" | "method" | undefined {
  if (error.name.endsWith("NO_METHOD_MATCHED_ERROR")) return "method";
  if (/NO_(?:PATH|RESOURCE|SERVER)_(?:MATCHED|PROVIDED)_ERROR$/.test(error.name)) return "path";
  return undefined;
}

function queryOf(params: URLSearchParams): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    query[key] = values.length === 1 ? (values[0] as string) : values;
  }
  return query;
}

/** `Prefer` settings without the unset ones, so they do not erase the defaults. */
function defined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The names of the examples the operation's answers document, each once. */
function exampleNames(operation: IHttpOperation): string[] {
  const names = operation.responses.flatMap((r) => (r.contents ?? []).flatMap((c) => c.examples ?? []));
  return [...new Set(names.map((example) => example.key))];
}
