import { JOURNAL_LIMIT } from "./journal.js";

/** The reserved prefix of the mock's own routes; DevRev has no path under it. */
export const CONTROL_PREFIX = "/__mock/";

const ERROR = {
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

/**
 * The test controls, described as an OpenAPI document that Prism serves
 * next to the API: Prism routes and validates these requests as it does
 * DevRev's, and the mock component carries them out. A scenario's `status`
 * may be any status the served spec documents.
 */
export function controlPlaneDocument(statuses: readonly number[]): Record<string, unknown> {
  const scenario = {
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
  const entry = {
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
  const done = { description: "Done." };
  return {
    openapi: "3.1.0",
    info: { title: "DevRev mock controls", version: "1.0.0" },
    paths: {
      [`${CONTROL_PREFIX}scenarios`]: {
        post: {
          operationId: "mockAddScenario",
          summary: "Queue an answer for the next API requests",
          security: [],
          requestBody: { required: true, content: { "application/json": { schema: scenario } } },
          responses: {
            "201": { description: "Queued.", content: { "application/json": { schema: scenario } } },
            "400": ERROR,
          },
        },
      },
      [`${CONTROL_PREFIX}requests`]: {
        get: {
          operationId: "mockListRequests",
          summary: `The API requests received, oldest first (the last ${JOURNAL_LIMIT})`,
          security: [],
          responses: {
            "200": {
              description: "The journal.",
              content: {
                "application/json": {
                  schema: {
                    type: "object",
                    required: ["requests"],
                    properties: { requests: { type: "array", items: entry } },
                  },
                },
              },
            },
          },
        },
        delete: {
          operationId: "mockClearRequests",
          summary: "Empty the journal",
          security: [],
          responses: { "204": done },
        },
      },
      [`${CONTROL_PREFIX}reset`]: {
        post: {
          operationId: "mockReset",
          summary: "Forget scenarios, the journal and everything provisioned",
          security: [],
          responses: { "204": done },
        },
      },
    },
  };
}
