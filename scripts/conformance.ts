import { readFile } from "node:fs/promises";
import { isRecord, loadSpec, resolvePointer } from "./load-spec.js";

/** One way our spec differs from DevRev's for `POST /auth-tokens.create`. */
export interface Difference {
  /** Stable name, as CONFORMANCE.md lists it: `request.rev_info.user_ref required`. */
  id: string;
  upstream: string;
  ours: string;
}

export interface ConformanceReport {
  /** Differences CONFORMANCE.md does not list: DevRev changed, or we did without saying why. */
  unlisted: Difference[];
  /** Rows of CONFORMANCE.md that no longer differ: the table is out of date. */
  stale: string[];
  all: Difference[];
}

const PATH = "/auth-tokens.create";

/**
 * Formats that a validator acts on. DevRev marks free text `format: text` and
 * IDs `format: id`, which no validator knows, so those constrain nothing.
 */
const CHECKED_FORMATS = new Set(["email", "uri", "date-time", "date", "int32", "int64", "uuid", "hostname"]);

/** What a schema says of one field, in words both sides can be compared in. */
type Facts = Record<string, string>;

/**
 * Compares the operation in our spec with the one in DevRev's public spec:
 * every request field (nested), the documented statuses, the success body's
 * fields and the 400 kinds. Our request union is read as DevRev's flat
 * object would be: a field's values are the union of what the variants allow.
 */
export async function checkConformance(options: {
  spec: string;
  upstream: string;
  conformance: string;
}): Promise<ConformanceReport> {
  const [ours, upstream] = await Promise.all([loadSpec(options.spec), loadSpec(options.upstream)]);
  const all = differences(operationFacts(ours.document), operationFacts(upstream.document));
  const listed = listedIds(await readFile(options.conformance, "utf8"));
  const ids = new Set(all.map((d) => d.id));
  return {
    all,
    unlisted: all.filter((d) => !listed.has(d.id)),
    stale: [...listed].filter((id) => !ids.has(id)).sort(),
  };
}

