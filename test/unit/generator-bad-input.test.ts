import { execFileSync } from "node:child_process";
import { readdir, readFile, truncate, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { MAX_SPEC_BYTES } from "../../scripts/spec-reader/load-spec.js";
import { ROOT, runGenerator } from "../helpers/cli.js";
import { generateInProcess } from "../helpers/generate-in-process.js";
import { useTempDirs } from "../helpers/temp-dir.js";

const tempDir = useTempDirs();

const HEAD = `openapi: 3.1.0
info:
  title: Broken
  version: 1.0.0
`;

// Each case: the spec text, and what the error must say (file:line:column first).
const cases = [
  {
    name: "invalid YAML",
    spec: `${HEAD}paths:\n  /a:\n    get: [unclosed\n`,
    want: /spec\.yaml:8:\d+: invalid YAML: /,
  },
  {
    name: "an unresolvable $ref",
    spec: `${HEAD}components:\n  schemas:\n    A:\n      $ref: '#/components/schemas/Missing'\n`,
    want: /spec\.yaml:8:13 \(at \/components\/schemas\/A\/\$ref\): unresolvable \$ref "#\/components\/schemas\/Missing"/,
  },
  {
    name: "a discriminator mapping to a missing schema",
    spec: `${HEAD}components:
  schemas:
    Pet:
      oneOf:
        - $ref: '#/components/schemas/Cat'
      discriminator:
        propertyName: kind
        mapping:
          dog: '#/components/schemas/Dog'
    Cat:
      type: object
`,
    want: /spec\.yaml:13:16 \(at \/components\/schemas\/Pet\/discriminator\/mapping\/dog\): discriminator mapping "dog" points to a missing schema/,
  },
  {
    name: "a Swagger 2.0 document",
    spec: `swagger: "2.0"\ninfo:\n  title: Old\n  version: 1.0.0\npaths: {}\n`,
    want: /spec\.yaml:1:1: not an OpenAPI 3\.0\/3\.1 document: Swagger 2\.0 is not supported/,
  },
  {
    name: "a YAML file that is not OpenAPI",
    spec: `name: my-app\nversion: 1.0.0\n`,
    want: /spec\.yaml:1:1: not an OpenAPI 3\.0\/3\.1 document: no `openapi: 3\.0\.x` or `3\.1\.x` field/,
  },
  {
    name: "a list instead of a document",
    spec: `- a\n- b\n`,
    want: /spec\.yaml:1:1: not an OpenAPI document: the top level must be a mapping/,
  },
  {
    name: "a $ref to a file that is not there",
    spec: `${HEAD}components:\n  schemas:\n    A:\n      $ref: './other.yaml#/A'\n`,
    want: /spec\.yaml:8:13 \(at \/components\/schemas\/A\/\$ref\): \$ref "\.\/other\.yaml#\/A": file not found/,
  },
  {
    name: "a $ref to the whole document",
    spec: `${HEAD}components:\n  schemas:\n    A: {$ref: "#"}\n`,
    want: /spec\.yaml:7:15 \(at \/components\/schemas\/A\/\$ref\): \$ref "#" names the whole OpenAPI document/,
  },
  {
    name: "$refs that only name each other",
    spec: `${HEAD}components:\n  schemas:\n    A: {$ref: "#/components/schemas/B"}\n    B: {$ref: "#/components/schemas/A"}\n`,
    want: /spec\.yaml:7:15 \(at \/components\/schemas\/A\/\$ref\): \$refs that only name each other never reach a schema: #\/components\/schemas\/B -> #\/components\/schemas\/A -> #\/components\/schemas\/B/,
  },
  {
    // Whatever Ajv refuses to compile is named, not thrown with Ajv's stack.
    name: "a schema Ajv cannot compile",
    spec: `${HEAD}components:\n  schemas:\n    A: {type: string, pattern: "(["}\n`,
    want: /spec\.yaml \(at \/components\/schemas\/A\): Ajv cannot compile this schema: .*Invalid regular expression/,
  },
  {
    // A few hundred bytes that expand to 9^9 nodes wherever aliases are copied (JSON, Prism, openapi-typescript).
    name: "a YAML bomb (billion laughs)",
    spec: `${HEAD}paths: {}\nx-0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n${Array.from(
      { length: 8 },
      (_, i) => `x-${i + 1}: &a${i + 1} [${Array(9).fill(`*a${i}`).join(", ")}]`,
    ).join("\n")}\n`,
    want: /spec\.yaml:1:1: YAML aliases expand the document by more than 1000000 nodes/,
  },
];

describe("bad input", () => {
  let out: string;
  let goodOutput: Record<string, string>;

  beforeAll(async () => {
    out = join(await tempDir(), "generated");
    const result = await generateInProcess(["--spec", join(ROOT, "spec/auth-tokens.openapi.yaml"), "--out", out]);
    expect(result.code).toBe(0);
    goodOutput = await snapshot(out);
  });

  async function snapshot(dir: string): Promise<Record<string, string>> {
    const names = (await readdir(dir)).sort();
    return Object.fromEntries(await Promise.all(names.map(async (n) => [n, await readFile(join(dir, n), "utf8")])));
  }

  // The command in this process: the messages are the subject here. The process's own exit
  // code and stderr are checked below, with a missing file and a file that is no regular file.
  it.each(cases)("$name: one clear line naming file and place, exit 2, output untouched", async ({ spec, want }) => {
    const file = join(await tempDir(), "spec.yaml");
    await writeFile(file, spec);
    const result = await generateInProcess(["--spec", file, "--out", out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(want);
    expect(result.stderr.startsWith(`error: ${file}`)).toBe(true);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(await snapshot(out)).toEqual(goodOutput);
  });

  it("a broken .json spec is reported as JSON, with its line and column", async () => {
    const file = join(await tempDir(), "spec.json");
    await writeFile(file, `{\n  "openapi": "3.1.0",\n  "info": {"title": "t" "version": "1"}\n}\n`);
    const result = await generateInProcess(["--spec", file, "--out", out]);
    expect(result).toMatchObject({ code: 2, stderr: `error: ${file}:3:25: invalid JSON: ${jsonReason()}\n` });
  });

  it("a missing file is named on the process's stderr, and the process exits 2", async () => {
    const result = await runGenerator(["--spec", "nope/missing.yaml", "--out", out]);
    expect(result).toMatchObject({ code: 2, stderr: "error: nope/missing.yaml: file not found\n" });
    expect(await snapshot(out)).toEqual(goodOutput);
  });

  it.each([
    ["a device", () => "/dev/zero"],
    [
      "a FIFO (which would wait for a writer)",
      async () => {
        const fifo = join(await tempDir(), "spec.yaml");
        execFileSync("mkfifo", [fifo]);
        return fifo;
      },
    ],
    ["a directory", () => tempDir()],
  ])("%s is refused at once as not a regular file", async (_name, make) => {
    const file = await make();
    const result = await runGenerator(["--spec", file, "--out", out]);
    expect(result).toMatchObject({
      code: 2,
      stderr: `error: ${file}: not a regular file (a device, pipe or directory cannot be a spec)\n`,
    });
  });

  it("a spec over the size limit is refused before it is read", async () => {
    const file = join(await tempDir(), "huge.yaml");
    // Sparse: the size is what matters, not the bytes.
    await truncate(file, MAX_SPEC_BYTES + 1).catch(async () => {
      await writeFile(file, "");
      await truncate(file, MAX_SPEC_BYTES + 1);
    });
    const result = await generateInProcess(["--spec", file, "--out", out]);
    expect(result).toMatchObject({
      code: 2,
      stderr: `error: ${file}: larger than 64 MiB (${MAX_SPEC_BYTES + 1} bytes)\n`,
    });
  });

  it("--verbose adds the stack trace", async () => {
    const result = await generateInProcess(["--spec", "nope/missing.yaml", "--out", out, "--verbose"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("GenerateError: nope/missing.yaml: file not found");
    expect(result.stderr).toMatch(/^\s+at /m);
  });
});

/** What this Node's JSON.parse says about a missing comma after a property value. */
function jsonReason(): string {
  try {
    JSON.parse('{"a": "t" "b": 1}');
  } catch (error) {
    return (error as Error).message
      .replace(/ in JSON at position \d+.*$/s, "")
      .replace(/ \(line \d+ column \d+\)$/, "");
  }
  return "";
}
