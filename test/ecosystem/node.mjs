// Node.js: the handler called directly, and behind toNodeHandler from devrev-plug-session/node.
// Usage: node node.mjs MOCK_URL
import { createServer } from "node:http";
import { toNodeHandler } from "devrev-plug-session/node";
import { expectMinted, expectSignedOut, sessionHandler, sessionRequest } from "./handler.mjs";

const handler = sessionHandler(process.argv[2]);
await expectMinted(await handler(sessionRequest("http://site.test/api/plug/session", "ada")), "ada");
const server = createServer(toNodeHandler(handler));
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const url = `http://127.0.0.1:${server.address().port}/api/plug/session`;
try {
  await expectSignedOut(await fetch(sessionRequest(url)));
  console.log(`  ${await expectMinted(await fetch(sessionRequest(url, "grace")), "grace")}: ok`);
} finally {
  server.close();
}
