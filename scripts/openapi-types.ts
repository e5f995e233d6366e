import type { GlobalContext, OpenAPI3 } from "openapi-typescript";
import { exclusiveUnions } from "./schema-hooks/exclusive-unions.js";
import { nullableWithRequired } from "./schema-hooks/with-required.js";
import type { SpecModel } from "./spec-model.js";
import { discriminatorScanNeeded } from "./spec-reader/discriminators.js";
import { GenerateError } from "./spec-reader/generate-error.js";
import { escapeToken, isRecord } from "./spec-reader/json-pointer.js";
import { findOutsideRef, type LoadedSpec } from "./spec-reader/load-spec.js";
import { LITERAL_VALUES, OPERATION_METHODS } from "./spec-reader/openapi-keys.js";
import { loadPeer } from "./spec-reader/peers.js";

/**
 * `schema.ts`: openapi-typescript's `paths`, `components` and `operations` types, through its
 * public `transformSchema` rather than its `openapiTS` entry. That entry first has Redocly lint
 * and bundle the document, each of which resolves and walks all of it: half of this thread's
 * time on a large spec (1.8 s of Stripe's 3.6 s, measured), for a document the loader has
 * already bundled, resolved and checked. Of Redocly's lint, openapi-typescript's configuration
 * leaves one rule in force, unique `operationId`s; that check is made here. The types are the
 * same text `openapiTS` prints for the document.
 *
 * Writes into `spec.document`: openapi-typescript adds
 * each discriminator's value as a required enum property of the schemas its mapping names.
 * That is safe only because `generate` has serialized the document for the workers and the
 * cache key before calling this, and reads it no more afterwards; a caller that needs the
 * document as the spec wrote it must load it again.
 */
export function openapiTypes(spec: LoadedSpec, model: SpecModel): string {
  // Loaded here, not at the top: loading the compiler is most of a cold run, and by now the
  // workers are loading their own libraries alongside. Loaded with `require`, as CommonJS
  // (openapi-typescript ships both builds): an ESM `import` of the compiler first has Node scan
  // its 9 MB of source for export names, which takes about as long as loading it.
  const openapiTs = openapiTsParts();
  const ts = loadPeer<typeof import("typescript")>("typescript");
  const outside = findOutsideRef(spec.document);
  if (outside !== undefined) throw new GenerateError({ file: spec.path, pointer: outside }, "a $ref leaves the spec");
  refuseDuplicateOperationIds(spec);
  refToParameters(spec.document);
  const unions = exclusiveUnions(model, ts);
  try {
    // Redocly's bundle gives a document without components an empty `components`, which
    // openapi-typescript prints as an interface of `never`s: the same here.
    const document = spec.document;
    const schema = ("components" in document ? document : { ...document, components: {} }) as OpenAPI3;
    const ctx = openapiTsContext(openapiTs, schema, { postTransform: unions });
    return nullableWithRequired(openapiTs.astToString(openapiTs.transformSchema(schema, ctx)));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new GenerateError({ file: spec.path }, `openapi-typescript rejected the document: ${reason}`, {
      cause: error,
    });
  }
}

/** What `schema.ts` takes of openapi-typescript. */
type OpenapiTsParts = Pick<
  typeof import("openapi-typescript"),
  "transformSchema" | "astToString" | "scanDiscriminators" | "resolveRef"
>;

/**
 * The parts of openapi-typescript this generator calls, from the modules that define them rather
 * than its entry, which also loads Redocly's linter and bundler for `openapiTS` (340 more modules,
 * 130 ms of every cold run, measured) though `openapiTS` is never called. The entry re-exports these
 * very functions. An openapi-typescript whose files have moved is read through its entry.
 */
export function openapiTsParts(): OpenapiTsParts {
  try {
    const dist = "openapi-typescript/dist";
    const { astToString } = loadPeer<Pick<OpenapiTsParts, "astToString">>(`${dist}/lib/ts.cjs`);
    const { scanDiscriminators, resolveRef } = loadPeer<Omit<OpenapiTsParts, "transformSchema" | "astToString">>(
      `${dist}/lib/utils.cjs`,
    );
    const transformSchema = loadPeer<OpenapiTsParts["transformSchema"]>(`${dist}/transform/index.cjs`);
    const parts = { transformSchema, astToString, scanDiscriminators, resolveRef };
    if (Object.values(parts).every((part) => typeof part === "function")) return parts;
  } catch {
    // Moved: the entry below.
  }
  return loadPeer<typeof import("openapi-typescript")>("openapi-typescript");
}

