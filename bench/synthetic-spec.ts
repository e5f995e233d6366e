import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { stringify } from "yaml";

/**
 * An OpenAPI 3.1 document with `operations` operations, each with a request
 * body, a path parameter, a 200 and a 4xx response, over a shared set of
 * schemas including a closed oneOf, so every transform has work to do.
 */
export function syntheticSpec(operations: number): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = {
    Kind: { type: "string", enum: ["alpha", "beta", "gamma"] },
    Error: {
      type: "object",
      required: ["type"],
      properties: { type: { type: "string" }, message: { type: "string" } },
    },
  };
  for (let i = 0; i < operations; i++) {
    schemas[`Thing${i}`] = {
      type: "object",
      required: ["id", "kind"],
      properties: {
        id: { type: "string" },
        kind: { $ref: "#/components/schemas/Kind" },
        count: { type: "integer" },
        tags: { type: "array", items: { type: "string" } },
      },
    };
    schemas[`CreateThing${i}ByName`] = {
      type: "object",
      additionalProperties: false,
      required: ["name"],
      properties: { name: { type: "string" }, note: { type: "string" } },
    };
    schemas[`CreateThing${i}ByRef`] = {
      type: "object",
      additionalProperties: false,
      required: ["ref"],
      properties: { ref: { type: "string" }, note: { type: "string" } },
    };
    schemas[`CreateThing${i}`] = {
      oneOf: [
        { $ref: `#/components/schemas/CreateThing${i}ByName` },
        { $ref: `#/components/schemas/CreateThing${i}ByRef` },
      ],
    };
    paths[`/things-${i}/{id}`] = {
      post: {
        operationId: `createThing${i}`,
        summary: `Creates thing ${i}.`,
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
        requestBody: {
          required: true,
          content: { "application/json": { schema: { $ref: `#/components/schemas/CreateThing${i}` } } },
        },
        responses: {
          "200": {
            description: "Created.",
            content: { "application/json": { schema: { $ref: `#/components/schemas/Thing${i}` } } },
          },
          "400": {
            description: "Bad.",
            content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
          },
        },
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: { title: `Synthetic ${operations}`, version: "1.0.0" },
    paths,
    components: { schemas },
  };
}

export async function writeSyntheticSpec(dir: string, operations: number): Promise<string> {
  const file = join(dir, `synthetic-${operations}.yaml`);
  await writeFile(file, stringify(syntheticSpec(operations)));
  return file;
}

/**
 * An OpenAPI 3.0 document with `operations` operations in the shapes real specs
 * brought (issue 27's 14 public specs): `components/requestBodies` entries each
 * shared by two operations (Cloudflare), discriminated unions without a mapping
 * whose members pin the property (Spotify), nullable references written as
 * `nullable` beside `allOf: [$ref]` (Box, Stripe), a nullable base narrowed by
 * `allOf` and `required` (Plaid), and capitalised enums (Adyen).
 */
export function realWorldShapesSpec(operations: number): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = {
    Reason: { type: "string", enum: ["INSUFFICIENT_FUNDS", "CARD_DECLINED", "EXPIRED_CARD"] },
  };
  const requestBodies: Record<string, unknown> = {};
  const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
  for (let i = 0; i < operations; i += 2) {
    schemas[`Track${i}`] = {
      type: "object",
      required: ["type", "id"],
      properties: { type: { type: "string", enum: [`track${i}`] }, id: { type: "string" } },
    };
    schemas[`Episode${i}`] = {
      type: "object",
      required: ["type", "id"],
      properties: { type: { type: "string", enum: [`episode${i}`] }, show: { type: "string" }, id: { type: "string" } },
    };
    schemas[`Playable${i}`] = {
      oneOf: [ref(`Track${i}`), ref(`Episode${i}`)],
      discriminator: { propertyName: "type" },
    };
    schemas[`Folder${i}`] = {
      type: "object",
      nullable: true,
      properties: {
        name: { type: "string" },
        parent: { nullable: true, allOf: [ref(`Folder${i}`)] },
        item: { nullable: true, allOf: [ref(`Playable${i}`)] },
        reason: ref("Reason"),
      },
    };
    schemas[`NamedFolder${i}`] = { allOf: [ref(`Folder${i}`)], required: ["name"] };
    requestBodies[`Folder${i}`] = {
      required: true,
      content: { "application/json": { schema: ref(`NamedFolder${i}`) } },
    };
    for (const [method, suffix] of [
      ["post", "create"],
      ["put", "replace"],
    ] as const) {
      paths[`/folders-${i}/${suffix}`] = {
        [method]: {
          operationId: `${suffix}Folder${i}`,
          requestBody: { $ref: `#/components/requestBodies/Folder${i}` },
          responses: {
            "200": { description: "Done.", content: { "application/json": { schema: ref(`Folder${i}`) } } },
          },
        },
      };
    }
  }
  return {
    openapi: "3.0.3",
    info: { title: `Real-world shapes ${operations}`, version: "1.0.0" },
    paths,
    components: { schemas, requestBodies },
  };
}

