import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");
const readme = read("README.md");
const ecosystem = read(".ci/ecosystem.sh");
const nextjs = read(".ci/nextjs-recipe.sh");

/** The README's "Runtimes" table row for `runtime`. */
function row(runtime: string): string {
  const table = readme.slice(readme.indexOf("## Runtimes"), readme.indexOf("## The spec"));
  const line = table.split("\n").find((l) => l.startsWith(`| ${runtime} `));
  if (!line) throw new Error(`the README's Runtimes table has no row for ${runtime}`);
  return line;
}

/** A version pinned in a CI script as `NAME=1.2.3`. */
function pinned(script: string, name: string): string {
  const version = new RegExp(`^${name}=([0-9.]+)$`, "m").exec(script)?.[1];
  if (!version) throw new Error(`no ${name}= in the script`);
  return version;
}

describe("the README's Runtimes table names the versions CI tests", () => {
  it.each([
    ["Bun", "BUN"],
    ["Deno", "DENO"],
    ["Cloudflare workerd", "WRANGLER"],
  ])("%s", (runtime, variable) => {
    expect(row(runtime)).toContain(pinned(ecosystem, variable));
  });

  it("Cloudflare workerd's compatibility date", () => {
    const date = /"compatibility_date": "([0-9-]+)"/.exec(read("test/ecosystem/workerd/wrangler.jsonc"))?.[1];
    expect(date).toBeDefined();
    expect(row("Cloudflare workerd")).toContain(`compatibility date ${date}`);
  });

  it("Node.js", () => {
    const [major, minor] = pinned(ecosystem, "NODE_FOR_WRANGLER").split(".");
    expect(row("Node.js")).toContain(`${major}.${minor}`);
  });

  it.each(["Next.js, edge runtime", "Next.js, Node.js runtime"])("%s", (runtime) => {
    const next = /next@([0-9.]+)/.exec(nextjs)?.[1];
    expect(next).toBeDefined();
    expect(row(runtime)).toContain(next);
  });

  it("every runtime test in test/ecosystem/ is run by the scripts", () => {
    for (const file of ["node.mjs", "bun.mjs", "deno.mjs", "workerd/wrangler.jsonc", "check.mjs"]) {
      expect(ecosystem).toContain(file.split("/").pop());
    }
    expect(nextjs).toContain("test/ecosystem/next-edge/route.ts");
  });
});
