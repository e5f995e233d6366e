import { keyLiteral } from "../naming.js";
import type { Transform } from "../output-layout.js";
import { jsDoc, printModule } from "../print.js";
import { docsOf, isInterfaceSchema, isStringEnum } from "../spec-model.js";

/**
 * One exported name per component schema (`SessionTokenByRevInfoRequest`
 * rather than `components["schemas"]["SessionTokenByRevInfoRequest"]`). Plain
 * objects become interfaces, so compiler messages name them; everything else
 * becomes a type alias. String enums are left to the constants module, which
 * exports a value and a type under the same name.
 */
export const namedTypes: Transform = (model) => {
  const named = model.schemas.filter(({ schema }) => !isStringEnum(schema));
  if (named.length === 0) return {};
  const declarations = named.map(({ key, name, schema }) => {
    const base = `Schema<${keyLiteral(key)}>`;
    // Printed as text: ts-morph prints an interface with no members of its own as `{`, then `}` on a line of its own.
    const declaration = isInterfaceSchema(schema)
      ? `export interface ${name} extends ${base} {}`
      : `export type ${name} = ${base};`;
    return [jsDoc(docsOf(schema)), declaration].filter(Boolean).join("\n");
  });
  const statements = [
    `import type { components } from "./schema.js";`,
    // An interface can only extend a named type, not an indexed access.
    `type Schema<K extends keyof components["schemas"]> = components["schemas"][K];`,
    // A blank line between the module's own lines and the names it exports, and between those.
    `\n${declarations.join("\n\n")}`,
  ];
  return { "types.ts": printModule(statements) };
};
