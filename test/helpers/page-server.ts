import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createDevRevClient, createSessionTokenHandler, toNodeHandler } from "../../src/server/index.js";
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
 * against the mock. The signed-in user comes from a `user` cookie. Two extra
 * script routes fail on purpose: one 404s, one never answers.
 */
export async function startPageServer(mockUrl: string): Promise<PageServer> {
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
    if (path === "/slow/plug.js") return void hanging.add(res);
    if (path === "/") {
      return void res
        .writeHead(200, { "content-type": "text/html" })
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
