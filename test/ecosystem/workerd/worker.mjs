// Cloudflare workerd: the handler as a Worker's fetch, bundled by wrangler with no
// compatibility flags (no nodejs_compat), so a `node:` import anywhere fails the build.
import { sessionHandler } from "../handler.mjs";

let handler;

export default {
  fetch(request, env) {
    handler ??= sessionHandler(env.MOCK_URL);
    return handler(request);
  },
};
