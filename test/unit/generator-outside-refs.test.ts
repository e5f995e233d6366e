import { mkdir, readdir, readFile, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMockServer } from "../../mock/mock-server.js";
import { httpOperations } from "../../mock/prism-operations.js";
import { findOutsideRef, withoutOutsideRefs } from "../../scripts/spec-reader/load-spec.js";
import { generateInProcess } from "../helpers/generate-in-process.js";
import { type StubServer, startStubServer } from "../helpers/stub-server.js";
import { useTempDirs } from "../helpers/temp-dir.js";

const tempDir = useTempDirs();
const SECRET = "canary-file-contents-5f1c";
const ANSWER = "canary-http-answer-9d2e";

// `$ref`s where OpenAPI resolves none (an example, a default, an extension, an Example Object's
// value): openapi-typescript's and Prism's resolvers followed them all, reading the file and
// fetching the URL into schema.ts and the mock's answers.
function hostileSpec(file: string, url: string): string {
  return `openapi: 3.1.0
info: {title: outside refs, version: "1"}
x-telemetry: {$ref: "${url}/extension"}
paths:
  /status:
    get:
      operationId: getStatus
      x-docs: {$ref: "${file}"}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Status'}
              example: {state: up, detail: {$ref: "${file}"}}
              examples:
                remote: {value: {state: up, detail: {$ref: "${url}/example"}}}
components:
  schemas:
    Status:
      type: object
      default: {state: {$ref: "./canary.txt"}}
      example: {state: up, detail: {$ref: "${file}"}}
      examples: [{$ref: "${url}/examples"}]
      properties:
        state: {type: string, enum: [up, down]}
        detail: {type: object, default: {$ref: "${url}/default"}}
`;
}

describe("a $ref outside the spec, where OpenAPI resolves none", () => {
  let canary: StubServer;
  let dir: string;
  let spec: string;

  beforeAll(async () => {
    canary = await startStubServer(() => ({ status: 200, body: { leak: ANSWER } }));
    dir = await tempDir();
    const file = join(dir, "canary.txt");
    await writeFile(file, `${SECRET}\n`);
    spec = join(dir, "spec.yaml");
    await writeFile(spec, hostileSpec(file, canary.url));
  });
  afterAll(() => canary.close());

  async function outputText(out: string): Promise<string> {
    const names = await readdir(out);
    return (await Promise.all(names.map((name) => readFile(join(out, name), "utf8")))).join("\n");
  }

  it("is never followed at generation, nor under --check; the data around it stays", async () => {
    const out = join(dir, "generated");
    expect(await generateInProcess(["--spec", spec, "--out", out])).toMatchObject({ code: 0 });
    const text = await outputText(out);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(ANSWER);
    expect(text).toContain('@example {\n         *       "state": "up",\n         *       "detail": {}');

    expect(await generateInProcess(["--spec", spec, "--out", out, "--check"])).toMatchObject({ code: 0 });
    expect(canary.requests).toEqual([]);
  });

  it("is never followed by the mock, at start or in its answers", async () => {
    const mock = await startMockServer({ spec });
    try {
      const response = await fetch(`${mock.url}/status`);
      const body = await response.text();
      expect(response.status).toBe(200);
      expect(JSON.parse(body)).toEqual({ state: "up", detail: {} });
      expect(body).not.toContain(SECRET);
    } finally {
      await mock.close();
    }
    expect(canary.requests).toEqual([]);
  });

  it("in a schema position is refused, naming the place, and not fetched", async () => {
    const refused = join(dir, "refused.yaml");
    await writeFile(
      refused,
      `openapi: 3.1.0\ninfo: {title: t, version: "1"}\ncomponents:\n  schemas:\n    A: {$ref: "${canary.url}/schema"}\n`,
    );
    const result = await generateInProcess(["--spec", refused, "--out", join(dir, "refused-out")]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`refused.yaml:5:15 (at /components/schemas/A/$ref)`);
    expect(canary.requests).toEqual([]);
  });
});

