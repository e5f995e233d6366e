import {
  type AuthTokensCreateBody,
  authTokensCreate,
  type RevInfo,
  SubjectTokenType,
  UndeclaredStatusError,
  validateAuthTokensCreateRequest,
} from "../../generated/index.js";
import { fieldPath } from "../../generated/validation.js";
import { decodeJwtClaims } from "../shared/jwt.js";
import { type DevRevClient, internalsOf } from "./client.js";
import {
  errorFromResponse,
  InvalidResponseError,
  TimeoutError,
  ValidationError,
  type ValidationIssue,
} from "./errors.js";
import { tokenExpiry } from "./token-expiry.js";

interface CommonInput {
  /** Lifetime of the session token, 0 to 1440 minutes; DevRev's default when absent. */
  expiresInMinutes?: number;
  /** Cancels the request. */
  signal?: AbortSignal;
  /**
   * The longest this call may take, checking the input, attempts and the
   * waits between them included; no retry starts whose wait would end past it. At most the
   * client's `totalTimeoutMs`, which is the default.
   * @unit milliseconds
   */
  timeoutMs?: number;
}

/** A session token for the user described by `revInfo`, created or updated in DevRev as needed. */
export interface ByRevInfo extends CommonInput {
  revInfo: RevInfo;
  // The other form's fields, so giving both is a type error rather than one silently dropped.
  subjectToken?: never;
  subjectTokenType?: never;
}

/** A session token for the user a token of yours vouches for. */
export interface BySubjectToken extends CommonInput {
  subjectToken: string;
  /** @default SubjectTokenType.Userinfo */
  subjectTokenType?: SubjectTokenType;
  revInfo?: never;
}

export type SessionTokenInput = ByRevInfo | BySubjectToken;

export interface SessionToken {
  /** The token to pass to `plugSDK.init({ session_token })`. */
  token: string;
  tokenType: "bearer";
  expiresAt: Date;
}

/**
 * Mints a PLuG session token, in either of DevRev's two forms. The input is
 * checked first and every problem is reported at once as a ValidationError
 * (an input over 256 KiB of JSON or nested over 32 levels is refused before the
 * validator sees it); DevRev's errors become the typed errors of `./errors`.
 * The expiry comes from the token's `exp` claim, falling back on `expires_in`;
 * a token that has already expired is an InvalidResponseError.
 */
export async function createSessionToken(
  client: DevRevClient,
  input: SessionTokenInput,
  now: () => number = Date.now,
): Promise<SessionToken> {
  const started = Date.now();
  const body = sessionTokenRequestBody(input);
  const internals = internalsOf(client);
  const secrets = internals?.secrets ?? [];
  const { signal, timeoutMs: given } = input;
  // Checking the input is synchronous work no timer can interrupt: it is paid for out of this call's time.
  let timeoutMs = given;
  if (given !== undefined && given > 0) {
    timeoutMs = given - (Date.now() - started);
    if (timeoutMs <= 0) throw new TimeoutError(`checking the input used up the call's ${given} ms; nothing was sent`);
  }
  // openapi-fetch takes a fetch per request: the client's own, with this call's deadline.
  const fetch =
    internals && timeoutMs !== undefined
      ? (request: Request) => internals.send(request, { totalTimeoutMs: timeoutMs })
      : undefined;
  let result: Awaited<ReturnType<typeof authTokensCreate>>;
  try {
    result = await authTokensCreate(client, { body, ...(signal && { signal }), ...(fetch && { fetch }) });
  } catch (error) {
    if (error instanceof SyntaxError) {
      throw new InvalidResponseError(undefined, "DevRev answered success with a body that is not JSON", {
        cause: error,
        secrets,
      });
    }
    if (error instanceof UndeclaredStatusError) throw errorFromResponse(error.response, error.body, secrets);
    throw error;
  }
  // The spec lists both 200 and 201 for success, as DevRev's docs do.
  if (result.status === 200 || result.status === 201) return sessionTokenFrom(result.status, result.body, now());
  throw errorFromResponse(result.response, result.body, secrets);
}

/**
 * The request body for either form, checked by the validator generated from
 * the spec: the same rules, and the same field paths, as the mock's 400s.
 * Every problem is reported at once, as a ValidationError.
 */
export function sessionTokenRequestBody(input: SessionTokenInput): AuthTokensCreateBody {
  const body = sendableRequestBody(input);
  const checked = validateAuthTokensCreateRequest(body);
  // An issue about the body as a whole (path "") names the input, as the checks before it do.
  if (!checked.valid) {
    throw new ValidationError(checked.issues.map((issue) => ({ ...issue, path: issue.path || "input" })));
  }
  return checked.value as AuthTokensCreateBody;
}

/**
 * The request body for either form before the validator sees it, refused with
 * a ValidationError when the input names neither form or both, or cannot be
 * sent as it is (not JSON, nested deeper than MAX_INPUT_DEPTH, larger than
 * MAX_INPUT_CHARS). Its work is bounded by those limits, not by the input, so
 * the handler runs it before its token cache reads (and hashes) an identity.
 */
