import { toBase64url } from "../shared/base64url.js";

const encoder = new TextEncoder();

/**
 * SHA-256 of `text` as unpadded base64url, through Web Crypto: the server
 * entry runs where `node:crypto` does not exist (workerd, edge runtimes).
 */
export async function sha256Base64url(text: string): Promise<string> {
  return toBase64url(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
}
