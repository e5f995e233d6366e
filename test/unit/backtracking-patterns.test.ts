import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { backtrackingPatterns, backtracksCatastrophically } from "../../scripts/backtracking-patterns.js";
import { generate } from "../../scripts/generate.js";
import { loadSpec } from "../../scripts/spec-reader/load-spec.js";
import { ROOT } from "../helpers/cli.js";
import { useTempDirs } from "../helpers/temp-dir.js";

const useTempDir = useTempDirs();

describe("backtracksCatastrophically", () => {
  it.each([
    { given: "^(a+)+$", want: true },
    { given: "^(a*)*$", want: true },
    { given: "^(?:\\w+\\s?)*$", want: true },
    { given: "^([a-z]+[0-9]*)+$", want: true },
    { given: "^(a|b+)+$", want: true },
    { given: "^(x(a+)+)?$", want: true },
    { given: "^(a+){2,}$", want: true },
    { given: "^([a-z]+-?)+$", want: true },
    // A separator the inner repetition cannot match splits the input one way only.
    { given: "^(?!www\\.)[^\\s./:?#@\\\\]+(?:\\.[^\\s./:?#@\\\\]+)+$", want: false },
    { given: "^([a-z]+-)+[a-z]+$", want: false },
    { given: "^\\+[1-9][0-9]{1,14}$", want: false },
    { given: "^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*$", want: false },
    { given: "^(ab)+$", want: false },
    { given: "^(a+){2}$", want: false },
    { given: "^(?=(a+)+)b$", want: false },
    { given: "^[(a+)+]$", want: false },
    { given: "^\\(a+\\)+$", want: false },
    { given: "(unclosed", want: false },
  ])("$given: $want", ({ given, want }) => {
    expect(backtracksCatastrophically(given)).toBe(want);
  });

  it("finds no pattern of the shipped spec", async () => {
    const { document } = await loadSpec(join(ROOT, "spec/auth-tokens.openapi.yaml"));
    expect(backtrackingPatterns(document)).toEqual([]);
  });
});

describe("generate", () => {
  it("warns once per catastrophic pattern, naming the file and the pointer, and still generates", async () => {
    const dir = await useTempDir();
    const spec = join(dir, "redos.yaml");
    await writeFile(
      spec,
      `openapi: 3.1.0
info: {title: redos, version: "1"}
paths: {}
components:
  schemas:
    Slow:
      type: string
      pattern: ^(a+)+$
      example: {pattern: ^(b+)+$}
    Fine:
      type: string
      pattern: ^[a-z]+$
`,
    );
    const warnings: string[] = [];
    const files = await generate({ spec, out: join(dir, "out"), warn: (line) => warnings.push(line) });
    expect(files.has("validators.ts")).toBe(true);
    expect(warnings).toEqual([
      `warning: ${spec} (at /components/schemas/Slow/pattern): the pattern "^(a+)+$" can backtrack catastrophically ` +
        "(a repetition inside a repetition): one long value that fails it blocks the validator for seconds",
    ]);
  });
});
