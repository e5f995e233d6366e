import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { generate } from "../../scripts/generate.js";
import { writeGenerated } from "../../scripts/write-output.js";
import { ROOT } from "../helpers/cli.js";

// Text from a spec lands in comments, object literals and the banner: each of these once escaped it.
const SPEC = `openapi: 3.1.0
info: {title: hostile, version: "1"}
paths:
  /things:
    post:
      operationId: makeThing
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Thing'}
      responses:
        "200":
          description: ok
components:
  schemas:
    Old:
      deprecated: true
      description: "closes early */ globalThis.pwned = 1 /* and opens /*/ again"
      type: object
      properties:
        a: {type: string, description: "also */ here /*"}
    Kind:
      type: string
      enum: [__proto__, constructor, normal]
      x-enum-varnames: [__proto__, constructor, Normal]
    Thing:
      type: object
      required: [__proto__]
      properties:
        __proto__: {type: string}
        kind: {$ref: '#/components/schemas/Kind'}
`;

describe("a spec whose text would break the emitted code", () => {
  let dir: string | undefined;
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("generates code that parses, type-checks and keeps every name", { timeout: 120_000 }, async () => {
    // Inside the project so the output resolves openapi-fetch from node_modules.
    dir = await mkdtemp(join(ROOT, ".tmp-hostile-"));
    // A file name with a line feed and U+2028, which end a line comment.
    const spec = join(dir, "spec\u2028x = globalThis.pwned = 2\nname.yaml");
    await writeFile(spec, SPEC);
    const out = join(dir, "out");
    await writeGenerated(out, await generate({ spec, out }));

    const banner = (await readFile(join(out, "index.ts"), "utf8")).split("\n").slice(0, 5);
    expect(banner[2]).toBe("// spec: ../spec\\u2028x = globalThis.pwned = 2\\u000aname.yaml");
    expect(banner[3]).toMatch(/^\/\/ spec sha256: /);

    await writeFile(
      join(dir, "tsconfig.json"),
      JSON.stringify({ extends: "../tsconfig.json", include: ["out"], compilerOptions: { types: [] } }),
    );
    const tsc = join(ROOT, "node_modules/typescript/bin/tsc");
    const output = await promisify(execFile)(process.execPath, [tsc, "-p", dir], { cwd: ROOT }).then(
      () => "",
      (error: { stdout?: string }) => error.stdout ?? String(error),
    );
    expect(output).toBe("");

    const generated = await import(join(out, "index.ts"));
    expect((globalThis as { pwned?: unknown }).pwned).toBeUndefined();
    // `__proto__` is a member like any other, not the constant's prototype.
    expect(Object.hasOwn(generated.Kind, "__proto__")).toBe(true);
    expect(generated.Kind.__proto__).toBe("__proto__");
    expect(Object.keys(generated.Kind)).toEqual(["__proto__", "constructor", "Normal"]);
    // Required and present as an own property; Ajv deliberately checks no schema under a `__proto__` key.
    expect(generated.validateThing(JSON.parse('{"__proto__": "ok"}')).valid).toBe(true);
  });
});
