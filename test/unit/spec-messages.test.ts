import { readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import fc from "fast-check";
import { dump, load } from "js-yaml";
import { describe, expect, it } from "vitest";
import * as generatedAjv from "../../generated/ajv-validators.js";
import * as generated from "../../generated/index.js";
import { type AjvValidate, issuesOf } from "../../generated/validation.js";
import { RESERVED_NAMES, SpecModel } from "../../scripts/spec-model.js";
import { isRecord, resolvePointer } from "../../scripts/spec-reader/json-pointer.js";
import { loadSpec } from "../../scripts/spec-reader/load-spec.js";
import { ajvCode, KeptBlocks, PRISM_AJV_OPTIONS } from "../../scripts/transforms/ajv-code.js";
import {
  MESSAGES_EXTENSION,
  SENTENCE_KEYWORDS,
  specMessages,
  writeMessages,
} from "../../scripts/transforms/ajv-messages.js";
import { REQUEST_VARIANTS } from "../fixtures/seed-bodies.js";
import { ROOT } from "../helpers/cli.js";
import { generateInProcess } from "../helpers/generate-in-process.js";
import { arbitraryFor, mutated } from "../helpers/schema-arbitrary.js";
import { useTempDirs } from "../helpers/temp-dir.js";
import { propertyRuns } from "../helpers/thorough.js";

const require = createRequire(import.meta.url);
const tempDir = useTempDirs();
const Ajv = require("ajv").default as typeof import("ajv").default;
const addFormats = require("ajv-formats").default as typeof import("ajv-formats").default;

const document = (await loadSpec(`${ROOT}/spec/auth-tokens.openapi.yaml`)).document as unknown as Record<
  string,
  unknown
>;
const schemas = (document.components as { schemas: Record<string, unknown> }).schemas;

/** Every schema object of the spec, with its pointer: the component schemas and all they contain. */
function* schemasIn(schema: unknown, pointer: string): Generator<[string, Record<string, unknown>]> {
  if (!isRecord(schema)) return;
  yield [pointer, schema];
  for (const key of ["properties", "patternProperties", "$defs"]) {
    const map = schema[key];
    if (isRecord(map))
      for (const [name, sub] of Object.entries(map)) yield* schemasIn(sub, `${pointer}/${key}/${name}`);
  }
  for (const key of ["items", "additionalProperties", "not", "contains", "propertyNames", "if", "then", "else"])
    yield* schemasIn(schema[key], `${pointer}/${key}`);
  for (const key of ["allOf", "anyOf", "oneOf", "prefixItems"]) {
    const list = schema[key];
    if (Array.isArray(list)) for (const [i, sub] of list.entries()) yield* schemasIn(sub, `${pointer}/${key}/${i}`);
  }
}

/** Each rule of the spec (a schema's constraint keyword) as `pointer keyword`, and whether it has a sentence. */
const rules = Object.entries(schemas).flatMap(([name, schema]) =>
  [...schemasIn(schema, `/components/schemas/${name}`)].flatMap(([pointer, s]) =>
    Object.keys(s)
      .filter(
        (keyword) => SENTENCE_KEYWORDS.has(keyword) && !(keyword === "additionalProperties" && s[keyword] !== false),
      )
      .map((keyword) => {
        const messages = s[MESSAGES_EXTENSION];
        return { rule: `${pointer} ${keyword}`, worded: isRecord(messages) && typeof messages[keyword] === "string" };
      }),
  ),
);

describe("the shipped spec words every rule", () => {
  it("every constraint keyword of every schema has an x-messages sentence", () => {
    expect(rules.length).toBeGreaterThan(50);
    expect(rules.filter((r) => !r.worded).map((r) => r.rule)).toEqual([]);
  });

  it("the generated validators report the spec's sentence with Ajv's keyword and params", () => {
    const result = generated.validateAuthTokensCreateRequest({
      rev_info: { user_ref: "", account_traits: { domains: ["https://www.acme.example"] } },
    });
    expect(result.valid).toBe(false);
    expect(result.valid || result.issues).toEqual([
      {
        path: "rev_info.user_ref",
        message: "must not be empty: give the site's own ID for the user, such as user-123",
        keyword: "minLength",
        params: { limit: 1 },
      },
      {
        path: "rev_info.account_traits.domains[0]",
        message: "must be a bare domain such as acme.example, without https://, www., a port or a path",
        keyword: "pattern",
        params: { pattern: (schemas.BareDomain as { pattern: string }).pattern },
      },
    ]);
  });
});

/** The sentences in a schema's own `x-messages`, for an Ajv instance of a test's (the generator keeps them beside the schema). */
const ownSentences = (schema: object) => {
  const messages = (schema as Record<string, unknown>)[MESSAGES_EXTENSION];
  return isRecord(messages) ? messages : undefined;
};

/** The Ajv pass's module for `schemas` (an OpenAPI `version` document), imported: its validators by schema name. */
async function compiledValidators(
  schemas: Record<string, unknown>,
  version = "3.0.3",
): Promise<Record<string, AjvValidate>> {
  const code = ajvCode(
    new SpecModel(
      { openapi: version, info: { title: "t", version: "1" }, paths: {}, components: { schemas } } as never,
      RESERVED_NAMES,
    ),
  );
  const file = join(await tempDir(), "ajv-validators.js");
  await writeFile(file, (code ?? "").replace('"./validation.js"', JSON.stringify(`${ROOT}/generated/validation.ts`)));
  return (await import(file)) as Record<string, AjvValidate>;
}

describe("x-messages under the rewrites Ajv compiles (OpenAPI 3.0)", () => {
  it("a sentence on a nullable schema without a type words its rule", async () => {
    const { Name } = await compiledValidators({
      Name: { nullable: true, minLength: 3, "x-messages": { minLength: "must be three letters or more" } },
    });
    expect(Name?.(null)).toBe(true);
    expect(Name?.("ab")).toBe(false);
    expect(Name?.errors).toContainEqual(
      expect.objectContaining({ keyword: "minLength", message: "must be three letters or more" }),
    );
  });

  it("a nullable schema's sentence stays on its own rule, not on a member's of the same keyword", async () => {
    const { Pair } = await compiledValidators({
      Pair: {
        nullable: true,
        required: ["a"],
        "x-messages": { required: "OUTER" },
        anyOf: [{ type: "string" }, { required: ["b"], "x-messages": { required: "INNER-B" } }],
      },
    });
    expect(Pair?.({})).toBe(false);
    const required = (Pair?.errors ?? []).filter((e) => e.keyword === "required");
    expect(required.map((e) => [e.params.missingProperty, e.message]).sort()).toEqual([
      ["a", "OUTER"],
      ["b", "INNER-B"],
    ]);
  });

  it("minimum's sentence words the bound that exclusiveMinimum: true makes exclusive", async () => {
    const { Count } = await compiledValidators({
      Count: { type: "number", minimum: 5, exclusiveMinimum: true, "x-messages": { minimum: "must be more than 5" } },
    });
    expect(Count?.(5)).toBe(false);
    expect(Count?.errors).toMatchObject([{ keyword: "exclusiveMinimum", message: "must be more than 5" }]);
    const { Exclusive } = await compiledValidators({
      Exclusive: { type: "number", minimum: 5, exclusiveMinimum: true, "x-messages": { exclusiveMinimum: "over 5" } },
    });
    expect(Exclusive?.(5)).toBe(false);
    expect(Exclusive?.errors).toMatchObject([{ keyword: "exclusiveMinimum", message: "over 5" }]);
  });

  it.each([
    [
      "a Swagger-style required: true",
      { type: "object", properties: { a: { type: "string", required: true, "x-messages": { required: "X" } } } },
      "/components/schemas/S/properties/a/x-messages/required",
    ],
    [
      "an empty enum",
      { type: "string", enum: [], "x-messages": { enum: "X" } },
      "/components/schemas/S/x-messages/enum",
    ],
    [
      "exclusiveMinimum: false",
      { type: "number", minimum: 1, exclusiveMinimum: false, "x-messages": { exclusiveMinimum: "X" } },
      "/components/schemas/S/x-messages/exclusiveMinimum",
    ],
    [
      "two sentences for the one exclusive bound",
      { type: "number", minimum: 1, exclusiveMinimum: true, "x-messages": { minimum: "X", exclusiveMinimum: "Y" } },
      "/components/schemas/S/x-messages/exclusiveMinimum",
    ],
  ])("a sentence that would never show (%s) is refused, naming where", (_case, schema, pointer) => {
    let thrown: unknown;
    try {
      ajvCode(
        new SpecModel(
          {
            openapi: "3.0.3",
            info: { title: "t", version: "1" },
            paths: {},
            components: { schemas: { S: schema } },
          } as never,
          RESERVED_NAMES,
        ),
      );
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ name: "SchemaError", pointer });
  });
});