export function sendableRequestBody(input: SessionTokenInput): Record<string, unknown> {
  // Typed callers cannot get this wrong, but JavaScript callers and request data can.
  const given = (typeof input === "object" && input !== null ? input : {}) as Record<string, unknown>;
  const { revInfo, subjectToken, subjectTokenType, expiresInMinutes, timeoutMs } = given;
  const issues: ValidationIssue[] = [];
  if (revInfo !== undefined && subjectToken !== undefined) {
    issues.push(inputIssue("input", "must have either revInfo or subjectToken, not both", "oneOf"));
  } else if (revInfo === undefined && subjectToken === undefined) {
    issues.push(inputIssue("input", "must have either revInfo or subjectToken", "oneOf"));
  }
  if (timeoutMs !== undefined && !(Number.isInteger(timeoutMs) && (timeoutMs as number) >= 0)) {
    issues.push(inputIssue("timeoutMs", "must be a non-negative integer", "type", { type: "integer", minimum: 0 }));
  }
  if (issues.length > 0) throw new ValidationError(issues);

  const lifetime = expiresInMinutes === undefined ? {} : { expires_in_mins: expiresInMinutes };
  const body =
    revInfo !== undefined
      ? { rev_info: revInfo, ...lifetime }
      : {
          grant_type: "urn:devrev:params:oauth:grant-type:token-issue",
          requested_token_type: "urn:devrev:params:oauth:token-type:session",
          subject_token: subjectToken,
          subject_token_type: subjectTokenType ?? SubjectTokenType.Userinfo,
          ...lifetime,
        };
  // JSON cannot carry these and the validator would not see them, and a huge or deep input must not reach it.
  const problem = unsendable(body);
  if (problem) throw new ValidationError([problem]);
  return body;
}

/**
 * How deep an input may nest, in objects and arrays. A user's traits nest two
 * or three levels; a limit keeps the walk below (and the validator's) far from
 * the stack's end.
 */
const MAX_INPUT_DEPTH = 32;

/**
 * How large an input may be, as characters of its JSON. Validation is linear
 * but synchronous: no timer can stop it, so the size caps it instead (about
 * 0.1 s for 256 KiB of bad domains). A real identity is a few hundred bytes.
 */
const MAX_INPUT_CHARS = 262_144;

/**
 * The first reason the body cannot be sent as it is, checked before the
 * validator sees it: a value JSON cannot represent faithfully (BigInt,
 * function, symbol, a cycle, a non-finite number), nesting deeper than
 * MAX_INPUT_DEPTH, or more than MAX_INPUT_CHARS of JSON. The walk stops at the
 * first, so its work is bounded by the limits, not by the input.
 */
function unsendable(body: unknown): ValidationIssue | undefined {
  let size = 0;
  // The objects and arrays being walked, outermost first: a value among them is a cycle.
  const ancestors: object[] = [];
  const path: string[] = [];
  // Built only for the value found wanting: a walk that finds nothing allocates no messages.
  const at = () => fieldPath(path) || "input";
  const notJson = (message: string) => inputIssue(at(), message, "json");
  const tooLarge = () =>
    inputIssue(at(), `makes the input larger than ${MAX_INPUT_CHARS} characters of JSON`, "maxChars", {
      limit: MAX_INPUT_CHARS,
    });
  const visit = (value: unknown): ValidationIssue | undefined => {
    switch (typeof value) {
      case "string":
        size += value.length + 2;
        return size > MAX_INPUT_CHARS ? tooLarge() : undefined;
      case "bigint":
        return notJson("must be a JSON value, not a BigInt");
      case "function":
      case "symbol":
        return notJson(`must be a JSON value, not a ${typeof value}`);
      case "number":
        if (!Number.isFinite(value)) return notJson("must be a finite number");
        break;
      case "object":
        if (value !== null) return visitContainer(value);
    }
    // Characters of JSON, near enough: a string's escapes and an object's undefined members are not counted.
    size += String(value).length;
    return size > MAX_INPUT_CHARS ? tooLarge() : undefined;
  };
  const visitContainer = (value: object): ValidationIssue | undefined => {
    size += 2;
    if (size > MAX_INPUT_CHARS) return tooLarge();
    if (path.length >= MAX_INPUT_DEPTH)
      return inputIssue(at(), `is nested deeper than ${MAX_INPUT_DEPTH} levels`, "maxDepth", {
        limit: MAX_INPUT_DEPTH,
      });
    // JSON writes every slot of an array, holes too: a sparse array is as large as its length.
    if (Array.isArray(value)) size += value.length;
    if (size > MAX_INPUT_CHARS) return tooLarge();
    if (ancestors.includes(value)) return notJson("must be a JSON value, not a circular structure");
    ancestors.push(value);
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue;
      size += key.length + 4;
      path.push(key);
      const issue = visit((value as Record<string, unknown>)[key]);
      path.pop();
      if (issue) return issue;
    }
    ancestors.pop();
    return undefined;
  };
  return visit(body);
}

function sessionTokenFrom(status: number, body: unknown, now: number): SessionToken {
  const fields = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
  const missing = (name: string) =>
    new InvalidResponseError(status, `DevRev's ${status} response lacks a valid \`${name}\``);
  const { access_token: token, expires_in: expiresIn, token_type: tokenType } = fields;
  if (typeof token !== "string" || token === "") throw missing("access_token");
  if (typeof tokenType !== "string" || tokenType.toLowerCase() !== "bearer") throw missing("token_type");
  const expiresAt = tokenExpiry(token, typeof expiresIn === "number" ? expiresIn : undefined, now);
  if (!expiresAt) throw missing(decodeJwtClaims(token)?.exp === undefined ? "expires_in" : "exp");
  // A page handed this token would start the widget signed out, and a cache would keep it.
  if (expiresAt.getTime() <= now) {
    throw new InvalidResponseError(
      status,
      `DevRev's ${status} response holds a session token that had already expired (at ${expiresAt.toISOString()})`,
    );
  }
  return { token, tokenType: "bearer", expiresAt };
}

/**
 * An issue found before the validator runs, in the validators' shape. Its
 * keyword names the check: `oneOf` (neither form or both), `type`, `json` (a
 * value JSON cannot carry), `maxDepth` or `maxChars` (the input's limits).
 */
function inputIssue(
  path: string,
  message: string,
  keyword: string,
  params: Record<string, unknown> = {},
): ValidationIssue {
  return { path, message, keyword, params };
}
