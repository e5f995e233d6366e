import { keyLiteral } from "../naming.js";
import { docsOf, isInterfaceSchema, isStringEnum, type SpecModel, type StatementList } from "../spec-model.js";
import { StructureKind, type WriterFunction } from "../ts-morph.js";

/**
 * One exported name per component schema (`SessionTokenByRevInfoRequest`
 * rather than `components["schemas"]["SessionTokenByRevInfoRequest"]`). Plain
 * objects become interfaces, so compiler messages name them; everything else
 * becomes a type alias. String enums are left to the constants module, which
 * exports a value and a type under the same name.
 */
export function namedTypes(model: SpecModel): StatementList {
  const named = model.schemas.filter(({ schema }) => !isStringEnum(schema));
  if (named.length === 0) return [];
  const statements: StatementList = [
    `import type { components } from "./schema.js";`,
    // An interface can only extend a named type, not an indexed access.
    `type Schema<K extends keyof components["schemas"]> = components["schemas"][K];`,
  ];
  for (const [i, { key, name, schema }] of named.entries()) {
    const base = `Schema<${keyLiteral(key)}>`;
    // A blank line between the module's own lines and the names it exports.
    const leadingTrivia: WriterFunction | undefined = i === 0 ? (writer) => writer.blankLine() : undefined;
    const common = { isExported: true, name, docs: docsOf(schema), leadingTrivia };
    statements.push(
      isInterfaceSchema(schema)
        ? { kind: StructureKind.Interface, ...common, extends: [base] }
        : { kind: StructureKind.TypeAlias, ...common, type: base },
    );
  }
  return statements;
}
