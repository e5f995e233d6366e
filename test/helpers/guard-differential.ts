import { join } from "node:path";
import { pathToFileURL } from "node:url";
import AjvModule, { type Ajv } from "ajv";
import formatsModule from "ajv-formats";
import fc from "fast-check";
import { RESERVED_NAMES, SpecModel } from "../../scripts/spec-model.js";
import { addPrintedValues, type Discriminator } from "../../scripts/spec-reader/discriminators.js";
import { escapeToken, resolvePointer } from "../../scripts/spec-reader/json-pointer.js";
import { loadSpec } from "../../scripts/spec-reader/load-spec.js";
import { PRISM_AJV_OPTIONS } from "../../scripts/transforms/ajv-code.js";
import { enumConstants } from "../../scripts/transforms/enum-constants.js";
import { arbitraryFor, mutated } from "./schema-arbitrary.js";

export interface Disagreement {
  schema: string;
  value: unknown;
  guard: boolean | string;
  reference: boolean;
}

export interface DifferentialResult {
  /** Component schemas compared. */
  schemas: number;
  /** Values each guard and the reference judged. */
  values: number;
  /** How many of them the reference found valid: both sides of every guard are exercised. */
  valid: number;
  /** Schemas the reference Ajv cannot compile as written, with its reason. */
  uncompiled: string[];
  disagreements: Disagreement[];
}

/** Where the reference Ajv holds the spec. */
const REFERENCE_ID = "https://reference.invalid/spec.json";

/**
 * Every `isX` guard the generator wrote into `out` for `spec`, against a
 * reference built without the generator: a plain Ajv, with the options Prism
 * uses, compiling each component schema straight from the spec as written,
 * after openapi-typescript's own `scanDiscriminators` has patched it as it
 * does before printing types (and the printer's literals for extending
 * schemas). Values come from fast-check, shaped by each schema and then
 * broken in one place; any value the two judge differently is a disagreement.
 */
export async function guardDifferential(spec: string, out: string, runs: number): Promise<DifferentialResult> {
  const { document } = await loadSpec(spec);
  const patched = structuredClone(document) as unknown as Record<string, unknown>;
  const { scanDiscriminators } = (await import("openapi-typescript/dist/lib/utils.mjs" as string)) as {
    scanDiscriminators: (
      schema: unknown,
      options: { silent: boolean },
    ) => { objects: Record<string, Discriminator>; refsHandled: string[] };
  };
  const { objects, refsHandled } = scanDiscriminators(patched, { silent: true });
  addPrintedValues(patched, new Map(Object.entries(objects)), new Set(refsHandled));

  asOpenApiDialect(patched);

  const ajv = new AjvModule.default({ ...PRISM_AJV_OPTIONS, logger: false, validateSchema: false });
  formatsModule.default(ajv);
  addOpenApiKeywords(ajv);
  ajv.addSchema(patched, REFERENCE_ID);
  const resolve = (ref: string) =>
    ref.startsWith("#/") ? (resolvePointer(patched, ref.slice(1)) as boolean | Record<string, unknown>) : undefined;

  const generated = (await import(pathToFileURL(join(out, "index.ts")).href)) as Record<string, unknown>;
  const result: DifferentialResult = { schemas: 0, values: 0, valid: 0, uncompiled: [], disagreements: [] };
  for (const { key, guardName } of guardsOf(document)) {
    const guard = generated[guardName];
    if (typeof guard !== "function") throw new Error(`${out} exports no guard ${guardName} for schema ${key}`);
    const pointer = `#/components/schemas/${escapeToken(key)}`;
    let reference: (value: unknown) => boolean;
    try {
      reference = ajv.compile({ $ref: `${REFERENCE_ID}${pointer}` });
    } catch (error) {
      result.uncompiled.push(`${key}: ${(error as Error).message.split("\n")[0]}`);
      continue;
    }
    const shaped = arbitraryFor(resolve(pointer) ?? true, 0, resolve);
    const values = fc.oneof(shaped, mutated(shaped));
    const judge = (value: unknown): boolean | string => {
      try {
        return guard(value) as boolean;
      } catch (error) {
        return `threw ${(error as Error).message}`;
      }
    };
    const details = fc.check(
      fc.property(values, (value) => {
        const verdict = referenceVerdict(reference, value);
        // Plain Ajv cannot judge it (its equality throws on an object's own `valueOf`): nothing to compare.
        if (verdict === undefined) return true;
        if (verdict) result.valid++;
        return judge(value) === verdict;
      }),
      { numRuns: runs },
    );
    result.schemas++;
    result.values += details.numRuns;
    if (details.failed && details.counterexample) {
      const [value] = details.counterexample;
      result.disagreements.push({ schema: key, value, guard: judge(value), reference: reference(value) });
    }
  }
  return result;
}

