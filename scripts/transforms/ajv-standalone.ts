import { createRequire } from "node:module";
import type { Ajv, ValidateFunction } from "ajv";

const require = createRequire(import.meta.url);

/** How many schemas one collecting schema references: Ajv's time per function grows with the square of it. */
const FAN_OUT = 32;

/**
 * The module Ajv's public `standaloneCode(ajv, refs)` prints, one statement per line
 * (`code.lines`), in linear time. Given refs, Ajv appends each export to one growing code
 * object that copies every item so far: 15 s for a 1,000-operation spec. Given one function,
 * it prints that function and everything it references in one pass, and Ajv compiles a
 * function that references n schemas in time that also grows with n². So a tree of
 * collecting schemas (`allOf`s of at most FAN_OUT references, the leaves the exports, in
 * order) is compiled and printed, and the collecting functions and their schemas are cut
 * out: what is left is the functions Ajv prints for the refs, in the same order. The export
 * lines lead the module, a table of contents. `linearErrors` then fixes the same flaw in
 * the functions themselves.
 */
export function standaloneExports(ajv: Ajv, refs: Record<string, string>): string {
  const standaloneCode = require("ajv/dist/standalone/index.js")
    .default as typeof import("ajv/dist/standalone/index.js").default;
  if (ajv.opts.code.lines !== true || ajv.opts.code.esm !== true) {
    throw new Error("standaloneExports needs Ajv's code.lines and code.esm options");
  }
  // Compiled first, so that the collecting schemas' references reach these very functions.
  const exports = Object.entries(refs).map(([exportName, id]) => {
    if (!/^[A-Za-z_$][\w$]*$/.test(exportName)) throw new Error(`not an export name: ${exportName}`);
    return `export const ${exportName} = ${sourceOf(ajv.getSchema(id)).validateName};`;
  });
  const collectors: Source[] = [];
  let level = [...new Set(Object.values(refs))];
  do {
    const next: string[] = [];
    for (let i = 0; i < level.length; i += FAN_OUT) {
      const id = collectorId(collectors.length);
      ajv.addSchema({ allOf: level.slice(i, i + FAN_OUT).map(($ref) => ({ $ref })) }, id, undefined, false);
      collectors.push(sourceOf(ajv.getSchema(id)));
      next.push(id);
    }
    level = next;
  } while (level.length > 1);
  const root = collectors.at(-1) as Source;
  const name = String(root.validateName);
  const head = `"use strict";\nexport const validate = ${name};\nexport default ${name};\n`;
  const module = standaloneCode(ajv, ajv.getSchema(level[0] as string));
  if (!module.startsWith(head)) throw new Error("Ajv's standalone code no longer starts as this module expects");
  const functions = withoutCollectors(module.slice(head.length), collectors);
  for (let i = 0; i < collectors.length; i++) ajv.removeSchema(collectorId(i));
  return `${exports.join("\n")}\n\n${linearErrors(functions.trim())}\n`;
}

/**
 * A collecting schema's id: relative, so the refs it holds resolve as they would from the
 * caller's own schemas, and named so that no schema of a spec (whose ids the caller chooses)
 * takes it.
 */
function collectorId(n: number): string {
  return `standalone-exports-collector-${n}`;
}

type Source = NonNullable<ValidateFunction["source"]>;

function sourceOf(validate: ValidateFunction | undefined): Source {
  if (!validate?.source) throw new Error("Ajv compiled no source code for a schema");
  return validate.source;
}

/**
 * `code` without the collecting functions and their schemas, found in one pass by name: each
 * function is its `validateCode` and each schema one line, exactly, or this throws.
 */
function withoutCollectors(code: string, collectors: Source[]): string {
  const cut = new Map<string, string>();
  for (const source of collectors) {
    if (source.evaluated) throw new Error("a collecting function tracks evaluated properties");
    cut.set(`function ${source.validateName}(`, source.validateCode);
    // A function's own schema is the first of the schemas it uses.
    const [schema] = source.scopeValues.schema ?? [];
    if (schema) cut.set(`const ${schema} = `, `const ${schema} = ${JSON.stringify(schema.value?.ref)};`);
  }
  const parts: string[] = [];
  let kept = 0;
  for (const match of code.matchAll(/^(?:function validate\d+\(|const schema\d+ = )/gm)) {
    const text = cut.get(match[0]);
    if (text === undefined) continue;
    if (!code.startsWith(text, match.index)) throw new Error(`Ajv printed ${match[0]} unlike its source`);
    parts.push(code.slice(kept, match.index));
    kept = match.index + text.length + 1;
    cut.delete(match[0]);
  }
  if (cut.size > 0) throw new Error("Ajv's standalone code lacks a collecting function");
  parts.push(code.slice(kept));
  return parts.join("");
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
    /vErrors = vErrors === null \? ([\w$.]+\.errors) : vErrors\.concat\(\1\);/g,
    (_match, errors: string) =>
      `if(vErrors === null){\nvErrors = ${errors};\n}\nelse {\nfor(const err of ${errors}){\nvErrors.push(err);\n}\n}`,
  );
}
