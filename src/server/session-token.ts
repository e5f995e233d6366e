import {
  type AuthTokensCreateBody,
  authTokensCreate,
  type RevInfo,
  SubjectTokenType,
  UndeclaredStatusError,
  validateAuthTokensCreateRequest,
} from "../../generated/index.js";
import { fieldPath } from "../../generated/validation.js";
import { type DevRevClient, internalsOf } from "./client.js";
import { errorFromResponse, InvalidResponseError, ValidationError, type ValidationIssue } from "./errors.js";
import { decodeJwtClaims, tokenExpiry } from "./jwt.js";

interface CommonInput {
  /** Lifetime of the session token, 0 to 1440 minutes; DevRev's default when absent. */
  expiresInMinutes?: number;
  /** Cancels the request. */
  signal?: AbortSignal;
  /**
   * The longest this call may take, attempts and the waits between them
   * included; no retry starts whose wait would end past it. At most the
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
 * checked first and every problem is reported at once as a ValidationError;
 * DevRev's errors become the typed errors of `./errors`. The expiry comes from
 * the token's `exp` claim, falling back on `expires_in`.
 */
export async function createSessionToken(
  client: DevRevClient,
  input: SessionTokenInput,
  now: () => number = Date.now,
): Promise<SessionToken> {
  const body = sessionTokenRequestBody(input);
  const internals = internalsOf(client);
  const secrets = internals?.secrets ?? [];
  const { signal, timeoutMs } = input;
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
  // Typed callers cannot get this wrong, but JavaScript callers and request data can.
  const given = (typeof input === "object" && input !== null ? input : {}) as Record<string, unknown>;
  const { revInfo, subjectToken, subjectTokenType, expiresInMinutes, timeoutMs } = given;
  const issues: ValidationIssue[] = [];
  if (revInfo !== undefined && subjectToken !== undefined) {
    issues.push({ field: "input", message: "must have either revInfo or subjectToken, not both" });
  } else if (revInfo === undefined && subjectToken === undefined) {
    issues.push({ field: "input", message: "must have either revInfo or subjectToken" });
  }
  if (timeoutMs !== undefined && !(Number.isInteger(timeoutMs) && (timeoutMs as number) >= 0)) {
    issues.push({ field: "timeoutMs", message: "must be a non-negative integer" });
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
  // JSON cannot carry these, and the validator would not see them: report them as the field they are in.
  const unsendable = notJson(body, []);
  if (unsendable) throw new ValidationError([unsendable]);
  const checked = validateAuthTokensCreateRequest(body);
  if (!checked.valid) throw new ValidationError(checked.issues.map(({ path, message }) => ({ field: path, message })));
  return checked.value as AuthTokensCreateBody;
}

/** The first value JSON cannot represent faithfully (BigInt, function, symbol, a cycle, a non-finite number), if any. */
function notJson(value: unknown, path: string[], seen = new Set<object>()): ValidationIssue | undefined {
  const field = fieldPath(path) || "input";
  if (typeof value === "bigint") return { field, message: "must be a JSON value, not a BigInt" };
  if (typeof value === "function" || typeof value === "symbol") {
    return { field, message: `must be a JSON value, not a ${typeof value}` };
  }
  if (typeof value === "number" && !Number.isFinite(value)) return { field, message: "must be a finite number" };
  if (typeof value !== "object" || value === null) return undefined;
  if (seen.has(value)) return { field, message: "must be a JSON value, not a circular structure" };
  seen.add(value);
  for (const [key, item] of Object.entries(value)) {
    const issue = notJson(item, [...path, key], seen);
    if (issue) return issue;
  }
  seen.delete(value);
  return undefined;
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
  return { token, tokenType: "bearer", expiresAt };
}
