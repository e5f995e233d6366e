import type { MediaTypeObject, RequestBodyObject } from "openapi-typescript";
import { pascalCase } from "../naming.js";
import { exclusiveUnionMembers } from "../schema-hooks/exclusive-unions.js";
import type { NamedSchema, Schema, SpecModel } from "../spec-model.js";
import { isRecord, refToken } from "../spec-reader/json-pointer.js";

/** A schema the generated module validates: a component, or an operation's request body. */
export interface Target {
  /** Export name inside `ajv-validators.js`. */
  ajvName: string;
  /** Ajv reference to the schema inside the document. */
  ref: string;
  /**
   * The TypeScript type a valid value has: the schema's name (`unknown` for an inline schema), or
   * its union's members where the printed union is stricter than the schema (see exclusiveUnionTypes).
   */
  types: string[];
  /** Named object members when the schema is a `oneOf`/`anyOf` of them. */
  members: NamedSchema[];
  validatorName: string;
  guardName?: string;
  docs: string;
  /**
   * An earlier target whose validator this one is: a body that is only a `$ref` to a component
   * schema, or a `components/requestBodies` entry that an earlier operation uses too. Such a
   * target is printed as an alias of that validator, and Ajv compiles nothing for it.
   */
  sameAs?: Target;
}

/**
 * Every schema the generated validators cover, in output order: each component
 * schema, then each operation's JSON request body. Claims the validator and
 * guard names in the model's registry, so it runs once per model.
 */
export function targetsOf(model: SpecModel): Target[] {
  const targets: Target[] = [];
  // A component's target by its key, and a body's by its pointer: a later body that is only a
  // `$ref` to one, or is the same body, is an alias.
  const components = new Map<string, Target>();
  const bodies = new Map<string, Target>();
  for (const named of model.schemas) {
    const members = unionMembers(model, named.schema);
    const target: Target = {
      ajvName: named.name,
      ref: `#/components/schemas/${refToken(named.key)}`,
      types: exclusiveUnionTypes(model, named) ?? [named.name],
      members,
      validatorName: model.names.claim(`validate${named.name}`),
      guardName: model.names.claim(`is${named.name}`),
      docs: `the \`${named.key}\` schema`,
    };
    targets.push(target);
    components.set(named.key, target);
  }
  for (const op of model.operations) {
    const body = model.resolve(op.operation.requestBody as RequestBodyObject | undefined);
    const content = isRecord(body) && isRecord(body.content) ? body.content : {};
    const mediaType = Object.keys(content).find((type) => /\bjson\b/i.test(type));
    const media = mediaType === undefined ? undefined : (content[mediaType] as MediaTypeObject);
    if (!isRecord(media?.schema)) continue;
    const path = `#/paths/${refToken(op.path)}/${op.method}`;
    const bodyPointer =
      isRecord(op.operation.requestBody) && "$ref" in op.operation.requestBody
        ? String(op.operation.requestBody.$ref)
        : `${path}/requestBody`;
    const named = model.member(media.schema);
    const members = named ? unionMembers(model, named.schema) : [];
    const ref = `${bodyPointer}/content/${refToken(mediaType as string)}/schema`;
    const onlyRef = named !== undefined && Object.keys(media.schema).length === 1;
    const target: Target = {
      ajvName: `$body_${op.name}`,
      ref,
      types: (named && exclusiveUnionTypes(model, named)) ?? [named?.name ?? "unknown"],
      members,
      validatorName: model.names.claim(`validate${pascalCase(op.name)}Body`),
      docs: `the request body of \`${op.name}\``,
      sameAs: bodies.get(ref) ?? (onlyRef ? components.get(named.key) : undefined),
    };
    targets.push(target);
    if (!bodies.has(ref)) bodies.set(ref, target.sameAs ?? target);
  }
  return targets;
}

/**
 * A union's member names, where its own name types a stricter union than the schema checks: the
 * exclusive-unions hook gives each member of such a `oneOf` a `never` for its siblings' keys,
 * which Ajv does not check, so a guard narrows to the members as the schema describes them.
 * Any other schema's name is exactly what its validator checks.
 */
function exclusiveUnionTypes(model: SpecModel, named: NamedSchema): string[] | undefined {
  return exclusiveUnionMembers(model, named.schema)?.map((member) => member.name);
}

/** The targets Ajv compiles a function for: all but the aliases. */
export function compiledTargets(targets: Target[]): Target[] {
  return targets.filter((target) => target.sameAs === undefined);
}

/** The named members of a `oneOf`/`anyOf`, when every member is a `$ref` to a named schema. */
function unionMembers(model: SpecModel, schema: Schema): NamedSchema[] {
  const list = Array.isArray(schema.oneOf) ? schema.oneOf : Array.isArray(schema.anyOf) ? schema.anyOf : undefined;
  if (!list) return [];
  const members = list.map((member: unknown) => model.member(member));
  return members.every((m) => m !== undefined) ? members : [];
}
