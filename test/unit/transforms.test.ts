import { readFileSync } from "node:fs";
import openapiTS, { astToString, type OpenAPI3 } from "openapi-typescript";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import type { OutputModules } from "../../scripts/output-layout.js";
import { exclusiveUnions } from "../../scripts/schema-hooks/exclusive-unions.js";
import { nullableWithRequired } from "../../scripts/schema-hooks/with-required.js";
import { RESERVED_NAMES, SpecModel } from "../../scripts/spec-model.js";
import { namedTypes } from "../../scripts/transforms/named-types.js";
import { OPERATION_RUNTIME_FILE, operations } from "../../scripts/transforms/operations.js";
import { targetsOf } from "../../scripts/transforms/validation-targets.js";
import { VALIDATION_RUNTIME_FILE, validators } from "../../scripts/transforms/validators.js";

// Each transform on a small spec, through its exported function: the golden and whole-spec
// tests show the output as a whole, these show which input gives which piece of it.

const model = (document: object) => new SpecModel(document as OpenAPI3, RESERVED_NAMES);
/** `types.ts` as a transform wrote it, on one line. */
const typesOf = (modules: OutputModules) => (modules["types.ts"] ?? "").trim().replace(/\s+/g, " ");

const object = (properties: Record<string, object>, required?: string[]) => ({
  type: "object",
  properties,
  ...(required && { required }),
});
const byRevInfo = object({ rev_info: { type: "object" }, ttl: { type: "integer" } }, ["rev_info"]);
const bySubject = object({ subject_token: { type: "string" }, ttl: { type: "integer" } }, ["subject_token"]);

describe("exclusiveUnions", () => {
  const printed = (document: object, path: string) => {
    const transform = exclusiveUnions(model(document), ts);
    const placeholder = ts.factory.createKeywordTypeNode(ts.SyntaxKind.UnknownKeyword);
    const node = transform?.(placeholder, { path } as Parameters<NonNullable<typeof transform>>[1]);
    if (!node) return node;
    const file = ts.createSourceFile("x.ts", "", ts.ScriptTarget.Latest);
    return ts.createPrinter().printNode(ts.EmitHint.Unspecified, node, file);
  };
  const spec = {
    components: {
      schemas: {
        ByRevInfo: byRevInfo,
        BySubject: bySubject,
        Request: { oneOf: [{ $ref: "#/components/schemas/ByRevInfo" }, { $ref: "#/components/schemas/BySubject" }] },
      },
    },
  };

  it("gives each member of a oneOf `never` for the keys only its siblings declare, naming interfaces", () => {
    expect(printed(spec, "#/components/schemas/Request")).toBe(
      '(import("./types.js").ByRevInfo & {\n    subject_token?: never;\n}) | (import("./types.js").BySubject & {\n    rev_info?: never;\n})',
    );
  });

  it("leaves every other node to openapi-typescript", () => {
    expect(printed(spec, "#/components/schemas/ByRevInfo")).toBeUndefined();
    expect(printed(spec, "#/paths/~1x/post")).toBeUndefined();
  });

  it("names a member that is no interface by its components entry, and quotes a key that is no identifier", () => {
    const nullable = { ...object({ "a-b": { type: "string" } }), nullable: true };
    const document = {
      components: {
        schemas: {
          "Odd/Name": nullable,
          Plain: object({ c: { type: "string" } }),
          U: { oneOf: [{ $ref: "#/components/schemas/Odd~1Name" }, { $ref: "#/components/schemas/Plain" }] },
        },
      },
    };
    expect(printed(document, "#/components/schemas/U")).toBe(
      '(components["schemas"]["Odd/Name"] & {\n    c?: never;\n}) | (import("./types.js").Plain & {\n    "a-b"?: never;\n})',
    );
  });

  it("is absent when no oneOf has only named object members", () => {
    const inline = { components: { schemas: { U: { oneOf: [{ type: "string" }, byRevInfo] } } } };
    const scalar = {
      components: {
        schemas: {
          S: { type: "string" },
          O: byRevInfo,
          U: { oneOf: [{ $ref: "#/components/schemas/S" }, { $ref: "#/components/schemas/O" }] },
        },
      },
    };
    expect(exclusiveUnions(model(inline), ts)).toBeUndefined();
    expect(exclusiveUnions(model(scalar), ts)).toBeUndefined();
  });
});

