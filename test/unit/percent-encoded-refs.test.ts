import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { openapiTypes } from "../../scripts/openapi-types.js";
import { exclusiveUnionMembers } from "../../scripts/schema-hooks/exclusive-unions.js";
import { RESERVED_NAMES, SpecModel } from "../../scripts/spec-model.js";
import { canonicalRef, refToken, resolvePointer } from "../../scripts/spec-reader/json-pointer.js";
import { loadSpec, parseSpec } from "../../scripts/spec-reader/load-spec.js";
import { targetsOf } from "../../scripts/transforms/validation-targets.js";
import { useGeneratedProjects } from "../helpers/generated-project.js";
import { useTempDirs } from "../helpers/temp-dir.js";

// A `$ref` is a URI fragment: a schema key with a space or a non-ASCII letter may be written
// percent-encoded (`a%20b`, `Caf%C3%A9`), and a key's own `%` must be (`50%25_off`: Ajv refuses
// `50%_off`; openapi-typescript 7 refuses such a key whatever the ref). The spec model finds the
// component such a ref names, as its `resolve` (and so the loader's checks) does, or unions over
// it lose their members and a body that is only such a ref is compiled as one of its own.

const tempDir = useTempDirs();
const generateProject = useGeneratedProjects();

const document = (schemas: Record<string, unknown>, body: string) =>
  ({
    openapi: "3.1.0",
    info: { title: "Percent-encoded refs", version: "1" },
    paths: {
      "/offers": {
        post: {
          operationId: "buy",
          requestBody: { required: true, content: { "application/json": { schema: { $ref: body } } } },
          responses: { "204": { description: "Bought" } },
        },
      },
    },
    components: { schemas },
  }) as never;

/** Two object schemas whose keys a `$ref` percent-encodes, and a `oneOf` of them. */
const OFFERS = {
  "a b": { type: "object", required: ["label"], properties: { label: { type: "string" } } },
  Café: { type: "object", required: ["percent"], properties: { percent: { type: "integer" } } },
  Offer: { oneOf: [{ $ref: "#/components/schemas/a%20b" }, { $ref: "#/components/schemas/Caf%C3%A9" }] },
};

