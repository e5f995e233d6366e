import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useGeneratedProjects } from "../helpers/generated-project.js";
import { useTempDirs } from "../helpers/temp-dir.js";

const useTempDir = useTempDirs();

// Text from a spec lands in comments, object literals and the banner: each of these once escaped it
// (a schema's key too, quoted in its validator's comment).
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
    "Quoted*/ globalThis.pwned = 3; /*Key":
      type: object
      properties:
        a: {type: string}
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
  const generateProject = useGeneratedProjects();

  it("generates code that parses, type-checks and keeps every name", { timeout: 120_000 }, async () => {
    const dir = await useTempDir();
    // A file name with a line feed and U+2028, which end a line comment.
    const spec = join(dir, "spec\u2028x = globalThis.pwned = 2\nname.yaml");
    await writeFile(spec, SPEC);
    const { out, tscOutput } = await generateProject(spec);
    expect(tscOutput).toBe("");

    const banner = (await readFile(join(out, "index.ts"), "utf8")).split("\n").slice(0, 5);
    expect(banner[2]).toMatch(/^\/\/ spec: .*spec\\u2028x = globalThis\.pwned = 2\\u000aname\.yaml$/);
    expect(banner[3]).toMatch(/^\/\/ spec sha256: /);

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
