/** The AAT every server test uses; redaction tests look for it everywhere. */
export const TEST_AAT = "aat-SECRET-0123456789abcdef";

/** An unsigned JWT with the given claims, shaped like DevRev's. */
export function fakeJwt(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part({ alg: "none", typ: "JWT" })}.${part(claims)}.`;
}

/** A 201 body for a token that expires `inSeconds` from `now`. */
export function createdBody(inSeconds = 3600, now = Date.now()) {
  const exp = Math.floor(now / 1000) + inSeconds;
  return { access_token: fakeJwt({ sub: "user", exp }), expires_in: exp, token_type: "bearer" };
}
