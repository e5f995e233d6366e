import { keyLiteral } from "../naming.js";
import { docsOf, isInterfaceSchema, isStringEnum, type SpecModel, type StatementList } from "../spec-model.js";
import { StructureKind } from "../ts-morph.js";

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
  for (const { key, name, schema } of named) {
    const base = `Schema<${keyLiteral(key)}>`;
    statements.push(
      isInterfaceSchema(schema)
        ? { kind: StructureKind.Interface, isExported: true, name, extends: [base], docs: docsOf(schema) }
        : { kind: StructureKind.TypeAlias, isExported: true, name, type: base, docs: docsOf(schema) },
    );
  }
  return statements;
}
