import { fromBase64url, toBase64url } from "../shared/base64url.js";
import type { SessionToken } from "./session-token.js";

/**
 * The two keys a token store's entries depend on, both derived from the
 * cache's scope (for the handler, a digest of DevRev's origin and the AAT)
 * with HKDF: one names entries (HMAC-SHA-256 of the identity), one seals
 * them (AES-256-GCM). Two AATs never share a name or a seal, a store's
 * reader learns nobody's identity, and a leaked dump holds no usable token.
 * Web Crypto only, so edge runtimes run it too.
 */
export interface StoreKeys {
  naming: CryptoKey;
  sealing: CryptoKey;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
// Fixed, public and versioned: HKDF's salt and info separate these keys from any other use of the secret.
const SALT = encoder.encode("devrev-plug-session token store v1");
const VERSION = "v1";

export async function deriveStoreKeys(secret: string): Promise<StoreKeys> {
  const base = await crypto.subtle.importKey("raw", encoder.encode(secret), "HKDF", false, ["deriveKey"]);
  const derive = (info: string, algorithm: HmacKeyGenParams | AesKeyGenParams, usages: KeyUsage[]) =>
    crypto.subtle.deriveKey(
      { name: "HKDF", hash: "SHA-256", salt: SALT, info: encoder.encode(info) },
      base,
      algorithm,
      false,
      usages,
    );
  const [naming, sealing] = await Promise.all([
    derive("entry names", { name: "HMAC", hash: "SHA-256", length: 256 }, ["sign"]),
    derive("entry values", { name: "AES-GCM", length: 256 }, ["encrypt", "decrypt"]),
  ]);
  return { naming, sealing };
}

/** The store's name for an identity (its canonical JSON): an HMAC, so equal identities meet and nothing else can be read from it. */
export async function entryName(keys: StoreKeys, identity: string): Promise<string> {
  return toBase64url(await crypto.subtle.sign("HMAC", keys.naming, encoder.encode(identity)));
}

/**
 * The token sealed for the entry `name`: `v1.<iv>.<ciphertext>`. The name is
 * authenticated with it, so a sealed value copied under another user's name
 * does not unseal there.
 */
export async function seal(keys: StoreKeys, name: string, token: SessionToken): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const plain = encoder.encode(JSON.stringify({ token: token.token, expiresAt: token.expiresAt.getTime() }));
  const sealed = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: encoder.encode(name) },
    keys.sealing,
    plain,
  );
  return `${VERSION}.${toBase64url(iv)}.${toBase64url(sealed)}`;
}

/** The token in a value `seal` made for `name`; throws on anything else (another key, another name, garbage). */
export async function unseal(keys: StoreKeys, name: string, value: unknown): Promise<SessionToken> {
  // Some stores hand back bytes rather than text.
  const text = value instanceof Uint8Array ? decoder.decode(value) : value;
  const [version, iv, sealed, ...rest] = typeof text === "string" ? text.split(".") : [];
  if (version !== VERSION || iv === undefined || sealed === undefined || rest.length > 0) {
    throw new Error("not a sealed session token");
  }
  const plain = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: fromBase64url(iv), additionalData: encoder.encode(name) },
    keys.sealing,
    fromBase64url(sealed),
  );
  const { token, expiresAt } = JSON.parse(decoder.decode(plain)) as { token?: unknown; expiresAt?: unknown };
  if (typeof token !== "string" || token === "" || typeof expiresAt !== "number" || !Number.isFinite(expiresAt)) {
    throw new Error("a sealed value without a token and its expiry");
  }
  return { token, tokenType: "bearer", expiresAt: new Date(expiresAt) };
}
