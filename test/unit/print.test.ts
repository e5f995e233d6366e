import { describe, expect, it } from "vitest";
import { arrayLiteral, literal, namedImport, objectLiteral, parameterList, unionType } from "../../scripts/print.js";

// The printed text is evaluated where it can be, so the tests check what the code means, not only how it looks.
const evaluate = (text: string): unknown => new Function(`return (${text});`)();

describe("printing generated code", () => {
  it("keeps a short list on one line and puts each item of a long one on its own line", () => {
    expect(arrayLiteral(["1", "2"])).toBe("[1, 2]");
    const names = Array.from({ length: 12 }, (_, i) => literal(`member_number_${i}`));
    const long = arrayLiteral(names);
    expect(long.split("\n")).toHaveLength(names.length + 2);
    expect(long.split("\n").every((line) => line.length <= 100)).toBe(true);
    expect(evaluate(long)).toEqual(names.map((name) => JSON.parse(name)));
  });

  it("prints an object one entry a line, and indents a nested multi-line value with its key", () => {
    expect(objectLiteral([["a", "1"]])).toBe("{\n    a: 1,\n}");
    const nested = objectLiteral([["outer", objectLiteral([["inner", "true"]])]]);
    expect(nested).toBe("{\n    outer: {\n        inner: true,\n    },\n}");
    expect(objectLiteral([])).toBe("{}");
  });

  it("makes every key an own property: quoted where not an identifier, computed for __proto__", () => {
    const text = objectLiteral([
      ["__proto__", "[1]"],
      ["kebab-key", "2"],
      ["400", "3"],
    ]);
    const value = evaluate(text) as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(["400", "__proto__", "kebab-key"]);
    expect(value.__proto__).toEqual([1]);
  });

  it("wraps a long import list one name per line", () => {
    expect(namedImport(["A", "B"], "./types.js", { typeOnly: true })).toBe('import type { A, B } from "./types.js";');
    const names = Array.from({ length: 20 }, (_, i) => `SchemaName${i}`);
    const text = namedImport(names, "./types.js");
    expect(text.startsWith("import {\n    SchemaName0,\n")).toBe(true);
    expect(text.endsWith('\n} from "./types.js";')).toBe(true);
  });

  it("keeps a short union on its line and puts each member of a long one on its own, brackets on theirs", () => {
    expect(unionType("Validator<", ["A", "B"], ">")).toBe("Validator<A | B>");
    expect(unionType("value is ", ["A"])).toBe("value is A");
    const members = Array.from({ length: 8 }, (_, i) => `VeryLongSchemaName${i}`);
    const typeArgument = unionType("Validator<", members, ">").split("\n");
    expect(typeArgument).toEqual(["Validator<", ...members.map((m) => `    | ${m}`), ">"]);
    // No trailing space where the union leaves the line it starts on.
    expect(unionType("value is ", members).split("\n")[0]).toBe("value is");
  });

  it("keeps a short parameter list on one line and gives each parameter of a long one its own", () => {
    expect(parameterList(["a: A", "b?: B"])).toBe("(a: A, b?: B)");
    const long = [
      "client: Client<paths>",
      `options: FetchOptions<paths["/a/very/long/path/{with}/{parameters}"]["post"]>`,
    ];
    expect(parameterList(long)).toBe(`(\n    ${long[0]},\n    ${long[1]},\n)`);
    // Still a parameter list: the trailing comma is valid TypeScript.
    expect(() => new Function(`return function f${parameterList(["a", "b".repeat(120)])} {}`)).not.toThrow();
  });
});
