// What every runtime's test runs: the package's Web-standard handler, from the packed
// tarball, minting against the mock, and the checks on its answer. Plain JavaScript with
// Web APIs only, so each runtime loads it as it is (workerd through wrangler's bundler).
import { createDevRevClient, createSessionTokenHandler } from "devrev-plug-session/server";

/** Any token: the mock accepts every AAT. */
const AAT = "ecosystem-aat-0123456789abcdef";

/** The handler a site would mount, signing in whoever the `x-user` header names. */
export function sessionHandler(mockUrl) {
  return createSessionTokenHandler({
    client: createDevRevClient({ token: AAT, baseUrl: mockUrl }),
    identify: (request) => {
      const user = request.headers.get("x-user");
      return user ? { user_ref: user, user_traits: { display_name: `${user} on ${runtimeName()}` } } : null;
    },
  });
}

/** The request a page sends. */
export function sessionRequest(url, user) {
  return new Request(url, { method: "POST", headers: user ? { "x-user": user } : {} });
}

/**
 * Throws unless `response` is the handler's 200 with a session token the mock
 * minted for `user` (its display name claim) that expires in the future.
 */
export async function expectMinted(response, user) {
  const text = await response.text();
  if (response.status !== 200) throw new Error(`expected 200, got ${response.status}: ${text}`);
  const { session_token: token, expires_at: expiresAt } = JSON.parse(text);
  const payload = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
  const claims = JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(payload), (c) => c.charCodeAt(0))));
  const name = claims["http://devrev.ai/displayname"];
  if (!name?.startsWith(`${user} on `)) throw new Error(`the token names ${name}, not ${user}`);
  if (!(Date.parse(expiresAt) > Date.now())) throw new Error(`expires_at ${expiresAt} is not in the future`);
  return name;
}

/** Throws unless `response` is the handler's 401 for a signed-out visitor. */
export async function expectSignedOut(response) {
  const text = await response.text();
  if (response.status !== 401) throw new Error(`expected 401 when signed out, got ${response.status}: ${text}`);
}

function runtimeName() {
  const g = globalThis;
  if (g.Bun) return `Bun ${g.Bun.version}`;
  if (g.Deno) return `Deno ${g.Deno.version.deno}`;
  if (g.navigator?.userAgent === "Cloudflare-Workers") return "workerd";
  if (g.EdgeRuntime) return `${g.EdgeRuntime}`;
  return `Node.js ${g.process.versions.node}`;
}
