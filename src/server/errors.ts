import type { ValidationIssue } from "../../generated/index.js";
import { redact, safeCause } from "./redact.js";
import { type RateLimit, rateLimitOf, retryAfterSeconds, secondsUntilReset } from "./retry.js";

export type { RateLimit };

/** What DevRev's error envelope and headers tell about a failed call. */
export interface ApiErrorDetails {
  /** DevRev's machine-readable error kind, such as `too_many_requests`. */
  type?: string;
  detail?: string;
  /** The request field at fault, for 400s that name one. */
  fieldName?: string;
  /**
   * Seconds to wait before retrying, from `Retry-After` or the body's
   * `retry_after`; for a 429 with neither, until `X-Ratelimit-Reset`.
   */
  retryAfter?: number;
  /** DevRev's `X-Ratelimit-*` headers, when the answer carried them. */
  rateLimit?: RateLimit;
  /** 413 only: the largest body DevRev accepts, in bytes (`max_bytes`). */
  maxBytes?: number;
  /** DevRev's reference for the failed request (`reference_id`, or a request-id header). */
  requestId?: string;
}

/**
 * The base of every error this library throws. Messages and details pass
 * through redaction before they are stored, so neither `message`, `stack`,
 * `toJSON()` nor a logged error can contain the access token.
 */
export class DevRevError extends Error {
  override name = "DevRevError";

  constructor(message: string, options: { cause?: unknown; secrets?: readonly string[] } = {}) {
    const secrets = options.secrets ?? [];
    super(redact(message, secrets), options.cause === undefined ? {} : { cause: safeCause(options.cause, secrets) });
  }

  toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message };
  }
}

/** The client was created with unusable options (no token, or in a browser). */
export class ConfigurationError extends DevRevError {
  override name = "ConfigurationError";
}

/**
 * One problem found by `createSessionToken` before sending: the same type the
 * generated validators report, re-exported, so there is one shape of issue.
 */
export type { ValidationIssue };

/** The input to `createSessionToken` broke one or more rules; `issues` lists every one. */
export class ValidationError extends DevRevError {
  override name = "ValidationError";
  readonly issues: readonly ValidationIssue[];

  constructor(issues: readonly ValidationIssue[]) {
    super(`invalid session token input: ${issues.map((i) => `${i.path} ${i.message}`).join("; ")}`);
    this.issues = issues;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), issues: this.issues };
  }
}

/** DevRev answered with an error status. Subclasses name the status family. */
export class ApiError extends DevRevError {
  override name = "ApiError";
  readonly status: number;
  readonly type: string | undefined;
  readonly detail: string | undefined;
  readonly fieldName: string | undefined;
  readonly retryAfter: number | undefined;
  readonly requestId: string | undefined;
  readonly rateLimit: RateLimit | undefined;
  readonly maxBytes: number | undefined;

  constructor(status: number, message: string, details: ApiErrorDetails, secrets: readonly string[] = []) {
    super(message, { secrets });
    // Every string DevRev sent back is redacted: an upstream could echo the token in any of them.
    const clean = (text: string | undefined) => (text === undefined ? undefined : redact(text, secrets));
    this.status = status;
    this.type = clean(details.type);
    this.detail = clean(details.detail);
    this.fieldName = clean(details.fieldName);
    this.retryAfter = details.retryAfter;
    this.requestId = clean(details.requestId);
    this.rateLimit = details.rateLimit;
    this.maxBytes = details.maxBytes;
  }

  override toJSON(): Record<string, unknown> {
    const { status, type, detail, fieldName, retryAfter, requestId, rateLimit, maxBytes } = this;
    return { ...super.toJSON(), status, type, detail, fieldName, retryAfter, requestId, rateLimit, maxBytes };
  }
}

