import { followRefs, isRecord, refToken, resolvePointer } from "../spec-reader/json-pointer.js";

/** A schema object, as the conformance walk reads it. */
export type Schema = Record<string, unknown>;

/** A schema as seen at one location, with whether its parent requires it there. */
export interface Field {
  schema: Schema;
  required: boolean;
}

const PATH = "/auth-tokens.create";

/** One document, with what the walk learns of it memoised: resolved, flattened and expanded schemas. */
export class SpecDocument {
  readonly #flat = new WeakMap<object, Schema>();
  readonly #variants = new WeakMap<object, Schema[]>();

  constructor(readonly document: unknown) {}

  operation(): Schema {
    const operation = this.resolve(resolvePointer(this.document, `/paths/${refToken(PATH)}/post`));
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
    return followRefs(this.document, value);
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

/** Schemas merged as `allOf` means them: properties and `required` combined, later keys winning. */
export function mergeSchemas(parts: Schema[]): Schema {
  return Object.assign({}, ...parts, {
    properties: Object.assign({}, ...parts.map((p) => (isRecord(p.properties) ? p.properties : {}))),
    required: parts.flatMap((p) => (Array.isArray(p.required) ? p.required : [])),
  });
}
