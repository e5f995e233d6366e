import type { PrismHttpComponents } from "@stoplight/prism-http";
import prismMocker from "@stoplight/prism-http/dist/mocker/index.js";

type Mock = PrismHttpComponents["mock"];
// The module is CommonJS with `exports.default`: Node's ESM loader sees that as
// a property of the default import, bundlers and vitest unwrap it.
const imported = prismMocker as unknown as Mock | { default: Mock };
const prismMock = typeof imported === "function" ? imported : imported.default;

/** How long a mock session token lives when the request does not say. */
const DEFAULT_LIFETIME_SECONDS = 24 * 60 * 60;

/**
 * Prism's own mocker, plus one step Prism cannot do: a 201 for a `rev_info`
 * request gets a token that names the user. Prism still routes, checks
 * security, validates the request, negotiates the response and validates the
 * result against the spec; this only swaps the example's `access_token` (and
 * `expires_in`) for an unsigned JWT whose claims echo the identity. A request
 * that asks for a named example (`Prefer: example=...`) gets it untouched.
 */
export const personalizedMock: Mock = (options) => (logger) => {
  const result = prismMock(withCreatedByDefault(options))(logger);
  if (result._tag === "Left") return result;
  const output = result.right;
  const request = options.input.data;
  const revInfo = isRecord(request.body) ? request.body.rev_info : undefined;
  const asksForExample = /\bexample=/.test(String(request.headers?.prefer ?? ""));
  if (output.statusCode !== 201 || !isRecord(revInfo) || asksForExample || !isRecord(output.body)) return result;

  const now = Math.floor(Date.now() / 1000);
  const minutes = isRecord(request.body) ? request.body.expires_in_mins : undefined;
  const exp = now + (typeof minutes === "number" ? minutes * 60 : DEFAULT_LIFETIME_SECONDS);
  const token = unsignedJwt(identityClaims(revInfo, now, exp));
  return { ...result, right: { ...output, body: { ...output.body, access_token: token, expires_in: exp } } };
};

/**
 * Prism answers the lowest documented 2xx. The spec documents 200 because
 * DevRev's docs list it, but the API answers 201, so the mock does too unless
 * the request asks for a status (`Prefer: code=...`).
 */
function withCreatedByDefault(options: Parameters<Mock>[0]): Parameters<Mock>[0] {
  const documentsCreated = options.resource.responses.some((response) => response.code === "201");
  if (options.config.code !== undefined || !documentsCreated) return options;
  return { ...options, config: { ...options.config, code: 201 } };
}

/** The claims a mock session token carries: who the user is, and DevRev-like bookkeeping. */
export function identityClaims(revInfo: Record<string, unknown>, iat: number, exp: number): Record<string, unknown> {
  const user = isRecord(revInfo.user_traits) ? revInfo.user_traits : {};
  const account = isRecord(revInfo.account_traits) ? revInfo.account_traits : {};
  const pick = (source: Record<string, unknown>, key: string) =>
    typeof source[key] === "string" ? source[key] : undefined;
  return {
    iss: "devrev-plug-session-mock",
    sub: `mock:revu/${String(revInfo.user_ref)}`,
    aud: ["janus"],
    iat,
    exp,
    token_type: "urn:devrev:params:oauth:token-type:session",
    user_ref: revInfo.user_ref,
    display_name: pick(user, "display_name"),
    email: pick(user, "email"),
    account_ref: revInfo.account_ref,
    account_display_name: pick(account, "display_name"),
    workspace_ref: revInfo.workspace_ref,
  };
}

const UNSIGNED_HEADER = Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url");

/** A JWT with `alg: none` and an empty signature: obviously fake, still JWT-shaped. */
export function unsignedJwt(claims: Record<string, unknown>): string {
  return `${UNSIGNED_HEADER}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
