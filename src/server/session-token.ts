import {
  type AuthTokensCreateBody,
  authTokensCreate,
  type RevInfo,
  SubjectTokenType,
  UndeclaredStatusError,
  validateAuthTokensCreateRequest,
} from "../../generated/index.js";
import { type DevRevClient, secretsOf } from "./client.js";
import { errorFromResponse, InvalidResponseError, ValidationError } from "./errors.js";
import { tokenExpiry } from "./jwt.js";

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
  let result: Awaited<ReturnType<typeof authTokensCreate>>;
  try {
    result = await authTokensCreate(client, body, input.signal ? { signal: input.signal } : undefined);
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
 */
function requestBody(input: SessionTokenInput): AuthTokensCreateBody {
  // Typed callers cannot get this wrong, but JavaScript callers and request data can.
  const given: Partial<ByRevInfo & BySubjectToken> = typeof input === "object" && input !== null ? input : {};
  const lifetime = given.expiresInMinutes === undefined ? {} : { expires_in_mins: given.expiresInMinutes };
  let body: unknown;
  if ("revInfo" in given) {
    body = { rev_info: given.revInfo, ...lifetime };
  } else if ("subjectToken" in given) {
    body = {
      grant_type: "urn:devrev:params:oauth:grant-type:token-issue",
      requested_token_type: "urn:devrev:params:oauth:token-type:session",
      subject_token: given.subjectToken,
      subject_token_type: given.subjectTokenType ?? SubjectTokenType.Userinfo,
      ...lifetime,
    };
  } else {
    throw new ValidationError([{ field: "input", message: "must have either revInfo or subjectToken" }]);
  }
  const checked = validateAuthTokensCreateRequest(body);
  if (!checked.valid) throw new ValidationError(checked.issues.map(({ path, message }) => ({ field: path, message })));
  return checked.value as AuthTokensCreateBody;
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
