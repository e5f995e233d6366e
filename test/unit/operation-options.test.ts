import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { pascalCase } from "../../scripts/naming.js";
import { ROOT } from "../helpers/cli.js";
import { useGeneratedProjects } from "../helpers/generated-project.js";
import { useTempDirs } from "../helpers/temp-dir.js";
import { propertyRuns } from "../helpers/thorough.js";

// Each generated function's option type is written by the generator (which params and which body
// are required, from the spec) where it was openapi-fetch's `FetchOptions<Op>` (required from the
// types openapi-typescript writes). The two must agree on every spec: this draws operations with
// parameters at the path item and the operation (overriding one another, by `$ref` or inline, in
// each location) and bodies required, optional or unmarked, and has strict tsc compare the
// generated types with openapi-fetch's own for each operation.

const LOCATIONS = ["query", "header", "cookie"] as const;

const parameter = fc.record({
  name: fc.constantFrom("page", "trace", "session"),
  in: fc.constantFrom(...LOCATIONS),
  required: fc.constantFrom(true, false, undefined),
  type: fc.constantFrom("string", "integer"),
  byRef: fc.boolean(),
});
type Parameter = typeof parameter extends fc.Arbitrary<infer P> ? P : never;

/** A level's parameters: OpenAPI allows one per name and location. */
const parameters = fc.uniqueArray(parameter, { maxLength: 3, selector: (p) => `${p.in} ${p.name}` });

const operation = fc.record({
  method: fc.constantFrom("get", "post", "put", "delete", "patch"),
  pathParams: fc.integer({ min: 0, max: 2 }),
  /** Where the path parameters are declared. */
  pathParamsAt: fc.constantFrom("path item", "operation"),
  pathItemParams: parameters,
  operationParams: parameters,
  body: fc.constantFrom("none", "required", "optional", "unmarked"),
  textBodyToo: fc.boolean(),
});
type DrawnOperation = typeof operation extends fc.Arbitrary<infer O> ? O : never;

/** Always drawn: a path item's required parameter the operation makes optional, and the reverse. */
const OVERRIDES: DrawnOperation[] = (["required", "optional"] as const).map((atItem) => ({
  method: "get",
  pathParams: 0,
  pathParamsAt: "path item",
  pathItemParams: [{ name: "trace", in: "header", required: atItem === "required", type: "string", byRef: false }],
  operationParams: [{ name: "trace", in: "header", required: atItem !== "required", type: "string", byRef: true }],
  body: "none",
  textBodyToo: false,
}));

interface Drawn {
  spec: object;
  /** Per operation: its path, method and function's type-name base. */
  operations: { path: string; method: string; name: string }[];
}

function specOf(drawn: DrawnOperation[]): Drawn {
  const componentParameters: Record<string, object> = {};
  const paths: Record<string, Record<string, unknown>> = {};
  const operations: Drawn["operations"] = [];
  const written = (p: Parameter) => {
    const object = {
      name: p.name,
      in: p.in,
      ...(p.required === undefined ? {} : { required: p.required }),
      schema: { type: p.type },
    };
    if (!p.byRef) return object;
    const key = `${p.in}-${p.name}-${p.type}-${p.required}`;
    componentParameters[key] = object;
    return { $ref: `#/components/parameters/${key}` };
  };
  for (const [i, op] of drawn.entries()) {
    const pathParamNames = Array.from({ length: op.pathParams }, (_, n) => `p${n}`);
    const path = `/o${i}${pathParamNames.map((n) => `/{${n}}`).join("")}`;
    const pathParams = pathParamNames.map((name) => ({ name, in: "path", required: true, schema: { type: "string" } }));
    const atItem = op.pathParamsAt === "path item" ? pathParams : [];
    const atOperation = op.pathParamsAt === "operation" ? pathParams : [];
    const content = {
      "application/json": {
        schema: { type: "object", required: ["name"], properties: { name: { type: "string" } } },
      },
      ...(op.textBodyToo ? { "text/plain": { schema: { type: "string" } } } : {}),
    };
    const requestBody =
      op.body === "none"
        ? {}
        : { requestBody: { content, ...(op.body === "unmarked" ? {} : { required: op.body === "required" }) } };
    const operationId = `op${i}`;
    paths[path] = {
      parameters: [...atItem, ...op.pathItemParams.map(written)],
      [op.method]: {
        operationId,
        parameters: [...atOperation, ...op.operationParams.map(written)],
        ...requestBody,
        responses: { "204": { description: "done" } },
      },
    };
    operations.push({ path, method: op.method, name: pascalCase(operationId) });
  }
  const spec = {
    openapi: "3.0.3",
    info: { title: "operation options", version: "1" },
    paths,
    components: { parameters: componentParameters },
  };
  return { spec, operations };
}

