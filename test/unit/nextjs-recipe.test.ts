import { createHmac } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../helpers/cli.js";
import { useTempDirs } from "../helpers/temp-dir.js";

// The README's Next.js route, run as it is written, with `next/headers` replaced by a cookie jar
// the test fills (.ci/nextjs-recipe.sh serves the same file with a real Next.js).
const tempDir = useTempDirs();
const SECRET = "recipe-test-secret";
const jar = new Map<string, string>();
let POST: (request: Request) => Promise<Response>;

/** The TypeScript block after the recipe's heading, as .ci/nextjs-recipe.sh's awk takes it. */
async function recipeSource(): Promise<string> {
  const readme = await readFile(join(ROOT, "README.md"), "utf8");
  const after = readme.slice(readme.search(/^Next\.js \(App Router\)/m));
  const block = /^```ts\n([\s\S]*?)^```$/m.exec(after);
  if (!block?.[1]) throw new Error("README.md: no TypeScript block after the Next.js recipe's heading");
  return block[1];
}

/** A session cookie as the site's sign-in would set it: the id and its HMAC under `secret`. */
const signed = (id: string, secret = SECRET) => `${id}.${createHmac("sha256", secret).update(id).digest("base64url")}`;

const saved = { aat: process.env.DEVREV_AAT, secret: process.env.SESSION_SECRET };
beforeAll(async () => {
  const dir = await tempDir();
  const headers = join(dir, "next-headers.ts");
  await writeFile(
    headers,
    "export async function cookies() {\n" +
      "  const jar = (globalThis as { recipeJar?: Map<string, string> }).recipeJar ?? new Map();\n" +
      "  return { get: (name: string) => (jar.has(name) ? { name, value: jar.get(name) } : undefined) };\n" +
      "}\n",
  );
  const route = join(dir, "route.ts");
  const source = (await recipeSource())
    .replace('"devrev-plug-session/server"', JSON.stringify(join(ROOT, "src/server/index.ts")))
    .replace('"next/headers"', JSON.stringify(headers));
  await writeFile(route, source);
  (globalThis as { recipeJar?: Map<string, string> }).recipeJar = jar;
  process.env.SESSION_SECRET = SECRET;
  delete process.env.DEVREV_AAT;
  ({ POST } = (await import(pathToFileURL(route).href)) as { POST: typeof POST });
});
afterAll(() => {
  for (const [name, value] of [
    ["DEVREV_AAT", saved.aat],
    ["SESSION_SECRET", saved.secret],
  ] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

async function statusWith(cookies: Record<string, string>): Promise<number> {
  jar.clear();
  for (const [name, value] of Object.entries(cookies)) jar.set(name, value);
  return (await POST(new Request("http://site.test/api/plug/session", { method: "POST" }))).status;
}

describe("the README's Next.js recipe", () => {
  it.each([
    ["no cookie", {}],
    ["the unsigned `user` cookie the old recipe trusted", { user: "ada" }],
    ["a session cookie with no signature", { session: "ada" }],
    ["a session cookie signed with another secret", { session: signed("ada", "not-the-secret") }],
    ["ada's signature on bob's id", { session: `bob.${signed("ada").split(".")[1]}` }],
    ["a signature that is not base64url", { session: "ada.%%%" }],
  ])("answers 401 to %s: nobody is identified", async (_name, cookies) => {
    expect(await statusWith(cookies)).toBe(401);
  });

  it("identifies the user of a cookie the server signed (500 here: no DEVREV_AAT, so no client)", async () => {
    expect(await statusWith({ session: signed("ada") })).toBe(500);
  });

  it("identifies nobody when SESSION_SECRET is unset, even with a once-valid cookie", async () => {
    delete process.env.SESSION_SECRET;
    try {
      expect(await statusWith({ session: signed("ada") })).toBe(401);
    } finally {
      process.env.SESSION_SECRET = SECRET;
    }
  });
});
