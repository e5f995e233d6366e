// Bun: the handler called directly, and as Bun.serve's fetch.
// Usage: bun bun.mjs MOCK_URL
import { expectMinted, expectSignedOut, sessionHandler, sessionRequest } from "./handler.mjs";

const handler = sessionHandler(Bun.argv[2]);
await expectMinted(await handler(sessionRequest("http://site.test/api/plug/session", "ada")), "ada");
const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: handler });
const url = `http://127.0.0.1:${server.port}/api/plug/session`;
try {
  await expectSignedOut(await fetch(sessionRequest(url)));
  console.log(`  ${await expectMinted(await fetch(sessionRequest(url, "grace")), "grace")}: ok`);
} finally {
  server.stop(true);
}
