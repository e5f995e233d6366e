import { cookies } from "next/headers";

/**
 * The site's own sign-in, reduced to what the example needs: a session cookie
 * holding the user's id and an HMAC-SHA-256 signature made with SESSION_SECRET
 * (Web Crypto, so it runs on Node and edge runtimes alike). Your app has its
 * own: a session store, or a JWT its auth library verifies. What matters is
 * that the identity comes from something only the server could have signed.
 */

export const SESSION_COOKIE = "session";

export interface User {
  id: string;
  name: string;
  email: string;
}

/** The example's users; yours come from your database. */
export const USERS: Record<string, User> = {
  ada: { id: "ada", name: "Ada Lovelace", email: "ada@acme.example" },
  grace: { id: "grace", name: "Grace Hopper", email: "grace@acme.example" },
};

const encoder = new TextEncoder();

async function key(): Promise<CryptoKey> {
  const secret = process.env.SESSION_SECRET;
  if (!secret) throw new Error("SESSION_SECRET is not set: the session cookie cannot be signed or checked");
  return crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
    "verify",
  ]);
}

/** The cookie value for a signed-in user: `id.signature`. */
export async function signSession(id: string): Promise<string> {
  const signature = await crypto.subtle.sign("HMAC", await key(), encoder.encode(id));
  return `${id}.${Buffer.from(signature).toString("base64url")}`;
}

/** The signed-in user, or null when the cookie is missing, forged or names nobody. */
export async function currentUser(): Promise<User | null> {
  const value = (await cookies()).get(SESSION_COOKIE)?.value ?? "";
  const dot = value.lastIndexOf(".");
  if (dot < 1) return null;
  const id = value.slice(0, dot);
  const signature = Buffer.from(value.slice(dot + 1), "base64url");
  const valid = await crypto.subtle.verify("HMAC", await key(), signature, encoder.encode(id));
  return valid ? (USERS[id] ?? null) : null;
}