describe("a spec in several files", () => {
  // Relative files inside the root file's folder are part of the spec; nothing else is.
  async function specFolder(ref: string): Promise<{ spec: string; dir: string }> {
    const dir = await tempDir();
    await mkdir(join(dir, "api", "src"), { recursive: true });
    await writeFile(join(dir, "secret.yaml"), `type: string\ndescription: ${SECRET}\n`);
    await symlink(join(dir, "secret.yaml"), join(dir, "api", "src", "link.yaml"));
    await writeFile(join(dir, "api", "src", "pet.yaml"), `type: object\nproperties:\n  owner: {$ref: "${ref}"}\n`);
    const spec = join(dir, "api", "openapi.yaml");
    await writeFile(
      spec,
      `openapi: 3.1.0\ninfo: {title: t, version: "1"}\ncomponents:\n  schemas:\n    Pet: {$ref: ./src/pet.yaml}\n`,
    );
    return { spec, dir };
  }

  it.each([
    ["a path out of the folder", "../../secret.yaml", /leaves the spec's folder/],
    ["an absolute path", "%DIR%/secret.yaml", /a URL or an absolute path is never followed/],
    ["a symbolic link out of the folder", "./link.yaml", /leaves the spec's folder/],
    ["a URL", "%URL%/schema.yaml", /a URL or an absolute path is never followed/],
  ])("refuses %s, naming the file and the place, and reads nothing", async (_name, ref, reason) => {
    const canary = await startStubServer(() => ({ status: 200, body: { type: "string", description: ANSWER } }));
    try {
      const { spec, dir } = await specFolder(ref.replace("%DIR%", "").replace("%URL%", canary.url));
      if (ref.startsWith("%DIR%")) {
        await writeFile(
          join(dir, "api", "src", "pet.yaml"),
          `properties:\n  owner: {$ref: "${join(dir, "secret.yaml")}"}\n`,
        );
      }
      const result = await generateInProcess(["--spec", spec, "--out", join(dir, "out")]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(new RegExp(`^error: .*pet\\.yaml:\\d+:\\d+ \\(at /properties/owner/\\$ref\\): `));
      expect(result.stderr).toMatch(reason);
      expect(result.stderr).not.toContain(SECRET);
      expect(canary.requests).toEqual([]);
    } finally {
      await canary.close();
    }
  });
});

describe("a spec in several files whose files only name each other", () => {
  it("is refused with the file and the place, not copied forever", async () => {
    const dir = await tempDir();
    await writeFile(
      join(dir, "openapi.yaml"),
      `openapi: 3.1.0\ninfo: {title: t, version: "1"}\npaths:\n  /a: {$ref: ./a.yaml}\n`,
    );
    await writeFile(join(dir, "a.yaml"), `get:\n  responses:\n    "200": {$ref: "#/get"}\n`);
    const result = await generateInProcess(["--spec", join(dir, "openapi.yaml"), "--out", join(dir, "out")]);
    expect(result).toMatchObject({
      code: 2,
      stderr: `error: ${join(dir, "a.yaml")}:3:19 (at /get/responses/200/$ref): $ref "#/get" is part of a cycle of files that never reaches a schema\n`,
    });
  });
});

describe("the second wall", () => {
  const document = { openapi: "3.1.0", info: {}, paths: {}, "x-a": [{ b: { $ref: "/etc/passwd", keep: 1 } }] };

  it("finds a $ref that leaves the document wherever it stands", () => {
    expect(findOutsideRef(document)).toBe("/x-a/0/b/$ref");
    expect(findOutsideRef({ a: { $ref: "#/a" } })).toBeUndefined();
    expect(findOutsideRef({ a: { $ref: "" } })).toBe("/a/$ref");
  });

  it("removes such a $ref from data without editing the original", () => {
    expect(withoutOutsideRefs(document["x-a"])).toEqual([{ b: { keep: 1 } }]);
    expect(document["x-a"][0]?.b.$ref).toBe("/etc/passwd");
  });

  it("the mock's Prism loader refuses a document that still holds one", async () => {
    await expect(httpOperations(document)).rejects.toThrow("a $ref leaves the spec (at /x-a/0/b/$ref)");
  });
});
