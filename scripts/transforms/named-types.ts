import { StructureKind } from "ts-morph";
import { literal } from "../naming.js";
import { docsOf, isStringEnum, type SpecModel, type StatementList } from "../spec-model.js";

/**
 * One exported alias per component schema (`SessionTokenByRevInfoRequest`
 * rather than `components["schemas"]["SessionTokenByRevInfoRequest"]`).
 * String enums are left to the constants module, which exports a value and a
 * type under the same name.
 */
export function namedTypes(model: SpecModel): StatementList {
  const aliases = model.schemas.filter(({ schema }) => !isStringEnum(schema));
  if (aliases.length === 0) return [];
  return [
    `import type { components } from "./schema.js";`,
    ...aliases.map(({ key, name, schema }) => ({
      kind: StructureKind.TypeAlias as const,
      isExported: true,
      name,
      type: `components["schemas"][${literal(key)}]`,
      docs: docsOf(schema),
    })),
  ];
}
