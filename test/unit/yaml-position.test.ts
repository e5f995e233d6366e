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

  it.each([
    ["an empty item", "x:\n  - a\n  -\n  - c\n", "/x/1", 3, 3],
    ["the item after an empty one", "x:\n  - a\n  -\n  - c\n", "/x/2", 4, 5],
    ["a first empty item, with a comment", "x:\n  - # nothing\n  - {b: 1}\n", "/x/1/b", 3, 9],
    ["a key after an explicit key with no value", "x:\n  ? a\n  b: 1\n  c: 2\n", "/x/c", 4, 6],
    ["an explicit key with no value", "x:\n  ? a\n  b: 1\n", "/x/a", 2, 5],
    ["a key after a flow key with no value", "x: {a, b: 1}\n", "/x/b", 1, 11],
  ])("finds the node after a value js-yaml composes no node for: %s", (_case, text, pointer, line, column) => {
    expect(positionOf(text, pointer)).toEqual({ line, column });
  });

  it("reads JSON, and with equal keys points at the last, as JSON.parse keeps it", () => {
    expect(positionOf('{\n  "a": 1,\n  "a": {"b": 2}\n}', "/a/b")).toEqual({ line: 3, column: 14 });
  });

  it("counts lines the same with CRLF endings", () => {
    expect(positionOf("a:\r\n  b:\r\n    c: 1\r\n", "/a/b/c")).toEqual({ line: 3, column: 8 });
  });

  it("finds every value of any document, in block, flow and JSON style, empty values among them", () => {
    // Each leaf is a distinct word, so the text at its position must begin with it; or null, which
    // block style writes as nothing (`key:`, `-`), for which js-yaml composes no node or an empty one.
    let next = 0;
    const leaf = fc.oneof(
      fc.constant(null).map(() => `v${next++}`),
      fc.constant(null),
    );
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
        .map((options) => (document: unknown) => jsYaml.dump(document, options).replace(/([:-]) null$/gm, "$1")),
      fc.integer({ min: 0, max: 3 }).map((indent) => (document: unknown) => JSON.stringify(document, null, indent)),
    );
    fc.assert(
      fc.property(fc.dictionary(key, node, { minKeys: 1, maxKeys: 5 }), style, (document, write) => {
        const text = write(document);
        const lines = text.split("\n");
        // What the text holds: an empty value can change how js-yaml reads what follows it, or
        // leave a text (at a narrow indent) that it refuses.
        let holds: unknown;
        try {
          holds = jsYaml.load(text, { json: true });
        } catch {
          fc.pre(false);
        }
        for (const [pointer, value] of leaves(holds, "")) {
          const { line = 0, column = 0 } = positionOf(text, pointer);
          const [before, after] = [lines[line - 1]?.slice(0, column - 1), lines[line - 1]?.slice(column - 1)];
          const where = `${pointer} at ${line}:${column} in\n${text}`;
          if (value !== null) expect(after, where).toMatch(new RegExp(`^"?${value}\\b`));
          // Written `null`, an empty item's `-`, or the nothing after an empty value's `:`.
          else
            expect(/^(null\b|-(\s|$))/.test(after ?? "") || (/:$/.test(before ?? "") && after === ""), where).toBe(
              true,
            );
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
