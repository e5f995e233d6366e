// Deno: the handler called directly, and as Deno.serve's handler. Run with network access to
// loopback only, and no environment access (the library must cope without DEVREV_PLUG_LOG).
// Usage: deno run --allow-net=127.0.0.1 deno.mjs MOCK_URL
import { expectMinted, expectSignedOut, sessionHandler, sessionRequest } from "./handler.mjs";

const handler = sessionHandler(Deno.args[0]);
await expectMinted(await handler(sessionRequest("http://site.test/api/plug/session", "ada")), "ada");
const listening = Promise.withResolvers();
const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: listening.resolve }, handler);
const { port } = await listening.promise;
const url = `http://127.0.0.1:${port}/api/plug/session`;
try {
  await expectSignedOut(await fetch(sessionRequest(url)));
  console.log(`  ${await expectMinted(await fetch(sessionRequest(url, "grace")), "grace")}: ok`);
} finally {
  await server.shutdown();
}
