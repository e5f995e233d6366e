import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import type { Ajv, CodeKeywordDefinition, ValidateFunction } from "ajv";
import type { Transform } from "../output-layout.js";
import type { SpecModel } from "../spec-model.js";
import { addDiscriminatorValues } from "../spec-reader/discriminators.js";
import { SchemaError } from "../spec-reader/generate-error.js";
import { canonicalRef, escapeToken, isRecord, resolvePointer, setOwn } from "../spec-reader/json-pointer.js";
import { LITERAL_VALUES, NAME_MAPS, SCHEMA_NAME_MAPS } from "../spec-reader/openapi-keys.js";
import { MESSAGES_EXTENSION, reportedMessages, specMessages, writeMessages } from "./ajv-messages.js";
import { blockFunctionName, standaloneBlock } from "./ajv-standalone.js";
import { compiledTargets, type Target, targetsOf } from "./validation-targets.js";

const require = createRequire(import.meta.url);

/**
 * The options Prism's request validator gives Ajv (draft-07 `Ajv`, all errors,
 * no coercion, formats from ajv-formats), so the generated validators and the
 * mock agree on every body.
 */
export const PRISM_AJV_OPTIONS = {
  allErrors: true,
  allowUnionTypes: true,
  allowMatchingProperties: true,
  strict: false,
  coerceTypes: false,
} as const;

/** The Ajv pass's transform: `ajv-validators.js`, or nothing when the spec has nothing to validate. */
export const ajvValidators =
  (kept?: KeptBlocks): Transform =>
  (model) => {
    const code = ajvCode(model, kept);
    return code === undefined ? {} : { "ajv-validators.js": code };
  };

/**
 * `ajv-validators.js`: Ajv's standalone code for every validation target of
 * the spec, or nothing when it has none. Plain JavaScript, not TypeScript:
 * for a large spec it is megabytes of flat, machine-written statements that a
 * type checker gains nothing from reading (and tsc's reachability analysis
 * overflows its stack on the longest functions). It needs no ts-morph, so
 * the generator runs it in its own worker, beside the ts-morph pass.
 */
export function ajvCode(model: SpecModel, kept: KeptBlocks = new KeptBlocks()): string | undefined {
  const targets = compiledTargets(targetsOf(model));
  return targets.length === 0 ? undefined : ajvModule(model.document, targets, kept);
}

