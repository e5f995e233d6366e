import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { fileURLToPath } from "node:url";
import { type RevInfo, validateAuthTokensCreateRequest } from "devrev-plug-session";
import { toNodeHandler } from "devrev-plug-session/node";
import { createDevRevClient, createSessionTokenHandler } from "devrev-plug-session/server";
import { build } from "esbuild";

export interface DemoOptions {
  /** Where DevRev (or the mock) is, and the token to call it with; it never reaches the page. */
  devrev: { baseUrl: string; token: string };
  /** What the page passes to PLuG. */
  plug: { appId: string; sdkUrl: string };
}

/** The last call the backend made to DevRev, for the page's panel, with the AAT redacted. */
interface RecordedCall {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

/**
 * The demo site's backend, the part people copy: a sign-in form stores the
 * identity in a cookie, and `POST /api/plug/session` turns that cookie into a
 * session token with `createSessionTokenHandler`.
 */
export async function createDemoApp(
  options: DemoOptions,
): Promise<(req: IncomingMessage, res: ServerResponse) => void> {
  // Each visitor sees only the calls made for them: a shared "last call" would show one visitor another's email.
  const visitor = new AsyncLocalStorage<string>();
  const lastCalls = new Map<string, RecordedCall>();
  const client = createDevRevClient({
    ...options.devrev,
    fetch: async (request) => {
      const headers = Object.fromEntries(request.headers);
      headers.authorization = "[REDACTED]";
      const id = visitor.getStore();
      if (id) {
        lastCalls.delete(id);
        lastCalls.set(id, { method: request.method, url: request.url, headers, body: await request.clone().json() });
        // Oldest first: forget the longest-idle visitors beyond the limit.
        if (lastCalls.size > MAX_VISITORS) lastCalls.delete(lastCalls.keys().next().value as string);
      }
      return fetch(request);
    },
  });
  const session = toNodeHandler(createSessionTokenHandler({ client, identify: identityFromCookie }));
  const page = await pageHtml(options.plug);

  return (req, res) => {
    const { pathname } = new URL(req.url ?? "/", "http://demo");
    const id = cookie(req.headers.cookie, "demo_visitor");
    if (pathname === "/api/plug/session") {
      // A token served from the cache makes no call: forget the previous one so the panel says so.
      if (id) lastCalls.delete(id);
      return void visitor.run(id ?? "", () => session(req, res));
    }
    if (pathname === "/demo/last-call") {
      return send(res, 200, "application/json", JSON.stringify((id && lastCalls.get(id)) ?? null));
    }
    if (pathname === "/demo/sign-in" && req.method === "POST") return void signIn(req, res, id);
    if (pathname === "/demo/sign-out" && req.method === "POST") {
      res.writeHead(204, { "Set-Cookie": "demo_user=; Path=/; Max-Age=0" }).end();
      return;
    }
    if (pathname === "/") return send(res, 200, "text/html; charset=utf-8", page);
    send(res, 404, "text/plain", "not found");
  };
}

/** Visitors whose last call the demo remembers. */
const MAX_VISITORS = 1_000;
/** Largest sign-in form read; the five fields fit in far less. */
const MAX_SIGN_IN_BYTES = 16 * 1024;

function cookie(header: string | undefined, name: string): string | undefined {
  return new RegExp(`(?:^|;\\s*)${name}=([^;]+)`).exec(header ?? "")?.[1];
}

/** The identity cookie holds the form's fields; a real site would look up its own session instead. */
function identityFromCookie(request: Request): RevInfo | null {
  const value = cookie(request.headers.get("cookie") ?? undefined, "demo_user");
  if (!value) return null;
  return identityOf(JSON.parse(Buffer.from(decodeURIComponent(value), "base64url").toString()));
}

function identityOf(form: Record<string, string>): RevInfo {
  const optional = (key: string) => (form[key] ? form[key] : undefined);
  return {
    user_ref: form.user_ref ?? "",
    user_traits: { display_name: optional("display_name"), email: optional("email") },
    ...(form.account_ref ? { account_ref: form.account_ref } : {}),
    ...(form.domain ? { account_traits: { domains: [form.domain] } } : {}),
  };
}

/**
 * Stores the form in the identity cookie, once the library's own validator
 * accepts it: a rejected identity leaves the visitor signed in as before.
 */
async function signIn(req: IncomingMessage, res: ServerResponse, visitorId: string | undefined): Promise<void> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Read to the end even past the limit (keeping nothing): answering mid-upload and dropping the
  // connection would leave the browser's next request on it hanging.
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size <= MAX_SIGN_IN_BYTES) chunks.push(chunk as Buffer);
  }
  if (size > MAX_SIGN_IN_BYTES) return send(res, 413, "application/json", JSON.stringify({ error: "too_large" }));
  const fields = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString()));
  const checked = validateAuthTokensCreateRequest({ rev_info: identityOf(fields) });
  if (!checked.valid) {
    const body = { error: "invalid_identity", issues: checked.issues };
    return send(res, 400, "application/json", JSON.stringify(body));
  }
  const identity = encodeURIComponent(Buffer.from(JSON.stringify(fields)).toString("base64url"));
  const cookies = [`demo_user=${identity}; Path=/; HttpOnly; SameSite=Lax`];
  if (!visitorId) cookies.push(`demo_visitor=${randomUUID()}; Path=/; HttpOnly; SameSite=Lax`);
  res.writeHead(204, { "Set-Cookie": cookies }).end();
}

async function pageHtml(plug: DemoOptions["plug"]): Promise<string> {
  const [script] = (
    await build({
      // From source the page is TypeScript; from dist/ it is the compiled twin.
      entryPoints: [
        fileURLToPath(new URL(import.meta.url.endsWith(".ts") ? "./page.ts" : "./page.js", import.meta.url)),
      ],
      bundle: true,
      format: "esm",
      target: "es2022",
      write: false,
      logLevel: "silent",
      define: { __PLUG__: JSON.stringify(plug) },
    })
  ).outputFiles;
  const html = await readFile(new URL("./page.html", import.meta.url), "utf8");
  return html.replace(
    "<!-- script -->",
    `<script type="module">${script?.text.replaceAll("</script", "<\\/script")}</script>`,
  );
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { "Content-Type": type, "Cache-Control": "no-store" }).end(body);
}
