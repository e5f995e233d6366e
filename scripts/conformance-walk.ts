import { isRecord, resolvePointer } from "./load-spec.js";

/** One way our spec differs from DevRev's for `POST /auth-tokens.create`. */
export interface Difference {
  /** Stable name, as CONFORMANCE.md lists it: `request.rev_info.user_ref required`. */
  id: string;
  /** What DevRev's document says, as the check renders it (`absent` where it lacks the location). */
  upstream: string;
  ours: string;
}

const PATH = "/auth-tokens.create";

/**
 * Formats that a validator acts on. DevRev marks free text `format: text` and
 * IDs `format: id`, which no validator knows, so those constrain nothing.
 */
const CHECKED_FORMATS = new Set(["email", "uri", "date-time", "date", "int32", "int64", "uuid", "hostname"]);

type Schema = Record<string, unknown>;
/** A schema as seen at one location, with whether its parent requires it there. */
interface Field {
  schema: Schema;
  required: boolean;
}
type Facts = Record<string, string>;

/**
 * Every difference between the operation in `ours` and in `upstream`: the
 * security scheme, the request's media types and every field in it (nested),
 * each documented status, its media types and headers, the success body's
 * fields, and each error body's `type` values with the fields each type
 * requires. Our request union is read as DevRev's flat object would be: a
 * field's values are pooled across the variants that declare it.
 *
 * The walk goes through the two documents side by side and visits each pair
 * of schemas once, so a document whose schemas are shared many times over is
 * read in time linear in its size; differences below a shared pair are
 * named at the first (sorted) location that reaches it.
 */
export function compareDocuments(ours: unknown, upstream: unknown): Difference[] {
  const a = new Side(ours);
  const b = new Side(upstream);
  const found: Difference[] = [];
  const walk = new Walk(a, b, found);
  const opA = a.operation();
  const opB = b.operation();

  walk.aspect("security", "scheme", a.security(opA), b.security(opB));
  const bodyA = a.resolve(opA.requestBody);
  const bodyB = b.resolve(opB.requestBody);
  walk.aspect("request", "media types", mediaTypes(bodyA), mediaTypes(bodyB));
  walk.fields("request", a.bodyFields(bodyA), b.bodyFields(bodyB), Number.POSITIVE_INFINITY);

  const responsesA = isRecord(opA.responses) ? opA.responses : {};
  const responsesB = isRecord(opB.responses) ? opB.responses : {};
  const shared: string[] = [];
  for (const status of union(Object.keys(responsesA), Object.keys(responsesB))) {
    const at = `response.${status}`;
    const ra = a.resolve(responsesA[status]);
    const rb = b.resolve(responsesB[status]);
    if (!walk.presence(at, ra, rb) || !ra || !rb) continue;
    shared.push(status);
    walk.aspect(at, "media types", mediaTypes(ra), mediaTypes(rb));
    walk.headers(`${at}.headers`, ra, rb);
    const success = status.startsWith("2");
    if (!success) walk.errorTypes(`${at}.body`, a.bodyFields(ra), b.bodyFields(rb));
    // An error body's own fields are compared one level deep: DevRev's 400 kinds nest
    // structures (merge errors, workflow validation) no token request can cause.
    walk.fields(`${at}.body`, a.bodyFields(ra), b.bodyFields(rb), success ? Number.POSITIVE_INFINITY : 1);
  }
  return collapseHeaders(found, shared);
}

/** One document, with what the walk learns of it memoised: resolved, flattened and expanded schemas. */
class Side {
  readonly #flat = new WeakMap<object, Schema>();
  readonly #variants = new WeakMap<object, Schema[]>();

  constructor(readonly document: unknown) {}

  operation(): Schema {
    const operation = this.resolve(resolvePointer(this.document, `/paths/${PATH.replaceAll("/", "~1")}/post`));
    if (!isRecord(operation)) throw new Error(`the spec has no POST ${PATH}`);
    return operation;
  }

