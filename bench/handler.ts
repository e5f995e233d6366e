import { pathToFileURL } from "node:url";
import { load } from "./load.js";
import { freePort, ROOT, timeServerStart } from "./process.js";
import { interleaved, type Row, ratioRow } from "./stats.js";

const SERVER_ENTRY = pathToFileURL(`${ROOT}/dist/src/server/index.js`).href;
const NODE_ENTRY = pathToFileURL(`${ROOT}/dist/src/node/index.js`).href;
const EXPIRES_AT = "2100-01-01T00:00:00.000Z";

/**
 * The production hot path: `createSessionTokenHandler` behind `toNodeHandler`,
 * every page view answered from the token cache (the client's fetch answers
 * once, and never again). Run from the built package, as users run it.
 */
const ours = (port: number) => [
  "--input-type=module",
  "-e",
  `import { createServer } from "node:http";
   import { createDevRevClient, createSessionTokenHandler } from ${JSON.stringify(SERVER_ENTRY)};
   import { toNodeHandler } from ${JSON.stringify(NODE_ENTRY)};
   const token = "a." + Buffer.from(JSON.stringify({ exp: Date.parse(${JSON.stringify(EXPIRES_AT)}) / 1000 })).toString("base64url") + ".c";
   const client = createDevRevClient({
     token: "bench-aat-0123456789abcdef",
     fetch: async () => Response.json({ access_token: token, expires_in: 3600, token_type: "bearer" }, { status: 201 }),
   });
   const handler = createSessionTokenHandler({ client, identify: () => ({ user_ref: "user-123", user_traits: { display_name: "Ada" } }) });
   createServer(toNodeHandler(handler)).listen(${port}, "127.0.0.1");`,
];

/** The floor: a bare node:http server answering a fixed token, as the handler answers. */
const floor = (port: number) => [
  "-e",
  `const body = ${JSON.stringify(JSON.stringify({ session_token: "a.b.c", expires_at: EXPIRES_AT }))};
   require("node:http").createServer((q, s) => { q.resume(); q.on("end", () => s.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" }).end(body)); }).listen(${port}, "127.0.0.1");`,
];

const answers = async (base: string) => (await fetch(base, { method: "POST" })).ok;

/** How long each round loads a server. */
const LOAD_MS = 3_000;

export async function handlerThroughput(rounds: number): Promise<Row[]> {
  const cpu = { ours: [] as number[], floor: [] as number[] };
  const throughput = (args: (port: number) => string[], cpuPerAnswer: number[]) => async () => {
    const port = await freePort();
    const server = await timeServerStart(args(port), port, answers);
    try {
      const before = server.cpuMs();
      // As a page's fetchSessionToken asks: a POST with no body.
      const perSecond = await load(`http://127.0.0.1:${port}`, 32, LOAD_MS, "");
      cpuPerAnswer.push(((server.cpuMs() - before) * 1000) / (perSecond * (LOAD_MS / 1000)));
      return perSecond;
    } finally {
      await server.stop();
    }
  };
  const t = await interleaved(rounds, { ours: throughput(ours, cpu.ours), floor: throughput(floor, cpu.floor) });
  const cpuRows = cpu.ours.every(Number.isFinite)
    ? [
        ratioRow(
          "handler",
          "server CPU per answer: handler via toNodeHandler vs bare node:http",
          "µs",
          cpu.ours,
          "node:http",
          cpu.floor,
        ),
      ]
    : [];
  return [
    ratioRow(
      "handler",
      "cached token: handler via toNodeHandler vs bare node:http",
      "req/s",
      t.ours,
      "node:http",
      t.floor,
      {
        min: 0.5,
      },
    ),
    ...cpuRows,
  ];
}
