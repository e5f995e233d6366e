import type { OpenAPITSOptions } from "openapi-typescript";
import type TypeScript from "typescript";
import { escapeToken } from "../load-spec.js";
import type { SpecModel } from "../spec-model.js";

/**
 * TypeScript only flags an unknown key in an object literal when no member of
 * the union declares it, so `{ rev_info, subject_token }` would type-check
 * against a union whose other member has `subject_token`. For each closed
 * object (`additionalProperties: false`) that is a member of a `oneOf`, this
 * adds `key?: never` for every key its siblings declare and it does not:
 * exactly what the spec already forbids, now visible to the compiler.
 *
 * It runs inside openapi-typescript as a `postTransform`, editing the type
 * node while it is built, so the large schema module is never re-parsed. It
 * takes the compiler module from the caller, which loads it lazily.
 */
export function exclusiveUnions(model: SpecModel, ts: typeof TypeScript): OpenAPITSOptions["postTransform"] {
  const forbidden = forbiddenKeys(model);
  if (forbidden.size === 0) return undefined;
  return (type, { path }) => {
    const keys = path === undefined ? undefined : forbidden.get(path);
    if (!keys || !ts.isTypeLiteralNode(type)) return undefined;
    const never = keys.map((key) =>
      ts.factory.createPropertySignature(
        undefined,
        /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : ts.factory.createStringLiteral(key),
        ts.factory.createToken(ts.SyntaxKind.QuestionToken),
        ts.factory.createKeywordTypeNode(ts.SyntaxKind.NeverKeyword),
      ),
    );
    return ts.factory.updateTypeLiteralNode(type, ts.factory.createNodeArray([...type.members, ...never]));
  };
}

/** Schema path (`#/components/schemas/X`) -> keys that variant must not have, sorted. */
function forbiddenKeys(model: SpecModel): Map<string, string[]> {
  const forbidden = new Map<string, Set<string>>();
  for (const { schema } of model.schemas) {
    if (!Array.isArray(schema.oneOf)) continue;
    const members = schema.oneOf.flatMap((member) => model.member(member) ?? []);
    for (const member of members) {
      if (member.schema.additionalProperties !== false) continue;
      const own = new Set(Object.keys(member.schema.properties ?? {}));
      const path = `#/components/schemas/${escapeToken(member.key)}`;
      const extra = forbidden.get(path) ?? new Set<string>();
      for (const sibling of members) {
        for (const key of Object.keys(sibling.schema.properties ?? {})) if (!own.has(key)) extra.add(key);
      }
      if (extra.size > 0) forbidden.set(path, extra);
    }
  }
  return new Map([...forbidden].map(([path, keys]) => [path, [...keys].sort()]));
}
