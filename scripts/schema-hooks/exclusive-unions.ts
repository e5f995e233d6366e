import type { OpenAPITSOptions } from "openapi-typescript";
import type TypeScript from "typescript";
import { isInterfaceSchema, type NamedSchema, type Schema, type SpecModel } from "../spec-model.js";
import { escapeToken } from "../spec-reader/json-pointer.js";

/**
 * TypeScript only flags an unknown key in an object literal when no member of
 * the union declares it, so `{ rev_info, subject_token }` would type-check
 * against a union whose other member has `subject_token`. For each `oneOf` of
 * named object schemas, this rewrites the union so that each member also says
 * `key?: never` for every key its siblings declare and it does not. Only the
 * union changes: the named member types stay as the schema describes them,
 * so a guard that narrows to a member never promises more than it checked.
 * Members that are interfaces are referenced by name, so compiler messages
 * name the variant (`SessionTokenByRevInfoRequest & { … }`).
 *
 * It runs inside openapi-typescript as a `postTransform`, editing the type
 * node while it is built, so the large schema module is never re-parsed. It
 * takes the compiler module from the caller, which loads it lazily.
 */
export function exclusiveUnions(model: SpecModel, ts: typeof TypeScript): OpenAPITSOptions["postTransform"] {
  const unions = exclusiveMembers(model);
  if (unions.size === 0) return undefined;
  const f = ts.factory;
  return (_type, { path }) => {
    const members = path === undefined ? undefined : unions.get(path);
    if (!members) return undefined;
    return f.createUnionTypeNode(
      members.map(({ member, forbidden }) => {
        const named = isInterfaceSchema(member.schema)
          ? f.createImportTypeNode(
              f.createLiteralTypeNode(f.createStringLiteral("./types.js")),
              undefined,
              f.createIdentifier(member.name),
            )
          : f.createIndexedAccessTypeNode(
              f.createIndexedAccessTypeNode(
                f.createTypeReferenceNode("components"),
                f.createLiteralTypeNode(f.createStringLiteral("schemas")),
              ),
              f.createLiteralTypeNode(f.createStringLiteral(member.key)),
            );
        if (forbidden.length === 0) return named;
        const never = forbidden.map((key) =>
          f.createPropertySignature(
            undefined,
            /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : f.createStringLiteral(key),
            f.createToken(ts.SyntaxKind.QuestionToken),
            f.createKeywordTypeNode(ts.SyntaxKind.NeverKeyword),
          ),
        );
        return f.createIntersectionTypeNode([named, f.createTypeLiteralNode(never)]);
      }),
    );
  };
}

interface ExclusiveMember {
  member: NamedSchema;
  /** Keys a sibling declares and this member does not, sorted. */
  forbidden: string[];
}

/** Union schema path (`#/components/schemas/X`) -> its members, when every member is a named object. */
function exclusiveMembers(model: SpecModel): Map<string, ExclusiveMember[]> {
  const unions = new Map<string, ExclusiveMember[]>();
  for (const { key, schema } of model.schemas) {
    const members = exclusiveUnionMembers(model, schema);
    if (!members) continue;
    unions.set(
      `#/components/schemas/${escapeToken(key)}`,
      members.map((member) => {
        const own = new Set(Object.keys(member.schema.properties ?? {}));
        const extra = new Set<string>();
        for (const sibling of members) {
          for (const k of Object.keys(sibling.schema.properties ?? {})) if (!own.has(k)) extra.add(k);
        }
        return { member, forbidden: [...extra].sort() };
      }),
    );
  }
  return unions;
}

/**
 * The members of a `oneOf` this hook rewrites (two or more, each a `$ref` to a named object
 * schema), or undefined for any other schema: its printed type is then the schema's own union.
 */
export function exclusiveUnionMembers(model: SpecModel, schema: Schema): NamedSchema[] | undefined {
  if (!Array.isArray(schema.oneOf) || schema.oneOf.length < 2) return undefined;
  const members = schema.oneOf.map((member) => model.member(member));
  return members.every((m): m is NamedSchema => m !== undefined && isObjectLike(m.schema)) ? members : undefined;
}

function isObjectLike(schema: NamedSchema["schema"]): boolean {
  return schema.type === "object" || typeof schema.properties === "object";
}
