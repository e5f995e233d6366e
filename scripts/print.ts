// Printing helpers for the bits of generated code that ts-morph takes as text (initializers,
// import lists): short lists stay on one line, long ones get one item per line, indented as
// openapi-typescript indents, so no generated line is a wall of names.
import { safeDoc } from "./naming.js";
import type { StatementList } from "./spec-model.js";
import { printStructure, StructureKind } from "./ts-morph.js";

/** The longest list printed on one line; a longer one gets one item per line. */
const INLINE_WIDTH = 100;

/**
 * One module's text, printed from its statements as ts-morph prints a new source
 * file, but without the source file: nothing here reads the code back, so parsing
 * it (half of the morph pass on a large spec) would be wasted. Four spaces and double
 * quotes, as openapi-typescript prints, so the files read as one.
 */
export function printModule(statements: StatementList): string {
  return printStructure({ kind: StructureKind.SourceFile, statements }).trimStart();
}

/** A TypeScript literal for `value` (strings, numbers, booleans, null). */
export function literal(value: unknown): string {
  return JSON.stringify(value);
}

/** `text` indented one level (four spaces, as openapi-typescript prints), every line. */
function indented(text: string): string {
  return text
    .split("\n")
    .map((line) => `    ${line}`)
    .join("\n");
}

/** `[a, b]`, `{ a, b }` or `(a, b)` when it fits on a line and every item is one line, else one item per line. */
function list(brackets: "[]" | "{}" | "()", items: string[], inline: boolean): string {
  const [open, close] = brackets;
  if (items.length === 0) return brackets;
  const pad = open === "{" ? " " : "";
  const oneLine = `${open}${pad}${items.join(", ")}${pad}${close}`;
  if (inline && oneLine.length <= INLINE_WIDTH && !oneLine.includes("\n")) return oneLine;
  return [open, ...items.map((item) => `${indented(item)},`), close].join("\n");
}

/** An array literal of printed items, on one line when short. */
export function arrayLiteral(items: string[]): string {
  return list("[]", items, true);
}

/**
 * An object literal with one `key: value,` line per entry. Values are printed
 * text; a value over several lines is indented with its key.
 */
export function objectLiteral(entries: [key: string, valueText: string][]): string {
  return list(
    "{}",
    entries.map(([key, value]) => `${propertyKey(key)}: ${value}`),
    false,
  );
}

/** `key` as an object literal's property name. */
function propertyKey(key: string): string {
  // A `__proto__: x` member, quoted or not, sets the prototype instead of adding a member; a computed key does not.
  if (key === "__proto__") return `["__proto__"]`;
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : literal(key);
}

/** A function's parameter list, `(a: A, b: B)`, one parameter per line when long. */
export function parameterList(parameters: string[]): string {
  return list("()", parameters, true);
}

/**
 * `open`, a union of type names and `close`: on one line when the union is short, else one
 * member per line after a leading `|`, with `close` (a closing bracket) on a line of its own.
 */
export function unionType(open: string, members: string[], close = ""): string {
  const oneLine = members.join(" | ");
  if (oneLine.length <= INLINE_WIDTH) return `${open}${oneLine}${close}`;
  const lines = members.map((member) => `    | ${member}`);
  return [open.trimEnd(), ...lines, ...(close ? [close] : [])].join("\n");
}

/** `import { a, b } from "from";` (or `import type`), one name per line when the list is long. */
export function namedImport(names: string[], from: string, { typeOnly = false } = {}): string {
  return `import ${typeOnly ? "type " : ""}${list("{}", names, true)} from ${literal(from)};`;
}

/**
 * A JSDoc comment for `docsOf`-style docs, or nothing. The text is escaped here, whatever its
 * source (a description, a schema's key quoted in a sentence), so it cannot end the comment.
 */
export function jsDoc(docs: { description: string; tags: { tagName: string }[] }[]): string {
  const [doc] = docs;
  if (!doc) return "";
  const description = safeDoc(doc.description);
  const lines = [...(description ? description.split("\n") : []), ...doc.tags.map((t) => `@${t.tagName}`)];
  return lines.length === 1 ? `/** ${lines[0]} */` : `/**\n${lines.map((l) => ` * ${l}`.trimEnd()).join("\n")}\n */`;
}
