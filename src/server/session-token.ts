import {
  type AuthTokensCreateBody,
  authTokensCreate,
  type RevInfo,
  SubjectTokenType,
  UndeclaredStatusError,
} from "../../generated/index.js";
import { type DevRevClient, secretsOf } from "./client.js";
import { errorFromResponse, InvalidResponseError, ValidationError } from "./errors.js";
import { tokenExpiry } from "./jwt.js";
import { lifetimeIssues, revInfoIssues, subjectTokenIssues } from "./validate.js";

interface CommonInput {
  /** Lifetime of the session token, 0 to 1440 minutes; DevRev's default when absent. */
  expiresInMinutes?: number;
  /** Cancels the request. */
  signal?: AbortSignal;
}

/** A session token for the user described by `revInfo`, created or updated in DevRev as needed. */
export interface ByRevInfo extends CommonInput {
  revInfo: RevInfo;
}

/** A session token for the user a token of yours vouches for. */
export interface BySubjectToken extends CommonInput {
  subjectToken: string;
  /** @default SubjectTokenType.Userinfo */
  subjectTokenType?: SubjectTokenType;
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
  const body = requestBody(input);
  const secrets = secretsOf(client);
  let result: Awaited<ReturnType<typeof authTokensCreate>> | { status: 200; body: unknown; response: Response };
  try {
    result = await authTokensCreate(client, body, input.signal ? { signal: input.signal } : undefined);
  } catch (error) {
    if (error instanceof SyntaxError) {
      throw new InvalidResponseError(undefined, "DevRev answered success with a body that is not JSON", {
        cause: error,
        secrets,
      });
    }
    // DevRev's docs also list 200 for success; the spec keeps 201 so the mock answers as the API does.
    if (error instanceof UndeclaredStatusError && error.status === 200) {
      result = { status: 200, body: error.body, response: error.response };
    } else if (error instanceof UndeclaredStatusError) {
      throw errorFromResponse(error.response, error.body, secrets);
    } else {
      throw error;
    }
  }
  if (result.status !== 200 && result.status !== 201) throw errorFromResponse(result.response, result.body, secrets);
  return sessionTokenFrom(result.status, result.body, now());
}

function requestBody(input: SessionTokenInput): AuthTokensCreateBody {
  // Typed callers cannot get this wrong, but JavaScript callers and request data can.
  const given: Partial<ByRevInfo & BySubjectToken> = typeof input === "object" && input !== null ? input : {};
  const issues = lifetimeIssues(given.expiresInMinutes);
  const lifetime = given.expiresInMinutes === undefined ? {} : { expires_in_mins: given.expiresInMinutes };
  if ("revInfo" in given) {
    issues.push(...revInfoIssues(given.revInfo));
    if (issues.length > 0) throw new ValidationError(issues);
    return { rev_info: given.revInfo as RevInfo, ...lifetime };
  }
  if ("subjectToken" in given) {
    issues.push(...subjectTokenIssues(given.subjectToken, given.subjectTokenType));
    if (issues.length > 0) throw new ValidationError(issues);
    return {
      grant_type: "urn:devrev:params:oauth:grant-type:token-issue",
      requested_token_type: "urn:devrev:params:oauth:token-type:session",
      subject_token: given.subjectToken as string,
      subject_token_type: given.subjectTokenType ?? SubjectTokenType.Userinfo,
      ...lifetime,
    };
  }
  throw new ValidationError([{ field: "input", message: "must have either revInfo or subjectToken" }]);
}

function sessionTokenFrom(status: number, body: unknown, now: number): SessionToken {
  const fields = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
  const missing = (name: string) =>
    new InvalidResponseError(status, `DevRev's ${status} response lacks a valid \`${name}\``);
  const { access_token: token, expires_in: expiresIn, token_type: tokenType } = fields;
  if (typeof token !== "string" || token === "") throw missing("access_token");
  if (typeof tokenType !== "string" || tokenType.toLowerCase() !== "bearer") throw missing("token_type");
  const expiresAt = tokenExpiry(token, typeof expiresIn === "number" ? expiresIn : undefined, now);
  if (!expiresAt) throw missing("expires_in");
  return { token, tokenType: "bearer", expiresAt };
}
