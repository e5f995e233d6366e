import { createRequire } from "node:module";
import type { Ajv } from "ajv";
import type { KeywordErrorCxt, KeywordErrorDefinition } from "ajv/dist/types/index.js";
import { SchemaError } from "../spec-reader/generate-error.js";
import { escapeToken, isRecord, setOwn } from "../spec-reader/json-pointer.js";
import { LITERAL_VALUES, NAME_MAPS, SCHEMA_NAME_MAPS } from "../spec-reader/openapi-keys.js";

const require = createRequire(import.meta.url);

/**
 * The schema extension that gives a rule a sentence for people, keyed by the
 * keyword that fails: `x-messages: { pattern: "must be a bare domain such as acme.example" }`.
 * Prism and every other OpenAPI tool ignore it, as they ignore any `x-` key.
 */
export const MESSAGES_EXTENSION = "x-messages";

/**
 * The keywords a sentence can replace Ajv's words for: every constraint of
 * draft-07 (the dialect Prism and the validators check) that reports its own
 * error. Not `type` (Ajv words it in one place for every schema, "must be
 * string", out of reach of a keyword's definition) nor the `false` schema, whose
 * words are the runtime's.
 */
export const SENTENCE_KEYWORDS: ReadonlySet<string> = new Set([
  ...["const", "enum", "required", "additionalProperties", "dependencies", "not"],
  ...["minLength", "maxLength", "pattern", "format"],
  ...["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"],
  ...["minItems", "maxItems", "uniqueItems", "contains", "minProperties", "maxProperties", "propertyNames"],
]);

/** One schema's sentences, and where it is. */
export interface SchemaMessages {
  /** JSON pointer of the schema in the document. */
  pointer: string;
  messages: Readonly<Record<string, string>>;
}

/**
 * Every `x-messages` in the document, checked: an object of non-empty
 * sentences, each for a keyword of SENTENCE_KEYWORDS that its schema has and
 * Ajv checks once the Ajv pass has rewritten the schema. A misspelt or
 * misplaced one is refused with its pointer, rather than left to never show.
 */
export function specMessages(document: unknown): SchemaMessages[] {
  const found: SchemaMessages[] = [];
  const visit = (value: unknown, pointer: string, names: boolean): void => {
    if (Array.isArray(value)) return value.forEach((item, index) => visit(item, `${pointer}/${index}`, false));
    if (!isRecord(value)) return;
    for (const [key, child] of Object.entries(value)) {
      const at = `${pointer}/${escapeToken(key)}`;
      if (names) visit(child, at, false);
      else if (key === MESSAGES_EXTENSION) found.push({ pointer, messages: checked(value, child, at) });
      else if (!LITERAL_VALUES.has(key) && key !== "examples" && !key.startsWith("x-"))
        visit(child, at, SCHEMA_NAME_MAPS.has(key) || NAME_MAPS.has(key));
    }
  };
  visit(document, "", false);
  return found;
}

function checked(schema: Record<string, unknown>, messages: unknown, pointer: string): Record<string, string> {
  if (!isRecord(messages)) throw new SchemaError(pointer, `${MESSAGES_EXTENSION} must map keywords to sentences`);
  const worded = new Set<string>();
  for (const [keyword, sentence] of Object.entries(messages)) {
    const at = `${pointer}/${escapeToken(keyword)}`;
    if (!SENTENCE_KEYWORDS.has(keyword))
      throw new SchemaError(at, `${keyword} cannot have a sentence: use one of ${[...SENTENCE_KEYWORDS].join(", ")}`);
    if (!Object.hasOwn(schema, keyword)) throw new SchemaError(at, `this schema has no ${keyword} rule to word`);
    const reported = reportedKeyword(schema, keyword);
    if (reported === undefined)
      throw new SchemaError(
        at,
        `this schema's ${keyword} is no rule the validators check, so its sentence would never show`,
      );
    if (worded.has(reported))
      throw new SchemaError(
        at,
        `this schema's ${keyword} is checked as its ${reported} rule, which has a sentence already`,
      );
    worded.add(reported);
    if (typeof sentence !== "string" || sentence.trim() === "")
      throw new SchemaError(at, "must be a sentence (a non-empty string)");
  }
  return messages as Record<string, string>;
}