/** One key character in a `$ref` with every byte of its RFC 6901 token percent-encoded (a `%` is `%25` whichever way). */
function percentEncoded(char: string): string {
  const token = refToken(char);
  if (char === "%") return token;
  return [...Buffer.from(token)].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, "0")}`).join("");
}

describe("a $ref that percent-encodes its schema's key", () => {
  it("names the same component for member() as for resolve(), and is one canonicalRef, however the key's characters are written", () => {
    // Keys with a fragment's special characters (`%`, `~`, `/`, space, `#`) among plain ones.
    const key = fc.string({ unit: fc.constantFrom("a", "Z", "%", "~", "/", " ", "#", "é", "0", "1"), minLength: 1 });
    fc.assert(
      fc.property(
        fc.uniqueArray(key, { minLength: 1, maxLength: 4 }),
        fc.nat(),
        fc.infiniteStream(fc.boolean()),
        (keys, pick, encode) => {
          const schemas = Object.fromEntries(keys.map((k, i) => [k, { type: "object", title: `schema ${i}` }]));
          const target = keys[pick % keys.length] as string;
          // Each character as refToken writes it, or any of them percent-encoded as well: the same ref.
          const token = [...target]
            .map((char) => (encode.next().value ? percentEncoded(char) : refToken(char)))
            .join("");
          const ref = `#/components/schemas/${token}`;
          const model = new SpecModel(document(schemas, ref), RESERVED_NAMES);
          expect(model.member({ $ref: ref })?.key).toBe(target);
          expect(model.resolve({ $ref: ref })).toBe(model.member({ $ref: ref })?.schema);
          // One text for every spelling: the one the validation targets' refs use.
          expect(canonicalRef(ref)).toBe(`#/components/schemas/${refToken(target)}`);
        },
      ),
    );
  });

  it("keeps a oneOf's members, so its type is the exclusive union and its validator tells the members apart", async () => {
    const file = join(await tempDir(), "offers.yaml");
    await writeFile(file, stringify(document(OFFERS, "#/components/schemas/Caf%C3%A9")));
    const spec = await loadSpec(file);
    const model = new SpecModel(spec.document, RESERVED_NAMES);
    const offer = model.schemas.find((named) => named.key === "Offer");
    expect(exclusiveUnionMembers(model, offer?.schema ?? {})?.map((member) => member.key)).toEqual(["a b", "Café"]);

    const targets = targetsOf(model);
    const offerTarget = targets.find((target) => target.ref === "#/components/schemas/Offer");
    expect(offerTarget?.members.map((member) => member.key)).toEqual(["a b", "Café"]);
    // The body is only a $ref to Café: its validator is Café's, typed as Café.
    const cafe = targets.find((target) => target.ref === "#/components/schemas/Café");
    const body = targets.find((target) => target.docs.includes("request body"));
    expect(body?.sameAs).toBe(cafe);
    expect(body?.types).toEqual(cafe?.types);

    // Each member says `never` for its sibling's keys, as for a oneOf of plainly written refs.
    const types = openapiTypes(spec, model);
    const [ab, café] = ["a b", "Café"].map((key) => model.schemas.find((named) => named.key === key)?.name);
    const member = (name: unknown, sibling: string) =>
      `\\(import\\("./types.js"\\).${name} & \\{\\s*${sibling}\\?: never;\\s*\\}\\)`;
    expect(types).toMatch(new RegExp(`Offer: ${member(ab, "percent")} \\| ${member(café, "label")};`));
  });

  it("generates a body that is only such a ref as that component's validator, which type-checks and validates", {
    timeout: 120_000,
  }, async () => {
    const file = join(await tempDir(), "offers.yaml");
    const { Offer: _, ...schemas } = OFFERS;
    await writeFile(file, stringify(document(schemas, "#/components/schemas/Caf%C3%A9")));
    const { out, files, tscOutput } = await generateProject(file);
    expect(tscOutput).toBe("");
    // An alias, not a validator of its own (whose ref Ajv was asked to resolve as written).
    expect(files.get("validators.ts")).toMatch(/^export const validateBuyBody = validateCaf\w*;$/m);
    const { validateBuyBody } = await import(join(out, "index.ts"));
    expect(validateBuyBody({ percent: 10 }).valid).toBe(true);
    expect(validateBuyBody({ percent: "10" }).valid).toBe(false);
  });

  it("generates a oneOf of such refs, whose validator tells its members apart", { timeout: 120_000 }, async () => {
    const file = join(await tempDir(), "offers.yaml");
    await writeFile(file, stringify(document(OFFERS, "#/components/schemas/Offer")));
    const { out, tscOutput } = await generateProject(file);
    expect(tscOutput).toBe("");
    const { isOffer, validateOffer } = await import(join(out, "index.ts"));
    expect(isOffer({ label: "x" })).toBe(true);
    expect(isOffer({ percent: 1 })).toBe(true);
    expect(validateOffer({ label: "x", percent: 1 }).issues).toEqual([
      expect.objectContaining({ keyword: "oneOf", message: expect.stringContaining("more than one form") }),
    ]);
  });

  it("a discriminator mapping's bare schema name is that key, percent signs and all", () => {
    const text = stringify({
      openapi: "3.1.0",
      info: { title: "t", version: "1" },
      paths: {},
      components: {
        schemas: {
          "a%20b": { type: "object", properties: { kind: { type: "string" } } },
          "a b": { type: "object", properties: { other: { type: "string" } } },
          Pet: {
            oneOf: [{ $ref: "#/components/schemas/a%2520b" }],
            discriminator: { propertyName: "kind", mapping: { x: "a%20b" } },
          },
        },
      },
    });
    const { document } = parseSpec(Buffer.from(text), "spec.yaml");
    const schemas = (document.components?.schemas ?? {}) as Record<string, Record<string, unknown>>;
    const target = (schemas.Pet?.discriminator as { mapping: Record<string, string> }).mapping.x as string;
    expect(resolvePointer(document, target.slice(1))).toBe(schemas["a%20b"]);
  });
});
