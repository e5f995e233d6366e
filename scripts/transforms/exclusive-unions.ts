import { type SourceFile, SyntaxKind, type TypeLiteralNode } from "ts-morph";
import type { Schema, SpecModel } from "../spec-model.js";

/**
 * TypeScript only flags an unknown key in an object literal when no member of
 * the union declares it, so `{ rev_info, subject_token }` would type-check
 * against a union whose other member has `subject_token`. For each closed
 * object (`additionalProperties: false`) that is a member of a `oneOf`, this
 * adds `key?: never` for every key its siblings declare and it does not:
 * exactly what the spec already forbids, now visible to the compiler.
 */
export function makeUnionsExclusive(schemaFile: SourceFile, model: SpecModel): void {
  const forbidden = new Map<string, Set<string>>();
  for (const { schema } of model.schemas) {
    if (!Array.isArray(schema.oneOf)) continue;
    const members = schema.oneOf.flatMap((member) => model.member(member) ?? []);
    const keysOf = new Map(members.map((m) => [m.key, Object.keys(m.schema.properties ?? {})]));
    for (const member of members) {
      if (!isClosedObject(member.schema)) continue;
      const own = new Set(keysOf.get(member.key));
      const extra = forbidden.get(member.key) ?? new Set<string>();
      for (const sibling of members) {
        for (const key of keysOf.get(sibling.key) ?? []) if (!own.has(key)) extra.add(key);
      }
      if (extra.size > 0) forbidden.set(member.key, extra);
    }
  }
  if (forbidden.size === 0) return;

  const schemas = schemaFile
    .getInterfaceOrThrow("components")
    .getPropertyOrThrow("schemas")
    .getTypeNodeOrThrow()
    .asKindOrThrow(SyntaxKind.TypeLiteral);
  for (const [key, keys] of forbidden) {
    const literal = memberType(schemas, key);
    if (!literal) continue;
    literal.addProperties(
      [...keys].sort().map((name) => ({ name: quoteIfNeeded(name), hasQuestionToken: true, type: "never" })),
    );
  }
}

function isClosedObject(schema: Schema): boolean {
  return schema.additionalProperties === false;
}

function memberType(schemas: TypeLiteralNode, key: string): TypeLiteralNode | undefined {
  const property = schemas.getProperty((p) => unquote(p.getName()) === key);
  return property?.getTypeNode()?.asKind(SyntaxKind.TypeLiteral);
}

function unquote(name: string): string {
  return /^["']/.test(name) ? JSON.parse(name.replace(/^'|'$/g, '"')) : name;
}

function quoteIfNeeded(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : JSON.stringify(name);
}
