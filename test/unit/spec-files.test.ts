import { realpath, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { followRefs, isRecord } from "../../scripts/spec-reader/json-pointer.js";
import { loadSpec } from "../../scripts/spec-reader/load-spec.js";
import { useTempDirs } from "../helpers/temp-dir.js";

const tempDir = useTempDirs();

/** A spec whose two bodies name, in another file, the key `a%20b` (written `a%2520b` in a `$ref`). */
const ROOT = `openapi: 3.1.0
info: {title: percent keys, version: "1"}
paths:
  /one:
    post:
      operationId: one
      requestBody:
        content:
          application/json:
            schema: {$ref: "other.yaml#/a%2520b"}
      responses:
        "204": {description: done}
  /two:
    post:
      operationId: two
      requestBody:
        content:
          application/json:
            schema: {$ref: "other.yaml#/a%2520b"}
      responses:
        "204": {description: done}
`;
// The key `a b` is the one a second percent-decoding of the pointer would land on.
const OTHER = `"a%20b": {type: string, title: the key with a percent sign}
"a b": {type: number, title: the key with a space}
`;

describe("a spec split over files", () => {
  it("follows a $ref's fragment percent-decoded once, and writes the $refs it moves back with their % escaped", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, "spec.yaml"), ROOT);
    await writeFile(join(dir, "other.yaml"), OTHER);
    const { document } = await loadSpec(join(dir, "spec.yaml"));
    const doc = document as Record<string, any>;
    expect(doc.components.schemas).toEqual({ "a%20b": { type: "string", title: "the key with a percent sign" } });
    for (const path of ["/one", "/two"]) {
      const schema = doc.paths[path].post.requestBody.content["application/json"].schema;
      expect(isRecord(schema) && schema.$ref).toBe("#/components/schemas/a%2520b");
      expect(followRefs(document, schema)).toBe(doc.components.schemas["a%20b"]);
    }
  });
});

describe("the files a spec was read from", () => {
  it("are the root file, as given, then each file a $ref reached, resolved through links, once each", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, "root.yaml"), ROOT);
    await writeFile(join(dir, "other.yaml"), OTHER);
    const spec = await loadSpec(join(dir, "root.yaml"));
    expect(spec.files).toEqual([join(dir, "root.yaml"), join(await realpath(dir), "other.yaml")]);
  });

  it("are the root file alone for a spec without $refs to files", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, "one.yaml"), "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n");
    expect((await loadSpec(join(dir, "one.yaml"))).files).toEqual([join(dir, "one.yaml")]);
  });
});
