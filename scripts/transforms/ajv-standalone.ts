import { createRequire } from "node:module";
import type { Ajv, ValidateFunction } from "ajv";

const require = createRequire(import.meta.url);

/**
 * The prefixes of the names Ajv gives module-level values (its `ValueScope`'s, `EXT_SCOPE_NAMES`):
 * functions, schema constants, patterns, formats, runtime functions. A function's own locals
 * (`data0`, `valid0`, `i0`) come from a child scope that may not use these prefixes.
 */
const SCOPE_PREFIXES = "validate|serialize|parse|wrapper|root|schema|keyword|pattern|formats|func|obj|Error";

/**
 * What renameScopeNames reads: a string in double quotes, or a regular expression literal after
 * `= ` (a format that is a RegExp, which Ajv prints as one: `const formats0 = /^[a-z'…]+$/i;`),
 * each skipped whole; another quote (refused); or one of Ajv's names (its prefix captured) standing
 * alone: not part of a longer identifier, nor a property after a `.`.
 */
const TOKENS = new RegExp(
  [
    String.raw`"(?:[^"\\\n]|\\.)*"`,
    String.raw`(?<== )\/(?:[^\\/\n[]|\\.|\[(?:[^\]\\\n]|\\.)*\])+\/[a-z]*`,
    "['`]",
    String.raw`(?<![\w$.])(${SCOPE_PREFIXES})\d+(?![\w$])`,
  ].join("|"),
  "g",
);

/**
 * One schema's validator as a block of module code that reads the same whatever else its Ajv
 * compiled, one statement a line: Ajv's public `standaloneCode` for the schema's function, without
 * its `export` head, and with the names Ajv numbered across the whole instance (`validate57`,
 * `schema12`) renamed `${prefix}$validate0`, `${prefix}$schema0`…, numbered within the block in
 * order of first use, the schema's own function first. So the block depends only on the schema
 * and the prefix: a caller can keep it by the schema's content and put it beside blocks compiled
 * in other runs. Each block defines every value it uses (a function that two blocks use is printed
 * in each); calls to other blocks are by names the schema itself holds (see ajv-code's target calls).
 * `linearErrors` then appends each callee's errors in place.
 */
export function standaloneBlock(ajv: Ajv, validate: ValidateFunction, prefix: string): string {
  const standaloneCode = require("ajv/dist/standalone/index.js")
    .default as typeof import("ajv/dist/standalone/index.js").default;
  if (ajv.opts.code.lines !== true || ajv.opts.code.esm !== true) {
    throw new Error("standaloneBlock needs Ajv's code.lines and code.esm options");
  }
  const main = String(sourceOf(validate).validateName);
  const head = `"use strict";\nexport const validate = ${main};\nexport default ${main};\n`;
  const module = standaloneCode(ajv, validate);
  if (!module.startsWith(head)) throw new Error("Ajv's standalone code no longer starts as this block expects");
  return linearErrors(renameScopeNames(module.slice(head.length).trim(), main, prefix));
}

/** The name `standaloneBlock` gives the function of the schema it printed under `prefix`. */
export function blockFunctionName(prefix: string): string {
  return `${prefix}$validate0`;
}

function sourceOf(validate: ValidateFunction): NonNullable<ValidateFunction["source"]> {
  if (!validate.source) throw new Error("Ajv compiled no source code for a schema");
  return validate.source;
}

/**
 * `code` with each of Ajv's module-level names (SCOPE_PREFIXES and a number) renamed under
 * `prefix`, `main` first. Reads the code as Ajv writes it (TOKENS): identifiers, strings in double
 * quotes (JSON's) and a format's regular expression literal; a name after a `.` is a property
 * (`data.schema0` for a spec's property `schema0`), and one inside a string or a literal is text.
 * Throws on what Ajv does not write (another quote) or on a name the block does not define,
 * rather than rename what it cannot read.
 */
export function renameScopeNames(code: string, main: string, prefix: string): string {
  const renamed = new Map<string, string>();
  const counts = new Map<string, number>();
  const rename = (name: string, kind: string): string => {
    let to = renamed.get(name);
    if (to === undefined) {
      const n = counts.get(kind) ?? 0;
      counts.set(kind, n + 1);
      to = `${prefix}$${kind}${n}`;
      renamed.set(name, to);
    }
    return to;
  };
  rename(main, "validate");
  const out: string[] = [];
  let kept = 0;
  for (const match of code.matchAll(TOKENS)) {
    const text = match[0];
    if (text === "'" || text === "`") throw new Error(`Ajv's code has a ${text} outside a string`);
    const kind = match[1];
    if (kind === undefined) continue;
    out.push(code.slice(kept, match.index), rename(text, kind));
    kept = match.index + text.length;
  }
  out.push(code.slice(kept));
  const result = out.join("");
  const defined = new Set(Array.from(result.matchAll(/^(?:const|function) ([^\s(]+)/gm), (m) => m[1]));
  for (const [name, to] of renamed) {
    if (!defined.has(to)) throw new Error(`Ajv's code uses ${name} without defining it in the block`);
  }
  return result;
}

/**
 * Ajv's code with each referenced function's errors appended in place rather
 * than concatenated. With `allErrors` and `inlineRefs: false`, Ajv writes
 * `vErrors = vErrors.concat(validateN.errors)` after each failing call, which
 * copies every error so far: an array of n bad items referencing one schema
 * (40,000 bad `domains`) cost n²/2 copies, 17 s of blocked event loop. The
 * callee's array is made fresh by each call and read only here, so the first
 * one is taken over as it is and later ones are pushed onto it: each error is
 * added once. Written one statement a line, as Ajv's `code.lines` writes.
 */
export function linearErrors(code: string): string {
  return code.replace(
    /vErrors = vErrors === null \? (\S+\.errors) : vErrors\.concat\(\1\);/g,
    (_match, errors: string) =>
      `if(vErrors === null){\nvErrors = ${errors};\n}\nelse {\nfor(const err of ${errors}){\nvErrors.push(err);\n}\n}`,
  );
}