describe("x-messages on any spec", () => {
  const spec = (extra: Record<string, unknown>) => ({
    openapi: "3.1.0",
    info: { title: "t", version: "1" },
    paths: {},
    components: { schemas: { Name: { type: "string", minLength: 2, ...extra } } },
  });

  it.each([
    [{ "x-messages": { minLenght: "must be longer" } }, "/components/schemas/Name/x-messages/minLenght", /cannot have/],
    [
      { "x-messages": { maxLength: "must be shorter" } },
      "/components/schemas/Name/x-messages/maxLength",
      /no maxLength/,
    ],
    [{ "x-messages": { minLength: "" } }, "/components/schemas/Name/x-messages/minLength", /non-empty string/],
    [{ "x-messages": "must be longer" }, "/components/schemas/Name/x-messages", /map keywords/],
  ])("%j is refused, naming where", (extra, pointer, reason) => {
    let thrown: unknown;
    try {
      ajvCode(new SpecModel(spec(extra) as never, RESERVED_NAMES));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ name: "SchemaError", pointer, message: expect.stringMatching(reason) });
  });

  it("the generate command refuses a misspelt one with the file, line and pointer, exit 2", async () => {
    const dir = await tempDir();
    const file = join(dir, "spec.yaml");
    const text = dump(spec({ "x-messages": { minLenght: "must be two letters or more" } }));
    await writeFile(file, text);
    const result = await generateInProcess(["--spec", file, "--out", join(dir, "out")]);
    expect(result.code).toBe(2);
    // The file and the pointer (and the line, where the reader can place a pointer in the text).
    expect(result.stderr).toMatch(
      new RegExp(
        `^error: ${file}(:\\d+:\\d+)? \\(at /components/schemas/Name/x-messages/minLenght\\): minLenght cannot`,
      ),
    );
  });

  it("a changed sentence compiles again, though the kept blocks' keys ignore other x- keys", () => {
    // As a watcher's Ajv worker keeps them from one save to the next.
    const kept = new KeptBlocks();
    const first = ajvCode(
      new SpecModel(spec({ "x-messages": { minLength: "must be two letters" } }) as never, RESERVED_NAMES),
      kept,
    );
    const second = ajvCode(
      new SpecModel(spec({ "x-messages": { minLength: "must be 2 letters" } }) as never, RESERVED_NAMES),
      kept,
    );
    expect(first).toContain('"must be two letters"');
    expect(second).toContain('"must be 2 letters"');
  });

  it("a sentence is data in the generated code, whatever characters it holds", () => {
    const hostile = 'must be "quoted" \\ `${process.exit(1)}` \u2028 */ }); process.exit(1); //\n</script>';
    const code = ajvCode(new SpecModel(spec({ "x-messages": { minLength: hostile } }) as never, RESERVED_NAMES)) ?? "";
    const ajv = new Ajv({ ...PRISM_AJV_OPTIONS });
    writeMessages(ajv, ownSentences);
    const validate = ajv.compile({ type: "string", minLength: 2, "x-messages": { minLength: hostile } });
    expect(validate("a")).toBe(false);
    expect(validate.errors?.[0]?.message).toBe(hostile);
    expect(code).not.toContain("process.exit(1); //\n");
  });

  it("a property named x-messages is a property, not the extension", () => {
    const properties = { "x-messages": { type: "string", maxLength: 3 } };
    expect(specMessages({ components: { schemas: { A: { type: "object", properties } } } })).toEqual([]);
  });

  type Domain = { type: string; pattern: string; "x-messages": { pattern: string } };
  it("the README's example words its rule, in the generated code and in Ajv's errors", async () => {
    const readme = await readFile(`${ROOT}/README.md`, "utf8");
    const snippet = /<!-- readme-example: x-messages -->\s*```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
    const example = {
      openapi: "3.1.0",
      info: { title: "t", version: "1" },
      paths: {},
      ...(load(snippet ?? "") as { components: { schemas: { Domain: Domain } } }),
    };
    const domain = example.components.schemas.Domain;
    const sentence = domain["x-messages"].pattern;
    expect(sentence).toMatch(/^must be a bare domain/);
    expect(ajvCode(new SpecModel(example as never, RESERVED_NAMES))).toContain(JSON.stringify(sentence));

    const ajv = new Ajv({ ...PRISM_AJV_OPTIONS });
    writeMessages(ajv, ownSentences);
    const validate = ajv.compile(domain);
    expect(validate("acme.example")).toBe(true);
    expect(validate("https://acme.example")).toBe(false);
    expect(validate.errors).toMatchObject([
      { keyword: "pattern", params: { pattern: domain.pattern }, message: sentence },
    ]);
  });

  it("replaces only the message: the instance path, schema path, keyword and params stay Ajv's", () => {
    const schema = {
      type: "object",
      required: ["name"],
      properties: {
        name: { type: "string", minLength: 2, "x-messages": { minLength: "must be two letters or more" } },
      },
    };
    const plain = new Ajv({ ...PRISM_AJV_OPTIONS });
    const worded = new Ajv({ ...PRISM_AJV_OPTIONS });
    writeMessages(worded, ownSentences);
    const check = (ajv: InstanceType<typeof Ajv>, value: unknown) => {
      const validate = ajv.getSchema("https://t.invalid/") ?? ajv.compile({ ...schema, $id: "https://t.invalid/" });
      validate(value);
      return validate.errors ?? [];
    };
    const [mine] = check(worded, { name: "a" });
    const [theirs] = check(plain, { name: "a" });
    expect(mine).toEqual({ ...theirs, message: "must be two letters or more" });
    // A rule without a sentence gets the library's words; Ajv's own instances keep theirs.
    expect(check(worded, {})[0]?.message).toBe("is required");
    expect(check(new Ajv({ strict: false }), {})[0]?.message).toBe("must have required property 'name'");
  });
});

// Plain Ajv, as Prism configures it, on the spec as written: Ajv ignores the x- keys.
const plain = new Ajv({ ...PRISM_AJV_OPTIONS, ownProperties: true });
addFormats(plain);
plain.addSchema(document, "https://spec.invalid/");
const resolve = (ref: string) => resolvePointer(document, ref.slice(1)) as Record<string, unknown> | undefined;
/** What an error is, apart from its words. */
const facts = (errors: readonly { instancePath: string; keyword: string; params: unknown }[] | null | undefined) =>
  (errors ?? []).map((e) => JSON.stringify([e.instancePath, e.keyword, e.params])).sort();

describe("sentences change only the words (fast-check)", () => {
  const RUNS = propertyRuns(300, 3_000);
  // Every component schema a request body reaches, each checked alone, as its validator and guard do.
  const names = ["AuthTokensCreateRequest", ...REQUEST_VARIANTS, "RevInfo", "UserTraits", "AccountTraits"];

  it.each(names)(`%s: for ${RUNS} broken values, the same errors as plain Ajv's, keyword and params`, (name) => {
    const ours = (generatedAjv as unknown as Record<string, AjvValidate>)[name];
    const theirs = plain.getSchema(`https://spec.invalid/#/components/schemas/${name}`);
    if (!ours || !theirs) throw new Error(`no validator for ${name}`);
    const values = mutated(arbitraryFor(schemas[name] as Record<string, unknown>, 0, resolve));
    let broken = 0;
    fc.assert(
      fc.property(values, (value) => {
        const verdict = ours(value);
        expect(verdict).toBe(theirs(value));
        if (verdict) return;
        broken++;
        expect(facts(ours.errors)).toEqual(facts(theirs.errors));
        // The issues built from them too: the same paths, keywords and params, in the same order
        // (a union's issues are its chosen member's, which that member's own case compares).
        if (name === "AuthTokensCreateRequest") return;
        const strip = (issues: { path: string; keyword: string; params: unknown }[]) =>
          issues.map(({ path, keyword, params }) => ({ path, keyword, params }));
        expect(strip(issuesOf(ours.errors))).toEqual(strip(issuesOf(theirs.errors as never)));
      }),
      { numRuns: RUNS },
    );
    expect(broken).toBeGreaterThan(0);
  });
});