describe("namedTypes", () => {
  it("exports an interface for a plain object, an alias for anything else, and nothing for a string enum", () => {
    const document = {
      components: {
        schemas: {
          "rev-info": { ...object({ a: { type: "string" } }), description: "Who the user is.", deprecated: true },
          Request: { oneOf: [{ $ref: "#/components/schemas/rev-info" }] },
          Kind: { type: "string", enum: ["a", "b"] },
        },
      },
    };
    expect(typesOf(namedTypes(model(document)))).toBe(
      [
        'import type { components } from "./schema.js";',
        'type Schema<K extends keyof components["schemas"]> = components["schemas"][K];',
        '/** * Who the user is. * @deprecated */ export interface RevInfo extends Schema<"rev-info"> {}',
        'export type Request = Schema<"Request">;',
      ].join(" "),
    );
  });

  it("gives a name another schema took the Schema suffix", () => {
    const modules = namedTypes(
      model({ components: { schemas: { "a-b": { type: "string" }, AB: { type: "integer" } } } }),
    );
    expect(typesOf(modules)).toContain('export type AB = Schema<"a-b">; export type ABSchema = Schema<"AB">;');
  });

  it("writes no module when every schema is a string enum, or there is none", () => {
    expect(namedTypes(model({ components: { schemas: { K: { type: "string", enum: ["x"] } } } }))).toEqual({});
    expect(namedTypes(model({}))).toEqual({});
  });
});

