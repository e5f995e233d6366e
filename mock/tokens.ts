import { createHash, randomUUID } from "node:crypto";
import type { AuthTokensCreateRequest } from "../generated/index.js";
import { decodeJwtClaims } from "../src/shared/jwt.js";

/**
 * Mock tokens shaped like DevRev's real ones, so code that reads the mock's
 * tokens reads real ones too: a DON subject, `iss`, `jti`, `iat`/`exp`, and
 * the claims public code reads from real PLuG session tokens under
 * `http://devrev.ai/` (`revuid`, `displayname`, `email`, `tokentype`,
 * `session_tokentype`, `clientid`, `is_verified`, `devrev_don`, `devrevid`,
 * `parent_jti`). Only those names are public: their values here are the
 * mock's reading of the names, said so where each is set. They are unsigned
 * (`alg: none`, empty signature): nothing could mistake one for a real token.
 */

/** The DevRev partition and dev org every mock identity lives in. */
const DON_PREFIX = "don:identity:dvrv-us-1:devo/0";
const CLAIM = "http://devrev.ai/";
const ISSUER = "https://auth-token.devrev.ai/";
const URN = "urn:devrev:params:oauth:token-type:";

/**
 * A session token's lifetime when the request names none. DevRev's
 * authentication page says only that session tokens live "usually minutes",
 * with no figure, so this is the mock's choice: an hour, long enough for a
 * demo session and well inside the 1,440 minutes `expires_in_mins` allows.
 * Ask for less with `expires_in_mins` to exercise expiry.
 */
export const SESSION_LIFETIME_SECONDS = 60 * 60;
/** Application and personal access tokens live days; the mock's default is thirty. */
export const ACCESS_TOKEN_LIFETIME_SECONDS = 30 * 24 * 60 * 60;

/** Who a token is for, as the mock's directory knows them. */
export interface Subject {
  /** The DON, such as `don:identity:dvrv-us-1:devo/0:revo/6:revu/131`. */
  don: string;
  /** Rev users only: the user's display ID. */
  revuid?: string;
  displayName?: string;
  email?: string;
}

/** What the mock knows of the access token a request was sent with. */
export interface MintContext {
  /** The client ID the AAT names, or the mock's own. */
  clientId: string;
  /** The AAT's own `jti`, when it is a JWT with one: the minted token's `parent_jti`. */
  parentJti?: string;
  /** An `aat:public` AAT mints users DevRev reports as unverified (`is_verified: false`). */
  isPublic: boolean;
  now: number;
}

export interface MintedToken {
  accessToken: string;
  /** Unix time in seconds, as DevRev's `expires_in` reads. */
  expiresAt: number;
  /** Only for AATs, as DevRev answers it. */
  clientId?: string;
}

/** A positive number derived from `value`: the same for the same value, across runs. */
export function stableNumber(namespace: string, value: string): number {
  const digest = createHash("sha256").update(`${namespace}\0${value}`).digest();
  return (digest.readUInt32BE(0) % 999_999) + 1;
}

/** The Rev org a user is in: their workspace, else their account, else the one for unassigned contacts. */
export function revOrgId(workspaceRef?: string, accountRef?: string): number {
  return workspaceRef === undefined
    ? stableNumber("account", accountRef ?? "")
    : stableNumber("workspace", workspaceRef);
}

/** An application's identity, as an AAT's subject names it. */
export function serviceAccountDon(clientId: string): string {
  return `${DON_PREFIX}:svcacc/${stableNumber("svcacc", clientId)}`;
}

export function revUserDon(revoId: number, revuId: number): string {
  return `${DON_PREFIX}:revo/${revoId}:revu/${revuId}`;
}

/** The identity behind a subject token: the JWT's own subject when it is one, else the token itself. */
export function subjectFromToken(subjectToken: string, kind: "revu" | "devu"): Subject {
  const claims = decodeJwtClaims(subjectToken);
  const sub = typeof claims?.sub === "string" ? claims.sub : undefined;
  const id = stableNumber(kind, sub ?? subjectToken);
  const text = (key: string) => (typeof claims?.[key] === "string" ? (claims[key] as string) : undefined);
  return {
    don: kind === "revu" ? revUserDon(revOrgId(), id) : `${DON_PREFIX}:devu/${id}`,
    ...(kind === "revu" ? { revuid: `REVU-${id}` } : {}),
    ...optional("displayName", text("name") ?? text("display_name")),
    ...optional("email", text("email")),
  };
}