  /** The scheme the operation requires, in words: `http bearer`, `apiKey header Authorization`. */
  security(operation: Schema): string {
    const document = isRecord(this.document) ? this.document : {};
    const requirements = Array.isArray(operation.security) ? operation.security : document.security;
    const names = (Array.isArray(requirements) ? requirements : []).flatMap((r) => (isRecord(r) ? Object.keys(r) : []));
    const schemes = isRecord(document.components) ? document.components.securitySchemes : undefined;
    const words = names.map((name) => {
      const s = this.resolve(isRecord(schemes) ? schemes[name] : undefined);
      if (!isRecord(s)) return `${name} (undefined)`;
      if (s.type === "http") return `http ${String(s.scheme).toLowerCase()}`;
      if (s.type === "apiKey") return `apiKey ${String(s.in)} ${String(s.name)}`;
      return String(s.type);
    });
    return words.length === 0 ? "none" : [...new Set(words)].sort().join(" or ");
  }

  /** The body of a request body or response: its JSON media type's schema, else its first one's. */
  bodyFields(holder: unknown): Field[] {
    const content = isRecord(holder) && isRecord(holder.content) ? holder.content : {};
    const entries = Object.entries(content);
    const media = (entries.find(([type]) => /json/i.test(type)) ?? entries[0])?.[1];
    const schema = isRecord(media) ? this.flatten(media.schema) : undefined;
    return schema ? [{ schema, required: true }] : [];
  }