function ajvModule(document: object, targets: Target[], kept: KeptBlocks): string {
  // Refuses a misspelt or misplaced sentence with its pointer (stripSchema reads them unchecked).
  specMessages(document);
  const owned = structuredClone(document) as Record<string, unknown>;
  addDiscriminatorValues(owned);
  const stripped = stripAnnotations(owned);
  // A ref to a whole component schema is a call to that component's block.
  const calls = new Map<string, string>();
  for (const target of targets) {
    if (target.ref.startsWith("#/components/schemas/")) calls.set(target.ref, blockFunctionName(target.ajvName));
  }
  const rewrite = (value: unknown) => rewriteRefs(value, stripped, calls);
  // Stripped again: a target outside the component schemas (an inline body under `requestBodies`) was not.
  const schemas = targets.map((target) => rewrite(stripSchema(resolvePointer(stripped, target.ref.slice(1)))));
  // The whole document as Ajv reads it, made only when a schema refers into another.
  let rewritten: unknown;
  const whole = () => (rewritten ??= rewrite(stripped));
  const compiler = new BlockCompiler(() => [
    [SPEC_ID, whole()],
    ...targets.map((target, i): [string, unknown] => [idOf(target.ref), schemas[i]]),
  ]);
  let documentKey: string | undefined;
  const blocks = new Map<string, string>();
  const code = targets.map((target, i) => {
    const schema = schemas[i];
    // A ref left for Ajv to resolve (into a schema, or outside the components) makes the block
    // depend on the schema it reaches: such a block is kept by the whole document's content.
    const reaches = hasRef(schema);
    if (reaches) documentKey ??= contentKey(whole());
    const key = createHash("sha256")
      .update(`${reaches ? documentKey : ""}\0`)
      .update(contentKey(schema))
      .digest("hex");
    // Kept by content alone, under a stand-in name: schemas that say the same compile once.
    const block = blocks.get(key) ?? kept.get(key) ?? compiler.compile(target, schema, reaches);
    blocks.set(key, block);
    return block.replaceAll(BLOCK_NAME, target.ajvName);
  });
  kept.replace(blocks, compiler.compiled > 0);
  let functions = code.join("\n\n");
  // Ajv's ESM output still `require`s its runtime; the copied runtime module provides it.
  const runtime = new Set<string>();
  functions = functions.replace(/require\("ajv\/dist\/runtime\/(\w+)"\)\.default/g, (_match: string, name: string) => {
    runtime.add(name);
    return name;
  });
  const imports = [`import { ${[...runtime].sort().join(", ")} } from "./validation.js";`];
  if (runtime.size === 0) imports.pop();
  if (/\bformats\b\./.test(functions) || /\bformats\[/.test(functions)) {
    imports.push(`import { fullFormats as formats } from "ajv-formats/dist/formats.js";`);
  }
  const exports = targets.map((target) => `export const ${target.ajvName} = ${blockFunctionName(target.ajvName)};`);
  return [
    "// Ajv's standalone code, compiled from the spec: ajv-validators.d.ts declares it, validators.ts wraps it.",
    "// Each schema's validator is a block of functions named after it; a reference to another schema calls that one's.",
    ...imports,
    "",
    exports.join("\n"),
    "",
    functions,
    "",
  ].join("\n");
}

/**
 * Each target's block from the last run, by what it was compiled from (see ajvModule's keys).
 * `--watch` keeps its worker and the worker keeps these, so a save that changes one schema
 * compiles that schema's block alone, and one that changes no constraint (a description, an
 * example) compiles nothing: Ajv's compilation is most of a large spec's regeneration. A new
 * worker is given those of an earlier process, from the cache. Holds only the last run's
 * blocks, and those given since.
 */
export class KeptBlocks {
  #blocks = new Map<string, string>();
  #compiled = false;

  get(key: string): string | undefined {
    return this.#blocks.get(key);
  }

  /** Holds `blocks` from now on, instead of those it held; `compiled`: whether the run compiled any. */
  replace(blocks: Map<string, string>, compiled: boolean): void {
    this.#blocks = blocks;
    this.#compiled = compiled;
  }

  /** Adds blocks an earlier process kept, where it holds none under the key. */
  add(blocks: Iterable<[string, string]>): void {
    for (const [key, block] of blocks) if (!this.#blocks.has(key)) this.#blocks.set(key, block);
  }

  /** Whether the last run compiled a block it was not given: what it holds is worth storing. */
  get compiledLastRun(): boolean {
    return this.#compiled;
  }

  entries(): [string, string][] {
    return [...this.#blocks];
  }
}

/**
 * An Ajv made on the first block a run compiles (a run whose blocks are all kept makes none),
 * with each block's schema added as it is compiled: a call to another block needs nothing of it.
 * A schema with a ref Ajv resolves needs the schemas it reaches, so the first such one adds them
 * all (`resources`: the document and every target's schema, by id).
 */
class BlockCompiler {
  readonly #resources: () => [string, unknown][];
  #ajv: Ajv | undefined;
  readonly #added = new Set<string>();
  /** Whether every resource is added: rewriting them walks the whole document, so it is done once. */
  #addedAll = false;
  /** How many blocks it compiled. */
  compiled = 0;

  constructor(resources: () => [string, unknown][]) {
    this.#resources = resources;
  }

  compile(target: Target, schema: unknown, reaches: boolean): string {
    const ajv = (this.#ajv ??= newAjv());
    const id = idOf(target.ref);
    let validate: ValidateFunction | undefined;
    // Adding a schema is where Ajv refuses some (two with one `$id`): named at the target too.
    refuseUncompilable(target, () => {
      if (reaches && !this.#addedAll) {
        this.#addedAll = true;
        for (const [resource, body] of this.#resources()) this.#add(resource, body);
      }
      this.#add(id, schema);
      validate = ajv.getSchema(id);
    });
    if (!validate) throw new Error(`Ajv compiled nothing for ${target.ref}`);
    this.compiled++;
    try {
      return standaloneBlock(ajv, validate, BLOCK_NAME);
    } catch (error) {
      // The generator's fault, not the spec's (Ajv printed code this does not read): named, not refused.
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`${reason} (the schema at ${target.ref})`, { cause: error });
    }
  }

  #add(id: string, schema: unknown): void {
    if (this.#added.has(id)) return;
    this.#added.add(id);
    (this.#ajv as Ajv).addSchema(schema as object | boolean, id, undefined, false);
  }
}

function newAjv(): Ajv {
  // Loaded here: only the worker that runs this pass pays for Ajv.
  const AjvClass = require("ajv").default as typeof import("ajv").default;
  const addFormats = require("ajv-formats").default as typeof import("ajv-formats").default;
  const { _ } = require("ajv") as typeof import("ajv");
  const ajv = new AjvClass({
    ...PRISM_AJV_OPTIONS,
    logger: false,
    // A referenced schema is a function of its own, not copied into each caller: a whole component
    // is its block's (see targetCall); one a ref reaches into is printed in each block that reaches it.
    inlineRefs: false,
    // A property is present when the object has it, not its prototype: `{}` has no `valueOf` or
    // `hasOwnProperty` to check (Ajv read Object.prototype's methods as present and refused them).
    ownProperties: true,
    // One statement a line, so a change to the spec reads as a diff of a few lines.
    code: {
      source: true,
      esm: true,
      lines: true,
      formats: _`formats`,
      optimize: false,
      // The generator prints the spec's functions and never runs them: Ajv's evaluation of each
      // one's source (`new Function`) was a fifth of the pass. A stand-in is evaluated instead; Ajv
      // keeps the source it prints beside it. Other schemas Ajv compiles for itself (a keyword's
      // meta-schema) are evaluated as ever.
      process: (source, env) => (env?.root.baseId.startsWith(SPEC_ID) ? UNEVALUATED : source),
    },
  });
  addFormats(ajv);
  writeMessages(ajv, (schema) => SENTENCES.get(schema));
  ajv.addKeyword(targetCall());
  return ajv;
}

/**
 * The keyword a whole component's `$ref` becomes: a call to the function of that component's
 * block, by name. It writes the code Ajv's `$ref` writes for a schema of its own (Ajv's
 * `callRef`, at `$ref`'s place in the keyword order), so verdicts, errors and their order are
 * Ajv's; but the caller's code names the callee rather than compiling it, so a block depends
 * on its own schema alone. `x-`: a spec's own `x-` keys are stripped before this is added.
 */
function targetCall(): CodeKeywordDefinition {
  const { Name } = require("ajv") as typeof import("ajv");
  const { callRef } =
    require("ajv/dist/vocabularies/core/ref.js") as typeof import("ajv/dist/vocabularies/core/ref.js");
  return {
    keyword: TARGET_CALL,
    schemaType: "string",
    before: "$ref",
    code: (cxt) => callRef(cxt, new Name(cxt.schema as string), undefined, false),
  };
}

/**
 * The name a block is compiled under and kept by (see ajvModule), replaced by its target's name
 * where it is printed. A NUL: JSON (so Ajv) writes it `\u0000` in a string, so it stands in the
 * code only where this put it, and it is in no target's name.
 */
const BLOCK_NAME = "\0";

/** What Ajv evaluates in place of a spec's function (see newAjv): a function of its own, never called. */
const UNEVALUATED =
  'return function unevaluated() { throw new Error("the generator\'s Ajv compiles code to print, not to run"); };';

/** The keyword of targetCall. */
const TARGET_CALL = "x-call-block";

/** Whether `value` holds a `$ref` (one that is not a call to another block), not counting data (`const`, `enum`…). */
function hasRef(value: unknown, names = false): boolean {
  if (Array.isArray(value)) return value.some((item) => hasRef(item));
  if (!isRecord(value)) return false;
  return Object.entries(value).some(([key, item]) => {
    if (names) return hasRef(item);
    if (key === "$ref") return typeof item === "string";
    return !LITERAL_VALUES.has(key) && hasRef(item, SCHEMA_NAME_MAPS.has(key) || NAME_MAPS.has(key));
  });
}

/**
 * What a block is compiled from, as text: the schema's JSON with each schema's sentences (which
 * live beside it, in SENTENCES) written in, under the messages extension's key, which stripSchema
 * has removed from every schema.
 */
function contentKey(schema: unknown): string {
  return JSON.stringify(schema, (_key, value: unknown) => {
    if (!isRecord(value)) return value;
    const sentences = SENTENCES.get(value);
    return sentences ? { ...value, [MESSAGES_EXTENSION]: sentences } : value;
  });
}

/** Runs `compile`, turning Ajv's refusal into a SchemaError at the target's schema. */
function refuseUncompilable(target: Target, compile: () => unknown): void {
  try {
    compile();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    // The JSON pointer, without the percent-encoding of `%` a `$ref` needs (see refToken).
    const pointer = target.ref.slice(1).replaceAll("%25", "%");
    throw new SchemaError(pointer, `Ajv cannot compile this schema: ${reason}`, { cause: error });
  }
}

/**
 * Each schema stripSchema made (and each copy rewriteRefs made of one) -> its `x-messages`, keyed
 * by the keyword Ajv reports each rule under (see reportedMessages): what writeMessages words the
 * rules of the schema Ajv compiles with. Beside the schema, not in it: Ajv copies some schemas
 * (an enum's) into the code whole, sentences and all; and the pass's rewrites move schemas (a
 * nullable one without a type goes under `anyOf`), so the document's pointers do not find them.
 */
const SENTENCES = new WeakMap<object, Readonly<Record<string, unknown>>>();

/** Keywords that describe a schema without constraining it. */
const ANNOTATIONS = new Set([
  "description",
  "summary",
  "title",
  "example",
  "examples",
  "deprecated",
  "externalDocs",
  "xml",
]);
/** Keywords whose value is a map of names to schemas. */
const SCHEMA_MAPS = new Set([
  ...["properties", "patternProperties", "definitions", "$defs", "dependentSchemas"],
  // Draft 7's: each value a schema, or a list of property names that stripSchema leaves as it is.
  "dependencies",
]);
/** Keywords whose value is a schema or a list of schemas. */
const SUBSCHEMAS = new Set([
  ...["items", "additionalItems", "additionalProperties", "unevaluatedItems", "unevaluatedProperties"],
  ...["not", "if", "then", "else", "contains", "propertyNames", "allOf", "anyOf", "oneOf", "prefixItems"],
]);

/**
 * Removes descriptions, examples and `x-` extensions from the document's
 * schemas (component schemas and every `schema` under paths, webhooks and the
 * other components, since a reference may point into any of them): they never
 * change a verdict, and Ajv would otherwise copy them into the generated code.
 * A schema's `x-messages` moves to SENTENCES, keyed by the rules Ajv checks.
 * Edits `doc`, which the caller owns, and returns it.
 */
function stripAnnotations(doc: Record<string, unknown>): Record<string, unknown> {
  const components = isRecord(doc.components) ? doc.components : {};
  if (isRecord(components.schemas)) {
    for (const [key, schema] of Object.entries(components.schemas))
      setOwn(components.schemas, key, stripSchema(schema));
  }
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (!isRecord(value)) return;
    for (const [key, child] of Object.entries(value)) {
      if (key === "schema") setOwn(value, key, stripSchema(child));
      else if (key !== "schemas" && key !== "examples" && key !== "example" && !key.startsWith("x-")) visit(child);
    }
  };
  visit(doc.paths);
  visit(doc.webhooks);
  for (const [key, section] of Object.entries(components)) if (key !== "schemas") visit(section);
  return doc;
}

function stripSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(stripSchema);
  if (!isRecord(schema)) return schema;
  // No value is in an empty list (Discord's specs have one): the schema that admits nothing, which Ajv
  // compiles where it refuses `enum: []`.
  if (Array.isArray(schema.enum) && schema.enum.length === 0) return false;
  // OpenAPI 3.0's nullable reference: `nullable: true` beside `allOf: [$ref]` and no `type` (Box's,
  // Sentry's). openapi-typescript's type admits null there; Ajv's `nullable` needs a `type`.
  if (schema.nullable === true && !("type" in schema)) {
    const { nullable: _, ...rest } = schema;
    return { anyOf: [{ type: "null" }, stripSchema(rest)] };
  }
  const out: Record<string, unknown> = {};
  const messages = schema[MESSAGES_EXTENSION];
  const sentences = SENTENCES.get(schema) ?? (isRecord(messages) ? reportedMessages(schema, messages) : undefined);
  if (sentences) SENTENCES.set(out, sentences);
  for (const [key, value] of Object.entries(schema)) {
    if (ANNOTATIONS.has(key) || key.startsWith("x-") || isMisplaced(key, value, schema)) continue;
    // Every ref is rewritten to name the targets' own ids (rewriteRefs), so a schema's `$id` names
    // nothing a ref here uses; Ajv would register it, and refuse a second schema with the same one.
    if (key === "$id") continue;
    if (key === "pattern" && typeof value === "string") {
      setOwn(out, key, unicodeSafePattern(value));
      continue;
    }
    // OpenAPI 3.0 (JSON Schema draft 4) writes `exclusiveMinimum: true` beside `minimum`; Ajv wants the bound.
    if ((key === "exclusiveMinimum" || key === "exclusiveMaximum") && typeof value === "boolean") {
      const bound = schema[key === "exclusiveMinimum" ? "minimum" : "maximum"];
      if (value && typeof bound === "number") setOwn(out, key, bound);
      continue;
    }
    if ((key === "minimum" || key === "maximum") && exclusiveBound(schema, key)) continue;
    if (SCHEMA_MAPS.has(key) && isRecord(value)) {
      // A `patternProperties` key is a pattern, which Ajv compiles as `pattern`'s value.
      const nameOf = key === "patternProperties" ? unicodeSafePattern : (name: string) => name;
      setOwn(
        out,
        key,
        Object.fromEntries(Object.entries(value).map(([name, sub]) => [nameOf(name), stripSchema(sub)])),
      );
    } else {
      setOwn(out, key, SUBSCHEMAS.has(key) ? stripSchema(value) : value);
    }
  }
  return out;
}

/**
 * Keywords real specs get wrong in ways that change no verdict but that Ajv
 * refuses to compile: OpenAPI 3.0's `nullable` without a `type` (any value is
 * allowed already), `id` (not a validation keyword; Ajv wants `$id`), and a
 * Swagger-style `required: true` on a property.
 */
function isMisplaced(key: string, value: unknown, schema: Record<string, unknown>): boolean {
  if (key === "nullable") return !("type" in schema);
  if (key === "id") return true;
  if (key === "required") return !Array.isArray(value);
  return false;
}

/** Whether draft 4's `exclusiveMinimum: true` (or `…Maximum`) turns this `minimum` (or `maximum`) into the exclusive bound. */
function exclusiveBound(schema: Record<string, unknown>, key: "minimum" | "maximum"): boolean {
  return schema[key === "minimum" ? "exclusiveMinimum" : "exclusiveMaximum"] === true;
}

/**
 * A pattern Ajv can compile with the `u` flag, as it and Prism do. Specs
 * written for engines without it escape characters that need no escape
 * (`\:`); those escapes mean the character itself, so they are dropped.
 */
export function unicodeSafePattern(pattern: string): string {
  try {
    new RegExp(pattern, "u");
    return pattern;
  } catch {
    // Keep escapes that mean something, under u or not; inside a class `\-` is one of them.
    let inClass = false;
    const fixed = pattern.replace(/\\(.)|(\[)|(\])/gs, (match, escaped: string | undefined, open, close) => {
      if (open) inClass = true;
      if (close) inClass = false;
      if (escaped === undefined) return match;
      const meaningful = /[\^$\\.*+?()[\]{}|/dDwWsSbBnrtfv0-9cxukpP]/.test(escaped) || (inClass && escaped === "-");
      return meaningful ? match : escaped;
    });
    try {
      new RegExp(fixed, "u");
      return fixed;
    } catch {
      return pattern;
    }
  }
}

/** Ajv's name for the whole document, which refs outside the targets resolve against. */
const SPEC_ID = "https://spec.invalid/";

/** The Ajv id of the schema at a pointer into the document. */
function idOf(ref: string): string {
  return `${SPEC_ID}${encodeURIComponent(ref.slice(2))}`;
}

/**
 * A copy of `value` whose `$ref`s name the targets' own ids: a ref to a whole component schema
 * becomes a call to its block (`calls`: the component's ref -> its block's function), a ref into
 * one points at that component's resource, any other local ref at the document.
 */
function rewriteRefs(value: unknown, document: object, calls: ReadonlyMap<string, string>, names = false): unknown {
  if (Array.isArray(value)) return value.map((item) => rewriteRefs(item, document, calls));
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  const sentences = SENTENCES.get(value);
  if (sentences) SENTENCES.set(out, sentences);
  for (const [key, item] of Object.entries(value)) {
    if (!names && key === "$ref" && typeof item === "string" && item.startsWith("#/")) {
      const ref = schemaOfParameter(canonicalRef(item), document);
      const call = calls.get(ref);
      const component = /^#\/components\/schemas\/([^/]+)(.*)$/.exec(ref);
      if (call !== undefined) setOwn(out, TARGET_CALL, call);
      else
        setOwn(
          out,
          key,
          component ? `${idOf(`#/components/schemas/${component[1]}`)}#${component[2]}` : `${SPEC_ID}${ref}`,
        );
    } else if (!names && LITERAL_VALUES.has(key)) {
      // Data (`const: {$ref: …}` is an object to compare), never a reference.
      setOwn(out, key, item);
    } else {
      const holdsNames = !names && (SCHEMA_NAME_MAPS.has(key) || NAME_MAPS.has(key));
      setOwn(out, key, rewriteRefs(item, document, calls, holdsNames));
    }
  }
  return out;
}

/**
 * Where a schema's `$ref` to a parameter or header really leads: its `schema`
 * (or its one media type's). Such refs are a spec error, but openapi-typescript
 * reads them this way, so the validator checks the type the user is given.
 */
function schemaOfParameter(ref: string, document: object): string {
  if (!/^#\/components\/(parameters|headers)\/[^/]+$/.test(ref)) return ref;
  const target = resolvePointer(document, ref.slice(1));
  if (!isRecord(target)) return ref;
  if ("schema" in target) return `${ref}/schema`;
  const [mediaType] = isRecord(target.content) ? Object.keys(target.content) : [];
  return mediaType === undefined ? ref : `${ref}/content/${escapeToken(mediaType)}/schema`;
}
