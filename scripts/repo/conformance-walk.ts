import { isRecord } from "../spec-reader/json-pointer.js";
import { type Field, type Schema, SpecDocument } from "./conformance-document.js";
import { factsOf, pooled, union, valuesOf } from "./conformance-facts.js";

/** One way our spec differs from DevRev's for `POST /auth-tokens.create`. */
export interface Difference {
  /** Stable name, as CONFORMANCE.md lists it: `request.rev_info.user_ref required`. */
  id: string;
  /** What DevRev's document says, as the check renders it (`absent` where it lacks the location). */
  upstream: string;
  ours: string;
}

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
  const a = new SpecDocument(ours);
  const b = new SpecDocument(upstream);
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

class Walk {
  readonly #seen = new Set<string>();
  #next = 0;
  readonly #numbers = new WeakMap<object, number>();

  constructor(
    readonly a: SpecDocument,
    readonly b: SpecDocument,
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

function children(side: SpecDocument, parents: Field[], name: string): Field[] {
  return parents.flatMap(({ schema }) => {
    const properties = isRecord(schema.properties) ? schema.properties : {};
    if (!(name in properties)) return [];
    const child = side.flatten(properties[name]);
    const required = Array.isArray(schema.required) && schema.required.includes(name);
    return child ? [{ schema: child, required }] : [];
  });
}

function items(side: SpecDocument, parents: Field[]): Field[] {
  return parents.flatMap(({ schema }) => {
    const item = side.flatten(schema.items);
    return item ? [{ schema: item, required: true }] : [];
  });
}

/** `type` value -> the fields that type requires, sorted. */
function typed(variants: Schema[], side: SpecDocument): Map<string, string> {
  const types = new Map<string, string>();
  for (const variant of variants) {
    const properties = isRecord(variant.properties) ? variant.properties : {};
    const type = side.flatten(properties.type);
    const required = Array.isArray(variant.required) ? [...new Set(variant.required.map(String))].sort() : [];
    for (const value of valuesOf(type) ?? []) types.set(String(value), required.join(", ") || "none");
  }
  return types;
}

function headersOf(side: SpecDocument, response: unknown): Map<string, { name: string; header: Schema }> {
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