/**
 * The context `openapiTS` builds from its options, for the options this generator leaves at
 * their defaults (openapi-typescript 7's, `silent` on). `redoc` is read only by the Redocly
 * steps skipped here.
 */
function openapiTsContext(
  openapiTs: OpenapiTsParts,
  schema: OpenAPI3,
  { postTransform }: Pick<GlobalContext, "postTransform">,
): GlobalContext {
  return {
    additionalProperties: false,
    alphabetize: false,
    arrayLength: false,
    defaultNonNullable: true,
    // Silent, as `openapiTS` runs it under `silent`: its one warning, a discriminator mapped to a schema that is
    // neither an object nor an `allOf`, is about a type it cannot narrow, and would reach the console past `warn`.
    // Skipped where it would find and change nothing: two walks that copy the path at every node (47 ms of Stripe's spec).
    discriminators: discriminatorScanNeeded(schema)
      ? openapiTs.scanDiscriminators(schema, { silent: true })
      : { objects: {}, refsHandled: [] },
    emptyObjectsUnknown: false,
    enum: false,
    enumValues: false,
    conditionalEnums: false,
    dedupeEnums: false,
    excludeDeprecated: false,
    exportType: false,
    immutable: false,
    rootTypes: false,
    rootTypesNoSchemaPrefix: false,
    rootTypesKeepCasing: false,
    injectFooter: [],
    pathParamsAsTypes: false,
    postTransform,
    propertiesRequiredByDefault: false,
    redoc: undefined as unknown as GlobalContext["redoc"],
    silent: true,
    inject: undefined,
    transform: undefined,
    transformProperty: undefined,
    makePathsEnum: false,
    generatePathParams: false,
    readWriteMarkers: false,
    resolve: ($ref) => openapiTs.resolveRef(schema, $ref, { silent: true }),
  };
}

/**
 * A schema's `$ref` to a parameter's or header's `schema` (`#/components/parameters/Kind/schema`,
 * PagerDuty's spelling) as a `$ref` to the parameter itself: openapi-typescript types a parameter
 * in `components` as its schema, and prints the first as `components["parameters"]["Kind"]["schema"]`,
 * a property no such type has (TS2339). The second prints the schema's type, which the first names;
 * the Ajv pass reads the two alike (see schemaOfParameter). Writes into `document`.
 */
export function refToParameters(document: OpenAPI3): void {
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (!isRecord(value)) return;
    for (const [key, item] of Object.entries(value)) {
      if (key === "$ref" && typeof item === "string") {
        const parameter = /^(#\/components\/(?:parameters|headers)\/[^/]+)\/schema$/.exec(item);
        if (parameter) value.$ref = parameter[1];
      } else if (!LITERAL_VALUES.has(key) && key !== "examples" && !key.startsWith("x-")) {
        visit(item);
      }
    }
  };
  visit(document);
}

/**
 * Two operations with one `operationId` would be one entry of `operations`, the second
 * silently replacing the first (Redocly's rule, which `openapiTS` enforces, refused them).
 */
function refuseDuplicateOperationIds(spec: LoadedSpec): void {
  const first = new Map<string, string>();
  const visitPathItems = (items: unknown, pointer: string): void => {
    if (!isRecord(items)) return;
    for (const [key, item] of Object.entries(items)) {
      if (!isRecord(item)) continue;
      for (const method of OPERATION_METHODS) {
        const operation = item[method];
        if (!isRecord(operation)) continue;
        const at = `${pointer}/${escapeToken(key)}/${method}`;
        const id = operation.operationId;
        if (typeof id === "string") {
          const earlier = first.get(id);
          if (earlier !== undefined) {
            throw new GenerateError(
              { file: spec.path, pointer: `${at}/operationId` },
              `the operationId ${JSON.stringify(id)} is also the one at ${earlier}: each operation needs its own`,
            );
          }
          first.set(id, at);
        }
        if (isRecord(operation.callbacks)) {
          for (const [name, callback] of Object.entries(operation.callbacks)) {
            visitPathItems(callback, `${at}/callbacks/${escapeToken(name)}`);
          }
        }
      }
    }
  };
  const document = spec.document as unknown as Record<string, unknown>;
  visitPathItems(document.paths, "/paths");
  visitPathItems(document.webhooks, "/webhooks");
}