/** The ids in the first column of CONFORMANCE.md's tables: `` | `request.x required` | ... ``. */
export function listedIds(markdown: string): Set<string> {
  const ids = new Set<string>();
  for (const line of markdown.split("\n")) {
    const match = /^\|\s*`([^`]+)`\s*\|/.exec(line);
    if (match?.[1]) ids.add(match[1]);
  }
  return ids;
}

function differences(ours: Map<string, Facts>, upstream: Map<string, Facts>): Difference[] {
  const found: Difference[] = [];
  const absent: string[] = [];
  for (const location of [...new Set([...ours.keys(), ...upstream.keys()])].sort()) {
    const a = ours.get(location);
    const b = upstream.get(location);
    if (!a || !b) {
      // What lies under a location one side lacks is part of that one difference.
      if (absent.some((parent) => location.startsWith(`${parent}.`) || location.startsWith(`${parent}[`))) continue;
      absent.push(location);
      found.push({ id: `${location} presence`, upstream: b ? "present" : "absent", ours: a ? "present" : "absent" });
      continue;
    }
    for (const aspect of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      const mine = a[aspect] ?? "none";
      const theirs = b[aspect] ?? "none";
      if (mine !== theirs) found.push({ id: `${location} ${aspect}`, upstream: theirs, ours: mine });
    }
  }
  return found;
}

function operationFacts(document: unknown): Map<string, Facts> {
  const facts = new Map<string, Facts>();
  const operation = resolved(document, resolvePointer(document, `/paths/${PATH.replaceAll("/", "~1")}/post`));
  if (!isRecord(operation)) throw new Error(`the spec has no POST ${PATH}`);
  const body = resolved(document, operation.requestBody);
  const schema = isRecord(body) ? jsonSchemaOf(document, body) : undefined;
  for (const variant of variantsOf(document, schema)) collect(document, variant, "request", facts, new Set());
  // Across variants a field is required only where every variant that has it requires it.
  const responses = isRecord(operation.responses) ? operation.responses : {};
  for (const [status, response] of Object.entries(responses)) {
    facts.set(`response.${status}`, {});
    if (!/^2/.test(status)) continue;
    const success = resolved(document, response);
    const successSchema = isRecord(success) ? jsonSchemaOf(document, success) : undefined;
    if (successSchema !== undefined) collect(document, successSchema, `response.${status}.body`, facts, new Set());
  }
  const badRequest = resolved(document, responses["400"]);
  const types = new Set<string>();
  gatherEnums(document, isRecord(badRequest) ? jsonSchemaOf(document, badRequest) : undefined, "type", types, 0);
  facts.set("response.400.type", { values: [...types].sort().join(", ") });
  return facts;
}

/** The media type schema of a request body or response, whichever JSON type it lists. */
function jsonSchemaOf(document: unknown, holder: Record<string, unknown>): unknown {
  const content = isRecord(holder.content) ? holder.content : {};
  const media = Object.entries(content).find(([type]) => /json/i.test(type))?.[1];
  return isRecord(media) ? resolved(document, media.schema) : undefined;
}

/** The members of a top-level `oneOf`/`anyOf`, or the schema itself. */
function variantsOf(document: unknown, schema: unknown): unknown[] {
  const s = resolved(document, schema);
  if (!isRecord(s)) return [];
  const union = Array.isArray(s.oneOf) ? s.oneOf : Array.isArray(s.anyOf) ? s.anyOf : undefined;
  return union ? union.map((member) => resolved(document, member)) : [s];
}

/** Adds the facts of `schema` and every property below it, merging with what other variants said. */
function collect(document: unknown, schema: unknown, at: string, facts: Map<string, Facts>, seen: Set<unknown>): void {
  const s = flattenAllOf(document, resolved(document, schema));
  if (!isRecord(s) || seen.has(s)) return;
  const properties = isRecord(s.properties) ? s.properties : {};
  const required = new Set(Array.isArray(s.required) ? s.required : []);
  for (const [name, property] of Object.entries(properties)) {
    const p = resolved(document, property);
    if (p === false) continue;
    const location = `${at}.${name}`;
    const next = factsOf(document, p, required.has(name));
    facts.set(location, merge(facts.get(location), next));
    collect(document, p, location, facts, new Set([...seen, s]));
    const items = isRecord(p) ? resolved(document, p.items) : undefined;
    if (isRecord(items)) {
      facts.set(`${location}[]`, merge(facts.get(`${location}[]`), factsOf(document, items, true)));
      collect(document, items, `${location}[]`, facts, new Set([...seen, s]));
    }
  }
}

function factsOf(document: unknown, schema: unknown, required: boolean): Facts {
  const s = flattenAllOf(document, resolved(document, schema));
  const facts: Facts = { required: required ? "required" : "optional" };
  if (!isRecord(s)) return facts;
  const type = s.type ?? (isRecord(s.properties) ? "object" : "const" in s ? typeof s.const : undefined);
  if (type !== undefined) facts.type = String(type);
  const values = "const" in s ? [s.const] : Array.isArray(s.enum) ? s.enum : undefined;
  if (values) facts.values = values.map(String).sort().join(", ");
  for (const key of ["minimum", "maximum", "minLength", "maxLength", "pattern"] as const) {
    if (key in s) facts[key] = String(s[key]);
  }
  // `additionalProperties: true` is the default, so only a closed object differs.
  if (s.additionalProperties === false) facts.additionalProperties = "false";
  if (typeof s.format === "string" && CHECKED_FORMATS.has(s.format)) facts.format = s.format;
  return facts;
}

/** Facts of the same field from two variants: values pooled, other facts kept where they agree. */
function merge(before: Facts | undefined, next: Facts): Facts {
  if (!before) return next;
  const merged: Facts = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(next)])) {
    const a = before[key];
    const b = next[key];
    if (key === "values") {
      // A variant without a list accepts any value, so the pooled field has no list either.
      if (a !== undefined && b !== undefined)
        merged.values = [...new Set([...a.split(", "), ...b.split(", ")])].sort().join(", ");
    } else if (key === "required") {
      merged.required = a === b ? (a ?? "optional") : "required in some forms";
    } else if (a === b && a !== undefined) {
      merged[key] = a;
    } else {
      merged[key] = "varies by form";
    }
  }
  return merged;
}

/** Every `enum`/`const` value found for `property` anywhere in a (composed) schema. */
function gatherEnums(document: unknown, schema: unknown, property: string, into: Set<string>, depth: number): void {
  const s = resolved(document, schema);
  if (!isRecord(s) || depth > 8) return;
  const p = isRecord(s.properties) ? resolved(document, s.properties[property]) : undefined;
  if (isRecord(p)) {
    for (const value of "const" in p ? [p.const] : Array.isArray(p.enum) ? p.enum : []) into.add(String(value));
  }
  for (const key of ["allOf", "oneOf", "anyOf"] as const) {
    for (const member of Array.isArray(s[key]) ? s[key] : []) gatherEnums(document, member, property, into, depth + 1);
  }
}

function flattenAllOf(document: unknown, schema: unknown): unknown {
  if (!isRecord(schema) || !Array.isArray(schema.allOf)) return schema;
  const parts = schema.allOf.map((part) => flattenAllOf(document, resolved(document, part))).filter(isRecord);
  const { allOf: _allOf, ...rest } = schema;
  return Object.assign({}, ...parts, rest, {
    properties: Object.assign({}, ...parts.map((p) => p.properties ?? {}), rest.properties ?? {}),
    required: [
      ...parts.flatMap((p) => (Array.isArray(p.required) ? p.required : [])),
      ...(Array.isArray(rest.required) ? rest.required : []),
    ],
  });
}

/** Follows local `$ref`s. */
function resolved(document: unknown, value: unknown): unknown {
  let current = value;
  for (let hops = 0; isRecord(current) && typeof current.$ref === "string" && hops < 32; hops++) {
    current = resolvePointer(document, current.$ref.replace(/^#/, ""));
  }
  return current;
}