export async function writeRealWorldShapesSpec(dir: string, operations: number): Promise<string> {
  const file = join(dir, `shapes-${operations}.yaml`);
  await writeFile(file, stringify(realWorldShapesSpec(operations)));
  return file;
}

/** Stripe's spec (the corpus's largest, 4 MB of YAML) in round numbers. */
const STRIPE = { operations: 470, schemas: 820, descriptionChars: 400, hubs: 40 };

/**
 * An OpenAPI 3.1 document the size and shape of Stripe's: 470 operations, each with its own
 * inline request body, over 820 component schemas of five properties, every property with a
 * paragraph of description. Each schema refers to one of 40 hubs, which refer to each other
 * in a ring (nullable references, as Stripe's expandable fields name its main resources): a
 * ring through all 820 would have Ajv compile 820 functions deep, beyond its stack. `revision` changes one schema's constraint (`Resource0`'s
 * `id` gets a `maxLength` of 5000 + revision), so a watcher sees a save touching one schema.
 */
export function stripeSizedSpec(revision = 0): Record<string, unknown> {
  const text = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. ".repeat(
    Math.round(STRIPE.descriptionChars / 57),
  );
  const ref = (i: number) => ({ $ref: `#/components/schemas/Resource${i % STRIPE.schemas}` });
  const schemas: Record<string, unknown> = {};
  for (let i = 0; i < STRIPE.schemas; i++) {
    schemas[`Resource${i}`] = {
      type: "object",
      description: text,
      required: ["id", "object", "created"],
      properties: {
        id: { type: "string", maxLength: i === 0 ? 5000 + revision : 5000, description: text },
        object: { type: "string", enum: [`resource_${i}`], description: text },
        created: { type: "integer", format: "unix-time", description: text },
        metadata: { type: "object", additionalProperties: { type: "string", maxLength: 500 }, description: text },
        related: {
          anyOf: [ref(i < STRIPE.hubs ? (i + 1) % STRIPE.hubs : i % STRIPE.hubs), { type: "null" }],
          description: text,
        },
      },
    };
  }
  const paths: Record<string, unknown> = {};
  for (let i = 0; i < STRIPE.operations; i++) {
    paths[`/v1/resources_${i}/{id}`] = {
      post: {
        operationId: `PostResources${i}Id`,
        description: text,
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "string", maxLength: 5000 } }],
        requestBody: {
          required: true,
          content: {
            "application/json": {
              schema: {
                type: "object",
                additionalProperties: false,
                properties: {
                  description: { type: "string", maxLength: 5000, description: text },
                  expand: { type: "array", items: { type: "string", maxLength: 5000 }, description: text },
                  metadata: { type: "object", additionalProperties: { type: "string" }, description: text },
                },
              },
            },
          },
        },
        responses: {
          "200": { description: "Successful response.", content: { "application/json": { schema: ref(i) } } },
        },
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: { title: "Stripe-sized", version: "1.0.0" },
    paths,
    components: { schemas },
  };
}

export async function writeStripeSizedSpec(file: string, revision = 0): Promise<string> {
  await writeFile(file, stringify(stripeSizedSpec(revision)));
  return file;
}
