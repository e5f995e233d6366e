import type { OpenAPI3 } from "openapi-typescript";
import { RESERVED_NAMES, SpecModel, type StatementList } from "./spec-model.js";
import { enumConstants } from "./transforms/enum-constants.js";
import { namedTypes } from "./transforms/named-types.js";
import { operations } from "./transforms/operations.js";
import { validators } from "./transforms/validators.js";
import { printStructure, StructureKind } from "./ts-morph.js";

/**
 * The ts-morph pass: the modules openapi-typescript does not write, each
 * built from the spec by one transform. Returns file name -> text (no
 * banner), in index order, leaving out modules with nothing in them.
 */
export function morphPass(document: OpenAPI3): [string, string][] {
  const model = new SpecModel(document, RESERVED_NAMES);
  const files: [string, string][] = [];
  // In this order whatever the spec has, so names are claimed in one order.
  for (const [name, statements] of [
    ["types.ts", namedTypes(model)],
    ["constants.ts", enumConstants(model)],
  ] as const) {
    if (statements.length > 0) files.push([name, print(statements)]);
  }
  const validation = validators(model);
  if (validation) {
    // The runtime is a copy of a linted source file; the rest is built from structures.
    files.push(
      ["validation.ts", validation.runtime],
      ["ajv-validators.d.ts", print(validation.declarations)],
      ["validators.ts", print(validation.typed)],
    );
  }
  const built = operations(model);
  if (built) files.push(["operation.ts", built.runtime], ["operations.ts", print(built.statements)]);
  return files;
}

/**
 * One module's text, printed from its statements as ts-morph prints a new source
 * file, but without the source file: nothing here reads the code back, so parsing
 * it (half of this pass on a large spec) would be wasted. Four spaces and double
 * quotes, as openapi-typescript prints, so the files read as one.
 */
function print(statements: StatementList): string {
  return printStructure({ kind: StructureKind.SourceFile, statements }).trimStart();
}
