import { readFileSync } from "node:fs";
import type { Transform } from "../output-layout.js";
import { arrayLiteral, jsDoc, literal, namedImport, objectLiteral, printModule, unionType } from "../print.js";
import { isStringEnum, type NamedSchema, type SpecModel, type StatementList } from "../spec-model.js";
import { isRecord } from "../spec-reader/json-pointer.js";
import { type StatementStructures, StructureKind, VariableDeclarationKind } from "../ts-morph.js";
import { compiledTargets, type Target, targetsOf } from "./validation-targets.js";

/** The shared runtime, copied into every output folder from its linted source. */
export const VALIDATION_RUNTIME_FILE = new URL("../runtime/validation.ts", import.meta.url);

/**
 * The typed side of the validators, around Ajv's code (see `ajv-code.ts`):
 * `validation.ts`, the runtime it shares; `ajv-validators.d.ts`, which
 * declares Ajv's exports; and `validators.ts`, one typed `validateX` (issues
 * with field paths) and one `isX` guard per schema, both answering exactly as
 * the schema does.
 */
export const validators: Transform = (model) => {
  const targets = targetsOf(model);
  if (targets.length === 0) return {};
  return {
    // A copy of a linted source file; the rest is built from structures.
    "validation.ts": readFileSync(VALIDATION_RUNTIME_FILE, "utf8"),
    "ajv-validators.d.ts": printModule(ajvDeclarations(targets)),
    "validators.ts": printModule(typed(model, targets)),
  };
};

/** `ajv-validators.d.ts`: one declared function per export of Ajv's code. */
function ajvDeclarations(targets: Target[]): StatementList {
  return [
    `import type { AjvValidate } from "./validation.js";`,
    ...compiledTargets(targets).map(
      (target): StatementStructures => ({
        kind: StructureKind.VariableStatement,
        isExported: true,
        hasDeclareKeyword: true,
        declarationKind: VariableDeclarationKind.Const,
        declarations: [{ name: target.ajvName, type: "AjvValidate" }],
      }),
    ),
  ];
}

function typed(model: SpecModel, targets: Target[]): StatementList {
  const typeNames = new Set<string>();
  const enumNames = new Set(model.schemas.filter((s) => isStringEnum(s.schema)).map((s) => s.name));
  for (const t of compiledTargets(targets)) for (const name of t.types) if (name !== "unknown") typeNames.add(name);
  const fromTypes = [...typeNames].filter((n) => !enumNames.has(n)).sort();
  const fromConstants = [...typeNames].filter((n) => enumNames.has(n)).sort();

  const hasUnions = compiledTargets(targets).some((target) => target.members.length > 0);
  const statements: StatementList = [
    `import * as ajv from "./ajv-validators.js";`,
    `import { ${hasUnions ? "type UnionMember, " : ""}type Validator, validator } from "./validation.js";`,
  ];
  if (fromTypes.length > 0) statements.push(namedImport(fromTypes, "./types.js", { typeOnly: true }));
  if (fromConstants.length > 0) statements.push(namedImport(fromConstants, "./constants.js", { typeOnly: true }));
  statements.push(`export type { ValidationIssue, ValidationResult, Validator } from "./validation.js";`);

  // The declarations are printed as text, blank lines between them: ts-morph would hang the
  // lines after the first of an initializer or a return type one level deeper, so a member
  // list or a long union would not line up with its closing bracket.
  statements.push(`\n${targets.map((target) => declarations(model, target)).join("\n\n")}`);
  return statements;
}

/** A target's `validateX` and, for a component schema, its `isX` guard; or its alias of the validator it equals. */
function declarations(model: SpecModel, target: Target): string {
  if (target.sameAs) {
    const docs = `Checks a value against ${target.docs}, naming each field that breaks it: {@link ${target.sameAs.validatorName}}, for the same schema.`;
    return [
      jsDoc([{ description: docs, tags: [] }]),
      `export const ${target.validatorName} = ${target.sameAs.validatorName};`,
    ].join("\n");
  }
  const members = target.members.map((member) => memberLiteral(model, member, target.members));
  const args = [`ajv[${literal(target.ajvName)}]`];
  if (members.length > 0) args.push(arrayLiteral(members));
  const validatorDocs = `Checks a value against ${target.docs}, naming each field that breaks it.`;
  const lines = [
    jsDoc([{ description: validatorDocs, tags: [] }]),
    `export const ${target.validatorName}: ${unionType("Validator<", target.types, ">")} = /* @__PURE__ */ validator(${args.join(", ")});`,
  ];
  if (target.guardName) {
    const guardDocs = `Whether \`value\` satisfies ${target.docs}: true exactly when {@link ${target.validatorName}} finds no issue.`;
    lines.push(
      "",
      jsDoc([{ description: guardDocs, tags: [] }]),
      `export function ${target.guardName}(value: unknown): ${unionType("value is ", target.types)} {`,
      `    return ajv[${literal(target.ajvName)}](value);`,
      "}",
    );
  }
  return lines.join("\n");
}

/** A union member as the runtime reads it: its validator, its keys, and the tags that tell it apart. */
function memberLiteral(model: SpecModel, member: NamedSchema, siblings: NamedSchema[]): string {
  const properties = (member.schema.properties ?? {}) as Record<string, unknown>;
  const tags: [string, string][] = [];
  for (const [key, property] of Object.entries(properties)) {
    const values = tagValues(model.resolve(property));
    if (values === undefined) continue;
    // A key is a tag only where a sibling that declares it too allows other values there (whatever
    // else their schemas say: a tag tells members apart by value alone).
    const own = JSON.stringify(values);
    const differs = siblings.some((sibling) => {
      const theirs = (sibling.schema.properties ?? {})[key];
      return sibling !== member && theirs !== undefined && JSON.stringify(tagValues(model.resolve(theirs))) !== own;
    });
    if (differs) tags.push([key, arrayLiteral(values.map(literal))]);
  }
  const fields: [string, string][] = [
    ["name", literal(member.name)],
    ["validate", `ajv[${literal(member.name)}]`],
    ["keys", arrayLiteral(Object.keys(properties).map(literal))],
    ["tags", objectLiteral(tags)],
  ];
  return `${objectLiteral(fields)} satisfies UnionMember`;
}

function tagValues(schema: unknown): unknown[] | undefined {
  if (schema === false) return [];
  if (!isRecord(schema)) return undefined;
  if ("const" in schema) return [schema.const];
  if (Array.isArray(schema.enum)) return schema.enum;
  return undefined;
}
