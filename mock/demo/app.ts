import { readFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import type { RevInfo } from "../../generated/index.js";
import { createDevRevClient, createSessionTokenHandler, toNodeHandler } from "../../src/server/index.js";

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
  let lastCall: RecordedCall | undefined;
  const client = createDevRevClient({
    ...options.devrev,
    fetch: async (request) => {
      const headers = Object.fromEntries(request.headers);
      headers.authorization = "[REDACTED]";
      lastCall = { method: request.method, url: request.url, headers, body: await request.clone().json() };
      return fetch(request);
    },
  });
  const session = toNodeHandler(createSessionTokenHandler({ client, identify: identityFromCookie }));
  const page = await pageHtml(options.plug);

  return (req, res) => {
    const { pathname } = new URL(req.url ?? "/", "http://demo");
    if (pathname === "/api/plug/session") return void session(req, res);
    if (pathname === "/demo/last-call") return send(res, 200, "application/json", JSON.stringify(lastCall ?? null));
    if (pathname === "/demo/sign-in" && req.method === "POST") return void signIn(req, res);
    if (pathname === "/demo/sign-out" && req.method === "POST") {
      res.writeHead(204, { "Set-Cookie": "demo_user=; Path=/; Max-Age=0" }).end();
      return;
    }
    if (pathname === "/") return send(res, 200, "text/html; charset=utf-8", page);
    send(res, 404, "text/plain", "not found");
  };
}

/** The identity cookie holds the form's fields; a real site would look up its own session instead. */
function identityFromCookie(request: Request): RevInfo | null {
  const value = /(?:^|;\s*)demo_user=([^;]+)/.exec(request.headers.get("cookie") ?? "")?.[1];
  if (!value) return null;
  const form = JSON.parse(Buffer.from(decodeURIComponent(value), "base64url").toString()) as Record<string, string>;
  const optional = (key: string) => (form[key] ? form[key] : undefined);
  return {
    user_ref: form.user_ref ?? "",
    user_traits: { display_name: optional("display_name"), email: optional("email") },
    ...(form.account_ref ? { account_ref: form.account_ref } : {}),
    ...(form.domain ? { account_traits: { domains: [form.domain] } } : {}),
  };
}

async function signIn(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const fields = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString()));
  const cookie = encodeURIComponent(Buffer.from(JSON.stringify(fields)).toString("base64url"));
  res.writeHead(204, { "Set-Cookie": `demo_user=${cookie}; Path=/; HttpOnly; SameSite=Lax` }).end();
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
