// Asks the worker `wrangler dev` serves, from Node: signed out, then signed in.
// Usage: node check.mjs WORKER_URL
import { expectMinted, expectSignedOut, sessionRequest } from "../handler.mjs";

const url = `${process.argv[2]}/api/plug/session`;
await expectSignedOut(await fetch(sessionRequest(url)));
console.log(`  ${await expectMinted(await fetch(sessionRequest(url, "grace")), "grace")}: ok`);
