import type { OpenAPI3 } from "openapi-typescript";
import { RESERVED_NAMES, SpecModel, type StatementList } from "./spec-model.js";
import { enumConstants } from "./transforms/enum-constants.js";
import { namedTypes } from "./transforms/named-types.js";
import { operations } from "./transforms/operations.js";
import { validators } from "./transforms/validators.js";
import { IndentationText, Project, QuoteKind } from "./ts-morph.js";

/**
 * The ts-morph pass: the modules openapi-typescript does not write, each
 * built from the spec by one transform. Returns file name -> text (no
 * banner), in index order, leaving out modules with nothing in them.
 */
export function morphPass(document: OpenAPI3): [string, string][] {
  const model = new SpecModel(document, RESERVED_NAMES);
  const project = new Project({
    useInMemoryFileSystem: true,
    // Four spaces, as openapi-typescript prints, so the files read as one.
    manipulationSettings: { indentationText: IndentationText.FourSpaces, quoteKind: QuoteKind.Double },
  });
  // Each transform returns its statements, and each file is created from them
  // in one go: ts-morph prints the structures once and parses once, where
  // editing an existing file re-parses it after every change.
  const print = (name: string, statements: StatementList): [string, string] => [
    name,
    project.createSourceFile(name, { statements }).getFullText().trimStart(),
  ];
  const files: [string, string][] = [];
  // In this order whatever the spec has, so names are claimed in one order.
  for (const [name, statements] of [
    ["types.ts", namedTypes(model)],
    ["constants.ts", enumConstants(model)],
  ] as const) {
    if (statements.length > 0) files.push(print(name, statements));
  }
  files.push(...validatorModules(project, model));
  const built = operations(model);
  if (built) files.push(["operation.ts", built.runtime], print("operations.ts", built.statements));
  return files;
}

/**
 * The validators' typed modules, around Ajv's code (which the Ajv pass
 * writes): the runtime is a copy of a linted source file; the declarations
 * and `validators.ts` are built from structures like the rest.
 */
function validatorModules(project: InstanceType<typeof Project>, model: SpecModel): [string, string][] {
  const built = validators(model);
  if (!built) return [];
  const declarations = project.createSourceFile("ajv-validators.d.ts", { statements: built.declarations });
  const typed = project.createSourceFile("validators.ts", { statements: built.typed });
  return [
    ["validation.ts", built.runtime],
    ["ajv-validators.d.ts", declarations.getFullText().trimStart()],
    ["validators.ts", typed.getFullText().trimStart()],
  ];
}
