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
