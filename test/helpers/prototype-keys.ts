import { isRecord, setOwn } from "../../scripts/spec-reader/json-pointer.js";

/**
 * Keys Redocly's resolver (which openapi-typescript's `openapiTS` entry runs
 * first) cannot meet anywhere in a document: it looks each key up in a plain
 * object of known keys, finds `Object.prototype`'s method of that name, and
 * calls it without a `this`. A schema or property named `valueOf` stopped the
 * run with "Cannot convert undefined or null to object". The generator calls
 * openapi-typescript's `transformSchema`, which runs no Redocly and reads such
 * keys as it reads any; only the tests' `openapiTS` reference needs the mask.
 */
const PROTOTYPE_METHODS = new Set(
  Object.getOwnPropertyNames(Object.prototype).filter(
    (name) => name !== "constructor" && name !== "toString" && name !== "__proto__",
  ),
);

/**
 * `document` as `openapiTS` can read it, and a function that turns its output
 * back. Each key Redocly would trip on is renamed with a marker found nowhere
 * in the document, in every `$ref` and `required` list too; the marker is
 * removed from the printed output, so the types name every key as the spec
 * does. The document is only copied when it has such a key.
 */
export function maskPrototypeKeys(document: object): { masked: object; unmask: (text: string) => string } {
  const unchanged = { masked: document, unmask: (text: string) => text };
  if (!hasPrototypeKey(document)) return unchanged;
  const text = JSON.stringify(document);
  let marker = "_masked";
  while (text.includes(marker)) marker += "_";
  const mask = (key: string) => (PROTOTYPE_METHODS.has(key) ? `${key}${marker}` : key);
  const copy = (value: unknown, key?: string): unknown => {
    // A `required` list names properties, which are masked.
    if (Array.isArray(value))
      return value.map((item) => (key === "required" && typeof item === "string" ? mask(item) : copy(item)));
    // A `$ref`, or a discriminator mapping's target: any pointer (the output loses the marker anyway).
    if (typeof value === "string" && value.startsWith("#/")) return value.split("/").map(mask).join("/");
    if (!isRecord(value)) return value;
    const out: Record<string, unknown> = {};
    for (const [name, child] of Object.entries(value)) setOwn(out, mask(name), copy(child, name));
    return out;
  };
  return { masked: copy(document) as object, unmask: (output) => output.replaceAll(marker, "") };
}

function hasPrototypeKey(document: object): boolean {
  const seen = new WeakSet<object>();
  const visit = (value: unknown): boolean => {
    if (typeof value !== "object" || value === null || seen.has(value)) return false;
    seen.add(value);
    return Object.entries(value).some(([key, child]) => PROTOTYPE_METHODS.has(key) || visit(child));
  };
  return visit(document);
}