describe("targetsOf", () => {
  const document = {
    paths: {
      "/tokens/{id}": {
        post: {
          operationId: "create-token",
          requestBody: {
            content: { "application/json; charset=utf-8": { schema: { $ref: "#/components/schemas/Request" } } },
          },
        },
        put: { operationId: "putRaw", requestBody: { $ref: "#/components/requestBodies/Raw" } },
        get: { operationId: "readToken" },
        patch: { operationId: "upload", requestBody: { content: { "text/plain": { schema: { type: "string" } } } } },
      },
    },
    components: {
      requestBodies: { Raw: { content: { "application/json": { schema: { type: "object" } } } } },
      schemas: {
        ByRevInfo: byRevInfo,
        BySubject: bySubject,
        Request: { anyOf: [{ $ref: "#/components/schemas/ByRevInfo" }, { $ref: "#/components/schemas/BySubject" }] },
      },
    },
  };

  it("covers each component, then each operation's JSON body in method order, claiming validator and guard names", () => {
    const spec = model(document);
    const targets = targetsOf(spec);
    const named = targets.map(({ members, sameAs, ...rest }) => ({
      ...rest,
      members: members.map((m) => m.name),
      ...(sameAs && { sameAs: sameAs.validatorName }),
    }));
    expect(named).toEqual([
      {
        ajvName: "ByRevInfo",
        ref: "#/components/schemas/ByRevInfo",
        types: ["ByRevInfo"],
        members: [],
        validatorName: "validateByRevInfo",
        guardName: "isByRevInfo",
        docs: "the `ByRevInfo` schema",
      },
      {
        ajvName: "BySubject",
        ref: "#/components/schemas/BySubject",
        types: ["BySubject"],
        members: [],
        validatorName: "validateBySubject",
        guardName: "isBySubject",
        docs: "the `BySubject` schema",
      },
      {
        // An anyOf's name types exactly what its validator checks.
        ajvName: "Request",
        ref: "#/components/schemas/Request",
        types: ["Request"],
        members: ["ByRevInfo", "BySubject"],
        validatorName: "validateRequest",
        guardName: "isRequest",
        docs: "the `Request` schema",
      },
      {
        // A body behind a $ref is validated where it is defined, as an inline schema of no name.
        ajvName: "$body_putRaw",
        ref: "#/components/requestBodies/Raw/content/application~1json/schema",
        types: ["unknown"],
        members: [],
        validatorName: "validatePutRawBody",
        docs: "the request body of `putRaw`",
      },
      {
        // The body's media type, a JSON one with parameters, is part of the pointer.
        ajvName: "$body_createToken",
        ref: "#/paths/~1tokens~1{id}/post/requestBody/content/application~1json; charset=utf-8/schema",
        types: ["Request"],
        members: ["ByRevInfo", "BySubject"],
        validatorName: "validateCreateTokenBody",
        docs: "the request body of `createToken`",
        // Only a $ref to a component: that component's validator, under a second name.
        sameAs: "validateRequest",
      },
    ]);
    // The names are taken: a second claim gets another.
    expect(spec.names.claim("validateRequest")).not.toBe("validateRequest");
  });

  it("keeps a union's members only when every one of them is a named schema", () => {
    const mixed = {
      components: {
        schemas: { A: byRevInfo, U: { oneOf: [{ $ref: "#/components/schemas/A" }, { type: "string" }] } },
      },
    };
    const union = targetsOf(model(mixed)).find((t) => t.ajvName === "U");
    expect(union).toMatchObject({ types: ["U"], members: [] });
  });

  it("types a oneOf the exclusive-unions hook makes stricter by its members, as the schema describes them", () => {
    const refs = { oneOf: [{ $ref: "#/components/schemas/A" }, { $ref: "#/components/schemas/B" }] };
    const targets = targetsOf(model({ components: { schemas: { A: byRevInfo, B: bySubject, U: refs } } }));
    expect(targets.find((t) => t.ajvName === "U")?.types).toEqual(["A", "B"]);
  });

  it("makes a body an alias only when it says no more than the schema or body it names", () => {
    const json = (schema: object) => ({ content: { "application/json": { schema } } });
    const shared = {
      paths: {
        "/a": { post: { operationId: "first", requestBody: { $ref: "#/components/requestBodies/Shared" } } },
        "/b": { post: { operationId: "second", requestBody: { $ref: "#/components/requestBodies/Shared" } } },
        // A $ref with a sibling constraint is a schema of its own.
        "/c": {
          post: { operationId: "third", requestBody: json({ $ref: "#/components/schemas/A", maxProperties: 1 }) },
        },
      },
      components: { requestBodies: { Shared: json({ type: "object" }) }, schemas: { A: byRevInfo } },
    };
    const targets = targetsOf(model(shared));
    const aliasOf = (name: string) => targets.find((t) => t.ajvName === name)?.sameAs?.validatorName;
    expect(targets.map((t) => t.ajvName)).toEqual(["A", "$body_first", "$body_second", "$body_third"]);
    expect([aliasOf("$body_first"), aliasOf("$body_second"), aliasOf("$body_third")]).toEqual([
      undefined,
      "validateFirstBody",
      undefined,
    ]);
  });
});

describe("nullableWithRequired", () => {
  it("replaces the WithRequired openapi-typescript prints by one that accepts a nullable base", async () => {
    // An allOf with required is what makes openapi-typescript print its helper.
    const document = {
      openapi: "3.0.3",
      info: { title: "t", version: "1" },
      paths: {},
      components: {
        schemas: {
          Base: { type: "object", nullable: true, properties: { id: { type: "string" } } },
          Named: { allOf: [{ $ref: "#/components/schemas/Base" }], required: ["id"] },
        },
      },
    };
    const printed = astToString(await openapiTS(document as unknown as OpenAPI3, { silent: true }));
    expect(printed).toContain("type WithRequired<T, K extends keyof T>");
    const rewritten = nullableWithRequired(printed);
    expect(rewritten).not.toContain("type WithRequired<T, K extends keyof T>");
    expect(rewritten).toContain("type WithRequired<T, K extends keyof NonNullable<T>> = (NonNullable<T> & {");
    expect(rewritten).toContain("}) | Extract<T, null>;");
    // Only the helper changes.
    const withoutHelper = (source: string) => source.replace(/type WithRequired[\s\S]*?\n\}[^\n]*\n/, "");
    expect(withoutHelper(rewritten)).toBe(withoutHelper(printed));
  });

  it("leaves a module without the helper as it is", () => {
    const source = 'export interface paths {\n    "/x": never;\n}\n';
    expect(nullableWithRequired(source)).toBe(source);
  });
});

