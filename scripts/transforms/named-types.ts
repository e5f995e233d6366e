import type { SourceFile } from "ts-morph";
import { literal } from "../naming.js";
import { docsOf, isStringEnum, type SpecModel } from "../spec-model.js";

/**
 * One exported alias per component schema (`SessionTokenByRevInfoRequest`
 * rather than `components["schemas"]["SessionTokenByRevInfoRequest"]`).
 * String enums are left to the constants module, which exports a value and a
 * type under the same name.
 */
export function addNamedTypes(file: SourceFile, model: SpecModel): void {
  const aliases = model.schemas.filter(({ schema }) => !isStringEnum(schema));
  if (aliases.length === 0) return;
  file.addImportDeclaration({ isTypeOnly: true, namedImports: ["components"], moduleSpecifier: "./schema.js" });
  file.addTypeAliases(
    aliases.map(({ key, name, schema }) => ({
      isExported: true,
      name,
      type: `components["schemas"][${literal(key)}]`,
      docs: docsOf(schema),
    })),
  );
}
