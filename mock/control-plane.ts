// The test controls, each defined once: its route, method, the status it
// answers when done, the body it takes, and what it does to the mock's state.
// Prism serves them as an OpenAPI document derived from this table (so it
// routes and validates them as it does DevRev's API), the mock component
// carries them out, and `startMockServer`'s handle and the vitest reset call
// them by their entry here.
import type { IHttpResponse, PrismHttpComponents } from "@stoplight/prism-http";
import { JOURNAL_LIMIT } from "./journal.js";
import { SCENARIO_LIMIT, type Scenario } from "./scenarios.js";
import type { MockState } from "./state.js";

/** The reserved prefix of the mock's own routes; DevRev has no path under it. */
export const CONTROL_PREFIX = "/__mock/";

/** What a control request brings: Prism's parsed request and its validation of it against the control's schema. */
type ControlInput = Parameters<PrismHttpComponents["mock"]>[0]["input"];

interface Control {
  method: "get" | "post" | "delete";
  /** The path under {@link CONTROL_PREFIX}. */
  route: string;
  summary: string;
  /** The status when done; a control with a body also answers 400 naming what breaks its schema. */
  status: 200 | 201 | 204;
  /** The body's schema, given the statuses the served spec documents; without it, the control takes none. */
  body?: (statuses: readonly number[]) => object;
  /** The answer's description and, for one with a body, its schema. */
  answer: (statuses: readonly number[]) => { description: string; schema?: object };
  run: (input: ControlInput, state: MockState) => IHttpResponse;
}

/** The test controls, by operation ID. */
export const CONTROLS = {
  mockAddScenario: {
    method: "post",
    route: "scenarios",
    summary: "Queue an answer for the next API requests",
    status: 201,
    body: scenarioSchema,
    answer: (statuses) => ({ description: "Queued.", schema: scenarioSchema(statuses) }),
    run: (input, state) => {
      if (input.validations.length > 0) {
        // Prism's messages, one per broken rule, with the path inside the body.
        const problems = input.validations.map(({ path = [], message }) => [...path.slice(1), message].join(" "));
        return json(400, { type: "bad_request", message: [...new Set(problems)].join("; ") });
      }
      if (!state.scenarios.add(input.data.body as Scenario)) {
        const message = `${SCENARIO_LIMIT} scenarios are already queued: reset the mock, or use times`;
        return json(400, { type: "bad_request", message });
      }
      return json(201, input.data.body);
    },
  },
  mockListRequests: {
    method: "get",
    route: "requests",
    summary: `The API requests received, oldest first (the last ${JOURNAL_LIMIT})`,
    status: 200,
    answer: () => ({
      description: "The journal.",
      schema: { type: "object", required: ["requests"], properties: { requests: { type: "array", items: ENTRY } } },
    }),
    run: (_input, state) => json(200, { requests: state.journal.list() }),
  },
  mockClearRequests: {
    method: "delete",
    route: "requests",
    summary: "Empty the journal",
    status: 204,
    answer: () => ({ description: "Done." }),
    run: (_input, state) => {
      state.journal.clear();
      return { statusCode: 204 };
    },
  },
  mockReset: {
    method: "post",
    route: "reset",
    summary: "Forget scenarios, the journal and everything provisioned",
    status: 204,
    answer: () => ({ description: "Done." }),
    run: (_input, state) => {
      state.reset();
      return { statusCode: 204 };
    },
  },
} as const satisfies Record<string, Control>;

export type ControlId = keyof typeof CONTROLS;

/** The control Prism routed a request to, by the operation ID it reports, or undefined for any other operation. */
export function controlFor(operationId: string | undefined): Control | undefined {
  return operationId !== undefined && Object.hasOwn(CONTROLS, operationId)
    ? CONTROLS[operationId as ControlId]
    : undefined;
}

/** A control's path, such as `/__mock/reset`. */
export function controlPath(control: Pick<Control, "route">): string {
  return `${CONTROL_PREFIX}${control.route}`;
}

/** Each control's path once, in the table's order, for a command's help and banner. */
export const CONTROL_PATHS: readonly string[] = [...new Set(Object.values(CONTROLS).map(controlPath))];

/**
 * The controls as an OpenAPI document that Prism serves next to the API.
 * A scenario's `status` may be any status the served spec documents.
 */
export function controlPlaneDocument(statuses: readonly number[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [operationId, control] of Object.entries(CONTROLS) as [ControlId, Control][]) {
    const { description, schema } = control.answer(statuses);
    const answer = schema ? { description, content: { "application/json": { schema } } } : { description };
    const body = control.body?.(statuses);
    paths[controlPath(control)] = {
      ...paths[controlPath(control)],
      [control.method]: {
        operationId,
        summary: control.summary,
        security: [],
        ...(body && { requestBody: { required: true, content: { "application/json": { schema: body } } } }),
        responses: { [control.status]: answer, ...(body && { "400": REFUSED }) },
      },
    };
  }
  return { openapi: "3.1.0", info: { title: "DevRev mock controls", version: "1.0.0" }, paths };
}

function scenarioSchema(statuses: readonly number[]) {
  return {
    type: "object",
    additionalProperties: false,
    description: "The answer the next API requests get instead of the normal one.",
    anyOf: [{ required: ["status"] }, { required: ["fault"] }, { required: ["delayMs"] }, { required: ["rateLimit"] }],
    properties: {
      status: { type: "integer", enum: [...statuses], description: "A status the served spec documents." },
      times: { type: "integer", minimum: 1, description: "How many requests; without it, until reset." },
      retryAfter: { type: "integer", minimum: 0, description: "Seconds for Retry-After." },
      delayMs: { type: "integer", minimum: 0, maximum: 60_000, description: "Wait before answering." },
      fault: { enum: ["reset", "malformed-json", "hang"], description: "Fail below HTTP." },
      rateLimit: {
        type: "integer",
        minimum: 0,
        description: "Requests per access token and window while it applies; past it, 429.",
      },
    },
  };
}

/** One journal entry, as `GET /__mock/requests` lists it. */
const ENTRY = {
  type: "object",
  required: ["method", "path", "headers", "body", "status", "receivedAt"],
  properties: {
    method: { type: "string" },
    path: { type: "string" },
    headers: { type: "object", additionalProperties: { type: "string" } },
    body: {},
    bodyBytes: { type: "integer", description: "Set when body is cut: the whole body's size in bytes." },
    status: { type: ["integer", "null"] },
    receivedAt: { type: "string", format: "date-time" },
    violations: {
      type: "array",
      description: "With proxy or replay: where the request or the answer breaks the spec.",
      items: {
        type: "object",
        required: ["side", "path", "message"],
        properties: {
          side: { enum: ["request", "response"] },
          path: { type: "string" },
          message: { type: "string" },
        },
      },
    },
  },
};

const REFUSED = {
  description: "The request breaks the control plane's schema.",
  content: {
    "application/json": {
      schema: {
        type: "object",
        required: ["type", "message"],
        properties: { type: { const: "bad_request" }, message: { type: "string" } },
      },
    },
  },
};

function json(statusCode: number, body: unknown): IHttpResponse {
  return { statusCode, headers: { "content-type": "application/json" }, body };
}