/** The token for `subject`, typed and timed as `request` asks. */
export function mintToken(request: AuthTokensCreateRequest, subject: Subject, context: MintContext): MintedToken {
  const tokenType = requestedTokenType(request);
  const isSession = tokenType.startsWith(`${URN}session`);
  const iat = Math.floor(context.now / 1000);
  const exp = iat + lifetimeSeconds(request, isSession ? SESSION_LIFETIME_SECONDS : ACCESS_TOKEN_LIFETIME_SECONDS);
  const isAat = tokenType.startsWith(`${URN}aat`);
  const clientId = isAat ? (request.client_id ?? `mock-client-${randomUUID().slice(0, 8)}`) : context.clientId;
  const claims = {
    iss: ISSUER,
    sub: subject.don,
    // DevRev's audience values are not public: the mock sets `aud` only when the request names one.
    ...(request.aud === undefined ? {} : { aud: request.aud }),
    iat,
    exp,
    jti: randomUUID(),
    [`${CLAIM}clientid`]: clientId,
    [`${CLAIM}tokentype`]: tokenType,
    // The mock's reading: the subject's DON, and its display ID (REVU-…) or, without one, its DON.
    [`${CLAIM}devrev_don`]: subject.don,
    [`${CLAIM}devrevid`]: subject.revuid ?? subject.don,
    ...optional(`${CLAIM}parent_jti`, context.parentJti),
    // Not public either; `session:rev` names what a PLuG session is, a Rev user's session.
    ...(isSession ? { [`${CLAIM}session_tokentype`]: `${URN}session:rev` } : {}),
    ...(subject.revuid ? { [`${CLAIM}revuid`]: subject.revuid, [`${CLAIM}is_verified`]: !context.isPublic } : {}),
    ...optional(`${CLAIM}displayname`, subject.displayName),
    ...optional(`${CLAIM}email`, subject.email),
  };
  return { accessToken: unsignedJwt(claims), expiresAt: exp, ...(isAat ? { clientId } : {}) };
}

/** What the request asks for; a `rev_info` body without one asks for a session token. */
function requestedTokenType(request: AuthTokensCreateRequest): string {
  const requested = "requested_token_type" in request ? request.requested_token_type : undefined;
  return typeof requested === "string" ? requested : `${URN}session`;
}

/** `expires_in_mins` wins over `expires_in` (days), as the newer field; 0 or absent means the default. */
function lifetimeSeconds(request: AuthTokensCreateRequest, fallback: number): number {
  if (request.expires_in_mins) return request.expires_in_mins * 60;
  if (request.expires_in) return request.expires_in * 24 * 60 * 60;
  return fallback;
}

/** The client ID the AAT carries, if it is a JWT that names one. */
export function clientIdOf(aat: string | undefined): string | undefined {
  const claims = aat ? decodeJwtClaims(aat) : undefined;
  const value = claims?.[`${CLAIM}clientid`] ?? claims?.client_id;
  return typeof value === "string" ? value : undefined;
}

/** The AAT's `jti`, if it is a JWT that has one. */
export function jtiOf(aat: string | undefined): string | undefined {
  const jti = aat ? decodeJwtClaims(aat)?.jti : undefined;
  return typeof jti === "string" ? jti : undefined;
}

/** The token in an `Authorization` header, raw or after `Bearer `, as DevRev accepts both. */
export function presentedToken(authorization: string | undefined): string | undefined {
  const value = authorization?.trim();
  if (!value) return undefined;
  return /^bearer\s+/i.test(value) ? value.replace(/^bearer\s+/i, "") : value;
}

const UNSIGNED_HEADER = Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url");

/** A JWT with `alg: none` and an empty signature: obviously fake, still JWT-shaped. */
export function unsignedJwt(claims: Record<string, unknown>): string {
  return `${UNSIGNED_HEADER}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.`;
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}
