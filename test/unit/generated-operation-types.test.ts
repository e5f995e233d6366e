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

// The generator writes out each operation's types: which params and which body its options
// require (from the spec), where they were openapi-fetch's `FetchOptions<Op>` (required from the
// types openapi-typescript writes), and its result and body types member by member, where they
// were the runtime's generic `OperationResult<Op>` and `OperationBody<Op>`. Each must stay the
// type it replaced on every spec: this draws operations with parameters at the path item and
// the operation (overriding one another, by `$ref` or inline, in each location), bodies required,
// optional or unmarked under one or two media types (or none), and responses with and without
// content, by `$ref`, under `default` and ranges, and has strict tsc compare the generated types
// with those for each operation.

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

type Content = "none" | "json" | "json and text" | "empty";

const response = fc.record({
  code: fc.constantFrom("200", "201", "204", "404", "default", "5XX"),
  content: fc.constantFrom<Content>("none", "json", "json and text", "empty"),
  byRef: fc.boolean(),
});

/** A body or response's `content`, or nothing. */
function contentOf(content: Content): object {
  if (content === "none") return {};
  const json = { schema: { type: "object", required: ["name"], properties: { name: { type: "string" } } } };
  if (content === "empty") return { content: {} };
  if (content === "json") return { content: { "application/json": json } };
  return { content: { "application/json": json, "text/plain": { schema: { type: "string" } } } };
}

const operation = fc.record({
  method: fc.constantFrom("get", "post", "put", "delete", "patch"),
  pathParams: fc.integer({ min: 0, max: 2 }),
  /** Where the path parameters are declared. */
  pathParamsAt: fc.constantFrom("path item", "operation"),
  pathItemParams: parameters,
  operationParams: parameters,
  body: fc.constantFrom("none", "required", "optional", "unmarked"),
  bodyContent: fc.constantFrom<Content>("json", "json and text", "empty"),
  bodyByRef: fc.boolean(),
  /** No responses at all (OpenAPI 3.1 allows it), or some. */
  responses: fc.uniqueArray(response, { maxLength: 3, selector: (r) => r.code }),
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
  bodyContent: "json",
  bodyByRef: false,
  responses: [{ code: "204", content: "none", byRef: false }],
}));

interface Drawn {
  spec: object;
  /** Per operation: its path, method and function's type-name base. */
  operations: { path: string; method: string; name: string; hasBody: boolean }[];
}

function specOf(drawn: DrawnOperation[]): Drawn {
  const componentParameters: Record<string, object> = {};
  const componentResponses: Record<string, object> = {};
  const componentBodies: Record<string, object> = {};
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
    const operationId = `op${i}`;
    const body = {
      ...contentOf(op.bodyContent),
      ...(op.body === "unmarked" ? {} : { required: op.body === "required" }),
    };
    if (op.bodyByRef) componentBodies[operationId] = body;
    const requestBody =
      op.body === "none"
        ? {}
        : { requestBody: op.bodyByRef ? { $ref: `#/components/requestBodies/${operationId}` } : body };
    const responses: Record<string, object> = {};
    for (const r of op.responses) {
      const object = { description: r.code, ...contentOf(r.content) };
      const key = `${operationId}-${r.code}`;
      if (r.byRef) componentResponses[key] = object;
      responses[r.code] = r.byRef ? { $ref: `#/components/responses/${key}` } : object;
    }
    paths[path] = {
      parameters: [...atItem, ...op.pathItemParams.map(written)],
      [op.method]: {
        operationId,
        parameters: [...atOperation, ...op.operationParams.map(written)],
        ...requestBody,
        ...(op.responses.length > 0 ? { responses } : {}),
      },
    };
    operations.push({ path, method: op.method, name: pascalCase(operationId), hasBody: op.body !== "none" });
  }
  const spec = {
    openapi: "3.1.0",
    info: { title: "operation types", version: "1" },
    paths,
    components: { parameters: componentParameters, responses: componentResponses, requestBodies: componentBodies },
  };
  return { spec, operations };
}

/** Type assertions, one group per operation, that compile only when the generated types are the ones they replaced. */
function agreementChecks({ operations }: Drawn): string {
  const lines = [
    `import type { FetchOptions } from "openapi-fetch";`,
    `import type { RequiredKeysOf } from "openapi-typescript-helpers";`,
    `import type * as runtime from "./operation.js";`,
    `import type * as generated from "./operations.js";`,
    `import type { paths } from "./schema.js";`,
    "type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;",
    "type Assert<T extends true> = T;",
    "type Optional<T, K extends keyof T> = {} extends Pick<T, K> ? true : false;",
    "type StatusOf<R> = R extends { status: infer S } ? S : never;",
  ];
  for (const { path, method, name, hasBody } of operations) {
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
      // The same results, and the same statuses to narrow them on.
      `export type ${name}Result = Assert<Same<generated.${name}Result, runtime.OperationResult<${op}>>>;`,
      `export type ${name}Status = Assert<Same<StatusOf<generated.${name}Result>, StatusOf<runtime.OperationResult<${op}>>>>;`,
    );
    if (hasBody) {
      lines.push(`export type ${name}BodyType = Assert<Same<generated.${name}Body, runtime.OperationBody<${op}>>>;`);
    }
  }
  return `${lines.join("\n")}\n`;
}

describe("generated operation types", () => {
  const generateProject = useGeneratedProjects({ typecheck: false });
  const tempDir = useTempDirs();

  it("options agree with openapi-fetch's FetchOptions, results and bodies with the runtime's generic types", {
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
          JSON.stringify({
            extends: join(ROOT, "tsconfig.json"),
            include: ["*.ts"],
            // Unused imports too: the generated module imports the runtime's generic types only where a function uses them.
            compilerOptions: { types: [], noUnusedLocals: true, noUnusedParameters: true },
          }),
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
