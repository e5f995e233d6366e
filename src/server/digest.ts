const encoder = new TextEncoder();

/**
 * SHA-256 of `text` as unpadded base64url, through Web Crypto: the server
 * entry runs where `node:crypto` does not exist (workerd, edge runtimes).
 */
export async function sha256Base64url(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
  let binary = "";
  for (const byte of digest) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