  resolve(value: unknown): unknown {
    let current = value;
    for (let hops = 0; isRecord(current) && typeof current.$ref === "string" && hops < 32; hops++) {
      current = resolvePointer(this.document, current.$ref.replace(/^#/, ""));
    }
    return current;
  }

  /** The schema with its `allOf` merged into one object (the same object each time it is asked). */
  flatten(value: unknown): Schema | undefined {
    const schema = this.resolve(value);
    if (!isRecord(schema)) return undefined;
    const known = this.#flat.get(schema);
    if (known) return known;
    let flat: Schema = schema;
    if (Array.isArray(schema.allOf)) {
      this.#flat.set(schema, schema); // a cycle through allOf reads as the schema itself
      const parts = schema.allOf.map((part) => this.flatten(part)).filter((p): p is Schema => p !== undefined);
      const { allOf: _allOf, ...rest } = schema;
      flat = mergeSchemas([...parts, rest]);
    }
    this.#flat.set(schema, flat);
    return flat;
  }

  /**
   * The members of a `oneOf`/`anyOf`, each merged with what the schema
   * around it says, or the schema alone. A discriminator mapping names a
   * member's value of the property it discriminates on.
   */
  variants(schema: Schema): Schema[] {
    const known = this.#variants.get(schema);
    if (known) return known;
    const members = Array.isArray(schema.oneOf) ? schema.oneOf : Array.isArray(schema.anyOf) ? schema.anyOf : undefined;
    let variants = [schema];
    if (members) {
      const { oneOf: _o, anyOf: _a, discriminator, ...rest } = schema;
      const property = isRecord(discriminator) ? String(discriminator.propertyName) : undefined;
      const mapping = isRecord(discriminator) && isRecord(discriminator.mapping) ? discriminator.mapping : {};
      variants = members.flatMap((member) => {
        const flat = this.flatten(member);
        if (!flat) return [];
        const named = Object.keys(mapping).filter((key) => isRecord(member) && mapping[key] === member.$ref);
        const tag = property && named.length > 0 ? { properties: { [property]: { type: "string", enum: named } } } : {};
        return [mergeSchemas([rest, flat, tag])];
      });
    }
    this.#variants.set(schema, variants);
    return variants;
  }
}

class Walk {
  readonly #seen = new Set<string>();
  #next = 0;
  readonly #numbers = new WeakMap<object, number>();

  constructor(
    readonly a: Side,
    readonly b: Side,
    readonly found: Difference[],
  ) {}

  aspect(at: string, aspect: string, ours: string, upstream: string): void {
    if (ours !== upstream) this.found.push({ id: `${at} ${aspect}`, upstream, ours });
  }

  /** Records a location one side lacks; true when both have it. */
  presence(at: string, ours: unknown, upstream: unknown): boolean {
    if ((ours === undefined) === (upstream === undefined)) return true;
    this.found.push({
      id: `${at} presence`,
      upstream: upstream === undefined ? "absent" : "present",
      ours: ours === undefined ? "absent" : "present",
    });
    return false;
  }

  /** Compares the fields at `at` and, `depth` levels down, the fields below them. */
  fields(at: string, ours: Field[], upstream: Field[], depth: number): void {
    const a = ours.flatMap((f) => this.a.variants(f.schema).map((schema) => ({ ...f, schema })));
    const b = upstream.flatMap((f) => this.b.variants(f.schema).map((schema) => ({ ...f, schema })));
    const factsA = pooled(a);
    const factsB = pooled(b);
    for (const aspect of union(Object.keys(factsA), Object.keys(factsB))) {
      this.aspect(at, aspect, factsA[aspect] ?? "none", factsB[aspect] ?? "none");
    }
    if (depth <= 0) return;
    const key = `${at.startsWith("request") ? "q" : "r"}:${this.key(a)}|${this.key(b)}`;
    if (this.#seen.has(key)) return;
    this.#seen.add(key);
    const names = union(
      ...[...a, ...b].map((f) => (isRecord(f.schema.properties) ? Object.keys(f.schema.properties) : [])),
    );
    for (const name of names) {
      const childA = children(this.a, a, name);
      const childB = children(this.b, b, name);
      if (this.presence(`${at}.${name}`, childA[0], childB[0])) this.fields(`${at}.${name}`, childA, childB, depth - 1);
    }
    const itemsA = items(this.a, a);
    const itemsB = items(this.b, b);
    if (itemsA.length > 0 && itemsB.length > 0) this.fields(`${at}[]`, itemsA, itemsB, depth - 1);
  }

  /** For each error `type` both sides have, the fields it requires (`fields` compares the values). */
  errorTypes(at: string, ours: Field[], upstream: Field[]): void {
    const typesA = typed(
      ours.flatMap((f) => this.a.variants(f.schema)),
      this.a,
    );
    const typesB = typed(
      upstream.flatMap((f) => this.b.variants(f.schema)),
      this.b,
    );
    for (const [type, required] of typesA) {
      const theirs = typesB.get(type);
      if (theirs !== undefined) this.aspect(`${at}[type=${type}]`, "required", required, theirs);
    }
  }

  headers(at: string, ours: unknown, upstream: unknown): void {
    const listA = headersOf(this.a, ours);
    const listB = headersOf(this.b, upstream);
    for (const name of union([...listA.keys()], [...listB.keys()])) {
      const ha = listA.get(name);
      const hb = listB.get(name);
      const location = `${at}.${ha?.name ?? hb?.name}`;
      if (!this.presence(location, ha, hb) || !ha || !hb) continue;
      const fa = factsOf(this.a.flatten(ha.header.schema), ha.header.required === true);
      const fb = factsOf(this.b.flatten(hb.header.schema), hb.header.required === true);
      for (const aspect of union(Object.keys(fa), Object.keys(fb))) {
        this.aspect(location, aspect, fa[aspect] ?? "none", fb[aspect] ?? "none");
      }
    }
  }

  key(fields: Field[]): string {
    return fields
      .map((f) => {
        let n = this.#numbers.get(f.schema);
        if (n === undefined) this.#numbers.set(f.schema, (n = this.#next++));
        return n;
      })
      .sort((x, y) => x - y)
      .join(",");
  }
}

function children(side: Side, parents: Field[], name: string): Field[] {
  return parents.flatMap(({ schema }) => {
    const properties = isRecord(schema.properties) ? schema.properties : {};
    if (!(name in properties)) return [];
    const child = side.flatten(properties[name]);
    const required = Array.isArray(schema.required) && schema.required.includes(name);
    return child ? [{ schema: child, required }] : [];
  });
}

function items(side: Side, parents: Field[]): Field[] {
  return parents.flatMap(({ schema }) => {
    const item = side.flatten(schema.items);
    return item ? [{ schema: item, required: true }] : [];
  });
}

/** `type` value -> the fields that type requires, sorted. */
function typed(variants: Schema[], side: Side): Map<string, string> {
  const types = new Map<string, string>();
  for (const variant of variants) {
    const properties = isRecord(variant.properties) ? variant.properties : {};
    const type = side.flatten(properties.type);
    const required = Array.isArray(variant.required) ? [...new Set(variant.required.map(String))].sort() : [];
    for (const value of valuesOf(type) ?? []) types.set(String(value), required.join(", ") || "none");
  }
  return types;
}

function headersOf(side: Side, response: unknown): Map<string, { name: string; header: Schema }> {
  const headers = isRecord(response) && isRecord(response.headers) ? response.headers : {};
  const found = new Map<string, { name: string; header: Schema }>();
  for (const [name, header] of Object.entries(headers)) {
    const resolved = side.resolve(header);
    if (isRecord(resolved)) found.set(name.toLowerCase(), { name, header: resolved });
  }
  return found;
}

function mediaTypes(holder: unknown): string {
  const content = isRecord(holder) && isRecord(holder.content) ? holder.content : {};
  return Object.keys(content).sort().join(", ") || "none";
}

/** What the fields at one location say, pooled: values joined, other facts kept where they agree. */
function pooled(fields: Field[]): Facts {
  let merged: Facts | undefined;
  for (const field of fields) {
    const next = factsOf(field.schema, field.required);
    merged = merged ? mergeFacts(merged, next) : next;
  }
  return merged ?? {};
}

function factsOf(schema: Schema | undefined, required: boolean): Facts {
  const facts: Facts = { required: required ? "required" : "optional" };
  if (!schema) return facts;
  const type =
    schema.type ?? (isRecord(schema.properties) ? "object" : "const" in schema ? typeof schema.const : undefined);
  if (type !== undefined) facts.type = String(type);
  const values = valuesOf(schema);
  if (values) facts.values = values.map(String).sort().join(", ");
  for (const key of [
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "pattern",
  ]) {
    if (key in schema) facts[key] = String(schema[key]);
  }
  if (schema.deprecated === true) facts.deprecated = "true";
  if (typeof schema.format === "string" && CHECKED_FORMATS.has(schema.format)) facts.format = schema.format;
  return facts;
}

function valuesOf(schema: Schema | undefined): unknown[] | undefined {
  if (!schema) return undefined;
  return "const" in schema ? [schema.const] : Array.isArray(schema.enum) ? schema.enum : undefined;
}

/** Facts of the same field from two variants. */
function mergeFacts(before: Facts, next: Facts): Facts {
  const merged: Facts = {};
  for (const key of union(Object.keys(before), Object.keys(next))) {
    const a = before[key];
    const b = next[key];
    if (key === "values") {
      // A variant without a list accepts any value, so the pooled field has no list either.
      if (a !== undefined && b !== undefined) merged.values = union(a.split(", "), b.split(", ")).join(", ");
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

/** Schemas merged as `allOf` means them: properties and `required` combined, later keys winning. */
function mergeSchemas(parts: Schema[]): Schema {
  return Object.assign({}, ...parts, {
    properties: Object.assign({}, ...parts.map((p) => (isRecord(p.properties) ? p.properties : {}))),
    required: parts.flatMap((p) => (Array.isArray(p.required) ? p.required : [])),
  });
}

/**
 * A header that differs alike on every status both documents have (DevRev's
 * rate-limit headers are on every response) is one difference,
 * `response.*.headers.X-Ratelimit-Limit presence`, not one per status.
 */
function collapseHeaders(found: Difference[], statuses: string[]): Difference[] {
  const groups = new Map<string, Difference[]>();
  for (const d of found) {
    const match = /^response\.([^.]+)\.headers\.(.*)$/.exec(d.id);
    if (!match) continue;
    const key = JSON.stringify([match[2], d.upstream, d.ours]);
    groups.set(key, [...(groups.get(key) ?? []), d]);
  }
  const collapsed = new Set<Difference>();
  const out: Difference[] = [];
  for (const [key, group] of groups) {
    if (statuses.length < 2 || group.length !== statuses.length) continue;
    const [rest, upstream, ours] = JSON.parse(key) as [string, string, string];
    for (const d of group) collapsed.add(d);
    out.push({ id: `response.*.headers.${rest}`, upstream, ours });
  }
  return [...found.filter((d) => !collapsed.has(d)), ...out].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
}

function union(...lists: string[][]): string[] {
  return [...new Set(lists.flat())].sort();
}