/** 400: the request broke a rule; `fieldName` often says which field. */
export class BadRequestError extends ApiError {
  override name = "BadRequestError";
}
/** 401: the access token is missing, malformed, expired or revoked, or its dev org is deactivated (`type` says which). */
export class UnauthenticatedError extends ApiError {
  override name = "UnauthenticatedError";
}
/** 403: the access token may not do this. */
export class ForbiddenError extends ApiError {
  override name = "ForbiddenError";
}
/** 404: wrong URL (check `baseUrl`) or no such object. */
export class NotFoundError extends ApiError {
  override name = "NotFoundError";
}
/** 409: conflicts with existing state, such as a workspace under another account. */
export class ConflictError extends ApiError {
  override name = "ConflictError";
}
/** 413: the request body is larger than DevRev accepts; `maxBytes` says how large it may be. */
export class RequestEntityTooLargeError extends ApiError {
  override name = "RequestEntityTooLargeError";
}
/** 429 after all retries; `retryAfter` says how long DevRev asked to wait, `rateLimit` what its headers said. */
export class RateLimitedError extends ApiError {
  override name = "RateLimitedError";
}
/** 5xx after all retries. */
export class ServerError extends ApiError {
  override name = "ServerError";
}

/** The caller's `signal` aborted the call, before it was sent or while it waited; `cause` is the signal's reason. */
export class AbortedError extends DevRevError {
  override name = "AbortedError";
}

/** The handler's `identify` threw (its error is the `cause`) or did not settle within the handler's budget. */
export class IdentifyError extends DevRevError {
  override name = "IdentifyError";
}

/** No answer within `timeoutMs`, on every attempt. */
export class TimeoutError extends DevRevError {
  override name = "TimeoutError";
}
/** The connection failed (refused, reset, DNS) on every attempt. */
export class NetworkError extends DevRevError {
  override name = "NetworkError";
}
/** DevRev answered success with a body that is not the documented shape (bad JSON, missing field). */
export class InvalidResponseError extends DevRevError {
  override name = "InvalidResponseError";
  /** The HTTP status, when known (a body that fails to parse loses it). */
  readonly status: number | undefined;

  constructor(
    status: number | undefined,
    message: string,
    options: { cause?: unknown; secrets?: readonly string[] } = {},
  ) {
    super(message, options);
    this.status = status;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), status: this.status };
  }
}

const BY_STATUS: Record<number, typeof ApiError> = {
  400: BadRequestError,
  401: UnauthenticatedError,
  403: ForbiddenError,
  404: NotFoundError,
  409: ConflictError,
  413: RequestEntityTooLargeError,
  429: RateLimitedError,
};

/** The typed error for a DevRev error response, built from its envelope and headers. */
export function errorFromResponse(response: Response, body: unknown, secrets: readonly string[] = []): ApiError {
  const envelope = isRecord(body) ? body : {};
  const text = (key: string) => (typeof envelope[key] === "string" ? (envelope[key] as string) : undefined);
  const details: ApiErrorDetails = {
    type: text("type"),
    detail: text("detail"),
    fieldName: text("field_name"),
    retryAfter:
      retryAfterSeconds(response.headers, envelope) ??
      (response.status === 429 ? secondsUntilReset(response.headers) : undefined),
    requestId: text("reference_id") ?? response.headers.get("x-request-id") ?? undefined,
  };
  const rateLimit = rateLimitOf(response.headers);
  if (rateLimit) details.rateLimit = rateLimit;
  if (typeof envelope.max_bytes === "number" && envelope.max_bytes >= 0) details.maxBytes = envelope.max_bytes;
  // Redact before cutting: a token crossing the cut would otherwise leave its first part behind.
  const summary =
    text("message") ?? (typeof body === "string" && body ? redact(body, secrets).slice(0, 200) : response.statusText);
  const location = response.headers.get("location");
  const redirect =
    response.status >= 300 && response.status < 400
      ? ` (a redirect${location ? ` to ${location}` : ""}, not followed because it would resend the access token: point baseUrl at the final address)`
      : "";
  const message = `DevRev answered ${response.status}${redirect}${details.type ? ` ${details.type}` : ""}${summary ? `: ${summary}` : ""}`;
  const ErrorClass = BY_STATUS[response.status] ?? (response.status >= 500 ? ServerError : ApiError);
  return new ErrorClass(response.status, message, details, secrets);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
