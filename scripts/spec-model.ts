import type { OpenAPI3, OperationObject, ReferenceObject } from "openapi-typescript";
import type { StatementStructures } from "ts-morph";
import { camelCase, NameRegistry, pascalCase, safeDoc, safeIdentifier } from "./naming.js";
import { canonicalRef, followRefs, isRecord, refToken } from "./spec-reader/json-pointer.js";
import { OPERATION_METHODS, type OperationMethod } from "./spec-reader/openapi-keys.js";

/**
 * The parts of a JSON Schema the transforms read. openapi-typescript's own
 * SchemaObject splits these across many subtypes, which makes plain reads noisy.
 */
export interface Schema {
  $ref?: string;
  type?: unknown;
  const?: unknown;
  enum?: unknown[];
  oneOf?: unknown[];
  anyOf?: unknown[];
  properties?: Record<string, unknown>;
  required?: string[];
  additionalProperties?: unknown;
  description?: string;
  deprecated?: boolean;
  "x-enum-varnames"?: unknown;
}

/** Identifiers the generated modules define themselves, kept away from schema names. */
export const RESERVED_NAMES = [
  "paths",
  "components",
  "operations",
  "webhooks",
  "$defs",
  "operationTable",
  "OperationEntry",
  "OperationResult",
  "OperationBody",
  "callOperation",
  "UndeclaredStatusError",
  "Validator",
  "ValidationIssue",
  "ValidationResult",
  "UnionMember",
  "validator",
  "ajv",
  "Schema",
];

/** What a transform contributes to its module: ts-morph structures or plain statement text. */
export type StatementList = (string | StatementStructures)[];

/** A component schema with the TypeScript name the generator gives it. */
export interface NamedSchema {
  /** Key under `components.schemas`. */
  key: string;
  /** Exported TypeScript name. */
  name: string;
  schema: Schema;
}

export interface Operation {
  /** Exported function name. */
  name: string;
  method: OperationMethod;
  path: string;
  operation: OperationObject;
}

/**
 * The read-only view of a spec that every transform shares: component schemas
 * with their exported names, operations with their function names, and `$ref`
 * resolution. Built once per run.
 */
export class SpecModel {
  readonly document: OpenAPI3;
  /** Every identifier the generated barrel exports, so no two modules export the same name. */
  readonly names: NameRegistry;
  readonly schemas: NamedSchema[];
  readonly operations: Operation[];
  /** Each named component by its `$ref` as canonicalRef spells it. */
  readonly #byRef = new Map<string, NamedSchema>();

  constructor(document: OpenAPI3, reservedNames: Iterable<string>) {
    this.document = document;
    const names = new NameRegistry(reservedNames);
    this.names = names;
    this.schemas = Object.entries(document.components?.schemas ?? {}).map(([key, schema]) => ({
      key,
      name: names.claim(pascalCase(key), `${pascalCase(key)}Schema`),
      schema: (isRecord(schema) ? schema : {}) as Schema,
    }));
    for (const named of this.schemas) this.#byRef.set(`#/components/schemas/${refToken(named.key)}`, named);

    this.operations = [];
    for (const [path, item] of Object.entries(document.paths ?? {})) {
      const pathItem = this.resolve(item);
      if (!isRecord(pathItem)) continue;
      for (const method of OPERATION_METHODS) {
        const operation = pathItem[method];
        if (!isRecord(operation)) continue;
        const { operationId } = operation as OperationObject;
        const preferred = safeIdentifier(camelCase(operationId || `${method} ${path}`));
        this.operations.push({ name: names.claim(preferred), method, path, operation: operation as OperationObject });
      }
    }
  }

  /**
   * The named component a `$ref` points at, if it points at one, however the ref spells its key
   * (a URI fragment: `#/components/schemas/a%20b` is the schema `a b`, as `resolve` reads it).
   */
  namedSchema(ref: string): NamedSchema | undefined {
    return this.#byRef.get(canonicalRef(ref));
  }

  /** The named component a oneOf member refers to, if it is a plain `$ref` to one. */
  member(value: unknown): NamedSchema | undefined {
    return isRecord(value) && typeof value.$ref === "string" ? this.namedSchema(value.$ref) : undefined;
  }

  /** Follows `$ref`s until a concrete object (or nothing) is reached. */
  resolve<T>(value: T | ReferenceObject): T | undefined {
    return followRefs(this.document, value) as T | undefined;
  }
}

/**
 * A plain object schema, which the generator names with an interface so that
 * TypeScript's messages print its name instead of its expanded shape. Unions,
 * compositions and nullable objects stay type aliases: an interface cannot
 * extend them.
 */
export function isInterfaceSchema(schema: unknown): boolean {
  if (!isRecord(schema) || "$ref" in schema) return false;
  const composite = ["oneOf", "anyOf", "allOf", "not", "enum", "const", "nullable"].some((key) => key in schema);
  // Properties beside an `additionalProperties` or `patternProperties` schema print as an
  // intersection, which an interface cannot extend when the index signature does not admit
  // every property.
  const intersection =
    isRecord(schema.properties) && (isRecord(schema.additionalProperties) || isRecord(schema.patternProperties));
  return (
    !composite &&
    !intersection &&
    (schema.type === "object" || (schema.type === undefined && isRecord(schema.properties)))
  );
}

/** A `type: string` schema whose values are all listed in `enum`: it becomes a constant object. */
export function isStringEnum(schema: Schema): schema is Schema & { enum: string[] } {
  return (
    isRecord(schema) &&
    Array.isArray(schema.enum) &&
    schema.enum.length > 0 &&
    schema.enum.every((value) => typeof value === "string")
  );
}

/** JSDoc text for a schema or operation: its description (or summary) and deprecation. */
export function docsOf(node: { description?: string; summary?: string; deprecated?: boolean }): {
  description: string;
  tags: { tagName: string }[];
}[] {
  // Trailing spaces on a line (Markdown's hard break) would stay in the comment as trailing whitespace.
  const text = (node.description ?? node.summary ?? "").trim().replace(/[ \t]+$/gm, "");
  const tags = node.deprecated ? [{ tagName: "deprecated" }] : [];
  return text || tags.length ? [{ description: safeDoc(text), tags }] : [];
}