/** The reference's verdict, or undefined where it throws (Ajv's equal on an object with its own `valueOf`). */
function referenceVerdict(reference: (value: unknown) => boolean, value: unknown): boolean | undefined {
  try {
    return reference(value);
  } catch {
    return undefined;
  }
}

/** Keys whose value maps names to things: a key `example` in one is a name, not an example. */
const NAME_MAPS = new Set([
  ...["properties", "patternProperties", "$defs", "definitions", "dependentSchemas", "schemas"],
  ...["parameters", "responses", "headers", "requestBodies", "examples", "links", "callbacks", "paths", "webhooks"],
]);

/**
 * What OpenAPI 3.0 specs write that JSON Schema draft 7 reads differently, said
 * here independently of the generator: `nullable: true` without a `type` admits
 * null (the nullable reference `allOf: [$ref]` idiom; openapi-typescript types it
 * `| null`); a Swagger-style `required: true` adds nothing; `id` is not a keyword; a schema's
 * `$ref` to a parameter or header means that one's schema, as openapi-typescript
 * types it. Values under `enum`, `const`, `default`, examples and extensions are data; examples
 * are removed.
 */
function asOpenApiDialect(node: unknown, key = ""): void {
  if (["enum", "const", "default", "example", "examples"].includes(key) || key.startsWith("x-")) return;
  if (Array.isArray(node)) return node.forEach((item) => asOpenApiDialect(item));
  if (typeof node !== "object" || node === null) return;
  const schema = node as Record<string, unknown>;
  if (schema.nullable !== undefined && schema.type === undefined) {
    const admitsNull = schema.nullable === true;
    delete schema.nullable;
    if (admitsNull) {
      const rest = { ...schema };
      for (const name of Object.keys(schema)) delete schema[name];
      schema.anyOf = [{ type: "null" }, rest];
    }
  }
  if (typeof schema.id === "string") delete schema.id;
  // Data, which Ajv's scan for `$id`s reads too (Box's examples hold `$id` values of their own).
  if (!NAME_MAPS.has(key)) {
    delete schema.example;
    delete schema.examples;
  }
  if (schema.required !== undefined && !Array.isArray(schema.required) && !("in" in schema)) delete schema.required;
  if (typeof schema.$ref === "string" && /^#\/components\/(parameters|headers)\/[^/]+$/.test(schema.$ref)) {
    schema.$ref = `${schema.$ref}/schema`;
  }
  for (const [child, value] of Object.entries(schema)) asOpenApiDialect(value, child);
}

/**
 * Draft 4's boolean `exclusiveMinimum`/`exclusiveMaximum` (OpenAPI 3.0), and
 * patterns written for engines without Unicode mode, which are tried with the
 * `u` flag first as Prism's Ajv does and read without it only when that fails.
 */
function addOpenApiKeywords(ajv: Ajv): void {
  for (const [keyword, bound, beyond] of [
    ["exclusiveMinimum", "minimum", (data: number, limit: number) => data > limit],
    ["exclusiveMaximum", "maximum", (data: number, limit: number) => data < limit],
  ] as const) {
    ajv.removeKeyword(keyword);
    ajv.addKeyword({
      keyword,
      type: "number",
      schemaType: ["number", "boolean"],
      validate: (value: number | boolean, data: number, parent?: Record<string, unknown>) => {
        const limit = typeof value === "number" ? value : value ? parent?.[bound] : undefined;
        return typeof limit !== "number" || beyond(data, limit);
      },
    });
  }
  ajv.removeKeyword("pattern");
  ajv.addKeyword({
    keyword: "pattern",
    type: "string",
    schemaType: "string",
    compile: (pattern: string) => {
      let regex: RegExp;
      try {
        regex = new RegExp(pattern, "u");
      } catch {
        regex = new RegExp(pattern);
      }
      return (data: string) => regex.test(data);
    },
  });
}

/** Each component schema's key and the name of its guard, claimed as the generator claims them. */
function guardsOf(document: object): { key: string; guardName: string }[] {
  const model = new SpecModel(document as never, RESERVED_NAMES);
  // The constants claim their names before the validators do.
  enumConstants(model);
  return model.schemas.map(({ key, name }) => {
    model.names.claim(`validate${name}`);
    return { key, guardName: model.names.claim(`is${name}`) };
  });
}