/** Type assertions, one group per operation, that compile only when the two option types agree. */
function agreementChecks({ operations }: Drawn): string {
  const lines = [
    `import type { FetchOptions } from "openapi-fetch";`,
    `import type { RequiredKeysOf } from "openapi-typescript-helpers";`,
    `import type * as generated from "./operations.js";`,
    `import type { paths } from "./schema.js";`,
    "type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;",
    "type Assert<T extends true> = T;",
    "type Optional<T, K extends keyof T> = {} extends Pick<T, K> ? true : false;",
  ];
  for (const { path, method, name } of operations) {
    const op = `paths[${JSON.stringify(path)}][${JSON.stringify(method)}]`;
    const ours = `generated.${name}Options`;
    const fn = `typeof generated.${name[0]?.toLowerCase()}${name.slice(1)}`;
    lines.push(
      // Everything but the body, which ours names (its values are the same: checked below).
      `export type ${name}Rest = Assert<Same<Omit<${ours}, "body">, Omit<FetchOptions<${op}>, "body">>>;`,
      `export type ${name}Body = Assert<Same<NonNullable<${ours}["body"]>, NonNullable<FetchOptions<${op}>["body"]>>>;`,
      `export type ${name}Params = Assert<Same<Optional<${ours}, "params">, Optional<FetchOptions<${op}>, "params">>>;`,
      `export type ${name}BodyOptional = Assert<Same<Optional<${ours}, "body">, Optional<FetchOptions<${op}>, "body">>>;`,
      // The options argument may be left out exactly when openapi-fetch's own methods let it be.
      `export type ${name}Argument = Assert<Same<undefined extends Parameters<${fn}>[1] ? true : false, RequiredKeysOf<FetchOptions<${op}>> extends never ? true : false>>;`,
    );
  }
  return `${lines.join("\n")}\n`;
}

describe("generated option types", () => {
  const generateProject = useGeneratedProjects({ typecheck: false });
  const tempDir = useTempDirs();

  it("agree with openapi-fetch's FetchOptions on which params and body are required, and on every other option", {
    timeout: 600_000,
  }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { minLength: 1, maxLength: 12 }), async (drawn) => {
        const spec = specOf(drawn);
        const file = join(await tempDir(), "spec.json");
        await writeFile(file, JSON.stringify(spec.spec));
        const { out } = await generateProject(file);
        await writeFile(join(out, "agreement.ts"), agreementChecks(spec));
        await writeFile(
          join(out, "tsconfig.json"),
          JSON.stringify({ extends: join(ROOT, "tsconfig.json"), include: ["*.ts"], compilerOptions: { types: [] } }),
        );
        const tsc = join(ROOT, "node_modules/typescript/bin/tsc");
        const printed = await promisify(execFile)(process.execPath, [tsc, "-p", out], { cwd: ROOT }).then(
          () => "",
          (error: { stdout?: string }) => error.stdout || String(error),
        );
        expect(printed, JSON.stringify(spec.spec)).toBe("");
      }),
      { numRuns: propertyRuns(2, 12), endOnFailure: true, examples: [[OVERRIDES]] },
    );
  });
});