/** Two operations: one with a path parameter and a required body, one that documents no status of its own. */
const petsSpec = {
  paths: {
    "/pets/{petId}": {
      post: {
        operationId: "create-pet",
        parameters: [{ name: "petId", in: "path", required: true, schema: { type: "string" } }],
        requestBody: {
          required: true,
          content: { "application/json": { schema: { $ref: "#/components/schemas/Pet" } } },
        },
        responses: { "201": { description: "made" }, "400": { description: "bad" } },
      },
    },
    "/pets": { get: { operationId: "listPets", responses: { default: { description: "any" } } } },
  },
  components: { schemas: { Pet: object({ name: { type: "string" } }, ["name"]) } },
};
const oneLine = (text = "") => text.trim().replace(/\s+/g, " ");

describe("operations", () => {
  it("writes one table entry and one typed function per operation, with the shared runtime beside them", () => {
    const modules = operations(model(petsSpec));
    expect(Object.keys(modules)).toEqual(["operation.ts", "operations.ts"]);
    expect(modules["operation.ts"]).toBe(readFileSync(OPERATION_RUNTIME_FILE, "utf8"));
    const text = oneLine(modules["operations.ts"]);
    // A documented status list, or any status at all when a response is `default`.
    expect(text).toContain(
      'const entry_createPet = { operationId: "create-pet", method: "post", path: "/pets/{petId}", statuses: [201, 400], anyStatus: false, }',
    );
    expect(text).toContain("statuses: [], anyStatus: true, }");
    expect(text).toContain("export const operationTable = { createPet: entry_createPet, listPets: entry_listPets, }");
    // Options required with a path parameter or a required body, the body by its name.
    expect(text).toContain(
      'export type CreatePetOptions = OperationInit<paths["/pets/{petId}"]["post"]> & { params: paths["/pets/{petId}"]["post"]["parameters"]; body: CreatePetBody; };',
    );
    expect(text).toContain(
      "export function createPet(client: Client<paths>, options: CreatePetOptions): Promise<CreatePetResult>",
    );
    expect(text).toContain(
      'export type CreatePetBody = paths["/pets/{petId}"]["post"]["requestBody"]["content"]["application/json"];',
    );
    // A result member per response, its body read from `paths` (none without content); any status for `default`.
    expect(text).toContain(
      "export type CreatePetResult = | { status: 201; body: undefined; response: Response } | { status: 400; body: undefined; response: Response };",
    );
    expect(text).toContain("export type ListPetsResult = { status: number; body: undefined; response: Response };");
    // Without a required parameter or body, optional; a body is refused, as openapi-fetch refuses it.
    expect(text).toContain(
      'export type ListPetsOptions = OperationInit<paths["/pets"]["get"]> & { params?: paths["/pets"]["get"]["parameters"]; body?: never; };',
    );
    expect(text).toContain(
      "export function listPets(client: Client<paths>, options?: ListPetsOptions): Promise<ListPetsResult>",
    );
  });

  it("writes nothing for a spec without operations", () => {
    expect(operations(model({ components: { schemas: { Pet: petsSpec.components.schemas.Pet } } }))).toEqual({});
  });
});

describe("validators", () => {
  it("declares each Ajv export and types a validator and a guard per schema; a body that is only a $ref is an alias", () => {
    const modules = validators(model(petsSpec));
    expect(Object.keys(modules)).toEqual(["validation.ts", "ajv-validators.d.ts", "validators.ts"]);
    expect(modules["validation.ts"]).toBe(readFileSync(VALIDATION_RUNTIME_FILE, "utf8"));
    expect(oneLine(modules["ajv-validators.d.ts"])).toBe(
      'import type { AjvValidate } from "./validation.js"; export declare const Pet: AjvValidate;',
    );
    const text = oneLine(modules["validators.ts"]);
    expect(text).toContain('export const validatePet: Validator<Pet> = /* @__PURE__ */ validator(ajv["Pet"]);');
    expect(text).toContain('export function isPet(value: unknown): value is Pet { return ajv["Pet"](value); }');
    expect(text).toContain("export const validateCreatePetBody = validatePet;");
  });

  it("writes nothing for a spec with no schema and no JSON body", () => {
    expect(validators(model({ paths: { "/x": { get: { responses: {} } } } }))).toEqual({});
  });
});
