import { StructureKind, VariableDeclarationKind } from "ts-morph";
import { isRecord } from "../load-spec.js";
import type { NamedSchema, Schema, SpecModel, StatementList } from "../spec-model.js";

/** What a guard checks of one property. */
type PropertyCheck = { const: unknown } | { enum: unknown[] } | { type: string } | Record<string, never>;

/** What a guard checks of one variant: top-level keys, their kinds, and closedness. */
interface Shape {
  required: Record<string, PropertyCheck>;
  optional: Record<string, PropertyCheck>;
  closed: boolean;
}

/**
 * A runtime type guard for every object variant of a `oneOf`. Guards check the
 * top level only (required keys, fixed values, primitive kinds, no unknown keys
 * on closed objects), which is what tells variants apart; validating nested
 * values is the server's job. The shapes are emitted as data and interpreted
 * by one small function, so each guard costs a line, not a function body.
 */
export function guards(model: SpecModel): StatementList {
  const variants = new Map<string, NamedSchema>();
  for (const { schema } of model.schemas) {
    for (const member of Array.isArray(schema.oneOf) ? schema.oneOf : []) {
      const named = model.member(member);
      if (named && isObjectSchema(named.schema)) variants.set(named.key, named);
    }
  }
  if (variants.size === 0) return [];

  const typeNames = [...variants.values()].map((v) => v.name);
  const statements: StatementList = [
    { kind: StructureKind.ImportDeclaration, isTypeOnly: true, namedImports: typeNames, moduleSpecifier: "./types.js" },
    SHAPE_RUNTIME,
  ];
  for (const variant of variants.values()) {
    const guardName = model.names.claim(`is${variant.name}`);
    const shapeName = `${guardName}Shape`;
    statements.push({
      kind: StructureKind.VariableStatement,
      declarationKind: VariableDeclarationKind.Const,
      declarations: [{ name: shapeName, type: "Shape", initializer: JSON.stringify(shapeOf(variant.schema, model)) }],
    });
    statements.push({
      kind: StructureKind.Function,
      isExported: true,
      name: guardName,
      parameters: [{ name: "value", type: "unknown" }],
      returnType: `value is ${variant.name}`,
      statements: `return matchesShape(value, ${shapeName});`,
      docs: [`Whether \`value\` has the shape of {@link ${variant.name}} (top-level keys and values).`],
    });
  }
  return statements;
}

function isObjectSchema(schema: Schema): boolean {
  return schema.type === "object" || isRecord(schema.properties);
}

function shapeOf(schema: Schema, model: SpecModel): Shape {
  const shape: Shape = { required: {}, optional: {}, closed: schema.additionalProperties === false };
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    const check = checkOf(model.resolve(property));
    (required.has(key) ? shape.required : shape.optional)[key] = check;
  }
  return shape;
}

function checkOf(schema: unknown): PropertyCheck {
  if (!isRecord(schema)) return {};
  if ("const" in schema) return { const: schema.const };
  if (Array.isArray(schema.enum)) return { enum: schema.enum };
  if (typeof schema.type === "string") return { type: schema.type };
  return {};
}

const SHAPE_RUNTIME = `type Check = { const: unknown } | { enum: readonly unknown[] } | { type: string } | Record<string, never>;
interface Shape {
    required: Record<string, Check>;
    optional: Record<string, Check>;
    closed: boolean;
}

function matchesCheck(value: unknown, check: Check): boolean {
    if ("const" in check) return value === check.const;
    if ("enum" in check) return check.enum.includes(value);
    if (!("type" in check)) return true;
    switch (check.type) {
        case "integer":
            return Number.isInteger(value);
        case "array":
            return Array.isArray(value);
        case "object":
            return typeof value === "object" && value !== null && !Array.isArray(value);
        case "null":
            return value === null;
        default:
            return typeof value === check.type;
    }
}

function matchesShape(value: unknown, shape: Shape): boolean {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
    const record = value as Record<string, unknown>;
    for (const [key, check] of Object.entries(shape.required)) {
        if (!Object.hasOwn(record, key) || !matchesCheck(record[key], check)) return false;
    }
    for (const [key, item] of Object.entries(record)) {
        if (Object.hasOwn(shape.required, key)) continue;
        const check = Object.hasOwn(shape.optional, key) ? shape.optional[key] : undefined;
        if (check === undefined) {
            if (shape.closed) return false;
        } else if (item !== undefined && !matchesCheck(item, check)) {
            return false;
        }
    }
    return true;
}`;
