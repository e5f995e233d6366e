// Asks a served handler from Node, as a page would: signed out, then signed in. For the
// runtimes whose server runs in another process (workerd under wrangler, Next.js's edge).
// Usage: node check.mjs URL
import { expectMinted, expectSignedOut, sessionRequest } from "./handler.mjs";

const url = process.argv[2];
await expectSignedOut(await fetch(sessionRequest(url)));
console.log(`  ${await expectMinted(await fetch(sessionRequest(url, "grace")), "grace")}: ok`);
