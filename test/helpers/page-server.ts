import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { toNodeHandler } from "../../src/node/index.js";
import { createDevRevClient, createSessionTokenHandler } from "../../src/server/index.js";
import { bundleBrowserEntry } from "./browser-bundle.js";
import { TEST_AAT } from "./tokens.js";

const USERS: Record<string, { display_name: string; email: string }> = {
  ada: { display_name: "Ada Lovelace", email: "ada@acme.example" },
  grace: { display_name: "Grace Hopper", email: "grace@acme.example" },
};

export interface PageServer {
  url: string;
  close(): Promise<void>;
}

/**
 * A site on 127.0.0.1 as a user of this library builds it: a page that loads
 * the browser entry, and `POST /api/plug/session` served by the server entry
 * against the mock. The signed-in user comes from a `user` cookie. Three extra
 * script routes fail on purpose: one 404s, one never answers, and one answers
 * after a second. With `app` (a bundled script), `/app` is a page that runs it
 * in `<div id="root">`, as a React app mounts.
 */
export async function startPageServer(mockUrl: string, options: { app?: string } = {}): Promise<PageServer> {
  const bundle = await bundleBrowserEntry();
  const session = toNodeHandler(
    createSessionTokenHandler({
      client: createDevRevClient({ token: TEST_AAT, baseUrl: mockUrl }),
      identify: (request) => {
        const user = /(?:^|;\s*)user=(\w+)/.exec(request.headers.get("cookie") ?? "")?.[1];
        const traits = user ? USERS[user] : undefined;
        return user && traits ? { user_ref: user, user_traits: traits } : null;
      },
    }),
  );
  const hanging = new Set<import("node:http").ServerResponse>();
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    if (path === "/api/plug/session") return void session(req, res);
    if (path === "/browser.js") return void res.writeHead(200, { "content-type": "text/javascript" }).end(bundle);
    if (path === "/app.js") return void res.writeHead(200, { "content-type": "text/javascript" }).end(options.app);
    if (path === "/app") {
      const page = `<!doctype html><title>app</title><div id="root"></div><script type="module" src="/app.js"></script>`;
      return void res.writeHead(200, { "content-type": "text/html" }).end(page);
    }
    if (path === "/slow/plug.js") return void hanging.add(res);
    if (path === "/late/plug.js") {
      // The fake SDK after a second, counting how many times a copy of it runs.
      return void setTimeout(async () => {
        const sdk = await (await fetch(`${mockUrl}/static/plug.js`)).text();
        res.writeHead(200, { "content-type": "text/javascript" });
        res.end(`window.__plugRuns = (window.__plugRuns ?? 0) + 1;\n${sdk}`);
      }, 1_000);
    }
    if (path === "/") {
      // ?trusted-types: the page requires Trusted Types for script URLs, as strict sites do.
      const csp = new URL(req.url ?? "/", "http://x").searchParams.has("trusted-types")
        ? { "content-security-policy": "require-trusted-types-for 'script'" }
        : {};
      return void res
        .writeHead(200, { "content-type": "text/html", ...csp })
        .end(
          `<!doctype html><title>site</title><script type="module">window.plug = await import("/browser.js");</script>`,
        );
    }
    res.writeHead(404).end("not found");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