/**
 * The keyword Ajv reports the rule `keyword` of `schema` under once the Ajv pass has rewritten
 * the schema for draft-07 (see stripSchema), or undefined when no such rule is compiled: draft
 * 4's `minimum` beside `exclusiveMinimum: true` becomes the `exclusiveMinimum` bound (so both
 * are that one rule), and `exclusiveMinimum: false` is no rule; a Swagger-style `required: true` is dropped; and
 * `enum: []` turns the whole schema into `false`, whose words are the runtime's.
 */
export function reportedKeyword(schema: Record<string, unknown>, keyword: string): string | undefined {
  if (!Object.hasOwn(schema, keyword)) return undefined;
  if (Array.isArray(schema.enum) && schema.enum.length === 0) return undefined;
  const value = schema[keyword];
  switch (keyword) {
    case "required":
      return Array.isArray(value) ? keyword : undefined;
    case "minimum":
    case "maximum": {
      const exclusive = keyword === "minimum" ? "exclusiveMinimum" : "exclusiveMaximum";
      if (schema[exclusive] !== true) return keyword;
      return typeof value === "number" ? exclusive : undefined;
    }
    case "exclusiveMinimum":
    case "exclusiveMaximum": {
      const bound = schema[keyword === "exclusiveMinimum" ? "minimum" : "maximum"];
      return typeof value !== "boolean" || (value && typeof bound === "number") ? keyword : undefined;
    }
    default:
      return keyword;
  }
}

/**
 * `schema`'s sentences keyed by the keyword Ajv reports each rule under (see reportedKeyword):
 * those of the schema the Ajv pass rewrites it into, for writeMessages.
 */
export function reportedMessages(
  schema: Record<string, unknown>,
  messages: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [keyword, sentence] of Object.entries(messages)) {
    const reported = reportedKeyword(schema, keyword);
    if (reported !== undefined) setOwn(out, reported, sentence);
  }
  return out;
}

/**
 * Makes `ajv` write each error's message into the code it compiles: the
 * sentence `sentencesOf` gives for the failing rule's schema (the object Ajv
 * compiles) under the rule's keyword, else the library's default words. The
 * message is a literal of the generated code, so the runtime needs no table
 * and a spec without sentences costs nothing. Changes only this instance's
 * copies of Ajv's keyword definitions.
 */
export function writeMessages(
  ajv: Ajv,
  sentencesOf: (schema: object) => Readonly<Record<string, unknown>> | undefined,
): void {
  const sentenceOf = (cxt: KeywordErrorCxt): string | undefined => {
    const { schema } = cxt.it;
    const sentences = typeof schema === "object" ? sentencesOf(schema) : undefined;
    const sentence = sentences && Object.hasOwn(sentences, cxt.keyword) ? sentences[cxt.keyword] : undefined;
    return typeof sentence === "string" ? sentence : undefined;
  };
  for (const keyword of SENTENCE_KEYWORDS) {
    const definition = ajv.getKeyword(keyword);
    if (typeof definition !== "object" || !definition.error) continue;
    const words = defaultWords(keyword) ?? definition.error.message;
    const message: KeywordErrorDefinition["message"] = (cxt) =>
      sentenceOf(cxt) ?? (typeof words === "function" ? words(cxt) : words);
    definition.error = { ...definition.error, message };
  }
}

/** The library's words where Ajv's would repeat the field's name or hide the allowed values. */
function defaultWords(keyword: string): KeywordErrorDefinition["message"] | undefined {
  const { _, str } = require("ajv") as typeof import("ajv");
  switch (keyword) {
    case "required":
      return "is required";
    case "additionalProperties":
      return "is not allowed";
    case "const":
      return ({ $data, schema, schemaCode }) =>
        $data ? _`"must be " + JSON.stringify(${schemaCode})` : `must be ${JSON.stringify(schema)}`;
    case "enum":
      return ({ schemaCode }) => _`"must be one of: " + ${schemaCode}.map(String).join(", ")`;
    case "pattern":
      return ({ schemaCode }) => str`must match the pattern ${schemaCode}`;
    default:
      return undefined;
  }
}
