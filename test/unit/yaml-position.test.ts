import fc from "fast-check";
import jsYaml from "js-yaml";
import { describe, expect, it } from "vitest";
import { escapeToken } from "../../scripts/spec-reader/json-pointer.js";
import { positionOf } from "../../scripts/spec-reader/yaml-position.js";

const TRICKY = `# a comment first
openapi: 3.1.0   # and after
info: {title: "x", version: '1'}
"quoted key": &shared
  nested:
    - a
    - {b: 1, c: [1, 2, {d: e}]}
    -   - deep
  text: |
    block
alias: *shared
empty:
tagged: !!str 123
seq:
- # a comment
  z: 2
'k/with~slash': v
`;

describe("positionOf: where a JSON pointer's node stands in the text, for error messages", () => {
  it.each([
    ["", 2, 1],
    ["/openapi", 2, 10],
    ["/info/version", 3, 29],
    ["/quoted key", 5, 3],
    ["/quoted key/nested/1/c/2/d", 7, 28],
    ["/quoted key/nested/2/0", 8, 11],
    ["/quoted key/text", 9, 9],
    ["/alias", 11, 8],
    ["/alias/nested", 11, 8],
    ["/empty", 12, 7],
    ["/tagged", 13, 15],
    ["/seq/0/z", 16, 6],
    [`/${escapeToken("k/with~slash")}`, 17, 17],
    ["/quoted key/missing", 5, 3],
  ])("%s is at %i:%i", (pointer, line, column) => {
    expect(positionOf(TRICKY, pointer)).toEqual({ line, column });
  });

  it("reads JSON, and with equal keys points at the last, as JSON.parse keeps it", () => {
    expect(positionOf('{\n  "a": 1,\n  "a": {"b": 2}\n}', "/a/b")).toEqual({ line: 3, column: 14 });
  });

  it("counts lines the same with CRLF endings", () => {
    expect(positionOf("a:\r\n  b:\r\n    c: 1\r\n", "/a/b/c")).toEqual({ line: 3, column: 8 });
  });

  it("finds every value of any document, in block, flow and JSON style", () => {
    // Each leaf is a distinct word, so the text at its position must begin with it.
    let next = 0;
    const leaf = fc.constant(null).map(() => `v${next++}`);
    const key = fc.stringMatching(/^[a-z][a-z0-9_/~ -]{0,6}$/);
    const { node } = fc.letrec<{ node: unknown }>((tie) => ({
      node: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        leaf,
        fc.array(tie("node"), { minLength: 1, maxLength: 4 }),
        fc.dictionary(key, tie("node"), { minKeys: 1, maxKeys: 4 }),
      ),
    }));
    const style = fc.oneof(
      fc
        .record({ flowLevel: fc.integer({ min: -1, max: 3 }), indent: fc.integer({ min: 1, max: 4 }) })
        .map((options) => (document: unknown) => jsYaml.dump(document, options)),
      fc.integer({ min: 0, max: 3 }).map((indent) => (document: unknown) => JSON.stringify(document, null, indent)),
    );
    fc.assert(
      fc.property(fc.dictionary(key, node, { minKeys: 1, maxKeys: 5 }), style, (document, write) => {
        const text = write(document);
        const lines = text.split("\n");
        for (const [pointer, value] of leaves(document, "")) {
          const { line = 0, column = 0 } = positionOf(text, pointer);
          expect(lines[line - 1]?.slice(column - 1), `${pointer} in\n${text}`).toMatch(new RegExp(`^"?${value}\\b`));
        }
      }),
      { numRuns: 200 },
    );
  });
});

function* leaves(value: unknown, pointer: string): Generator<[string, unknown]> {
  if (typeof value !== "object" || value === null) {
    yield [pointer, value];
    return;
  }
  for (const [key, child] of Object.entries(value)) yield* leaves(child, `${pointer}/${escapeToken(key)}`);
}
