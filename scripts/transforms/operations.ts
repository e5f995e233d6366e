import { readFileSync } from "node:fs";
import type { RequestBodyObject } from "openapi-typescript";
import { pascalCase } from "../naming.js";
import type { Transform } from "../output-layout.js";
import { arrayLiteral, jsDoc, literal, objectLiteral, parameterList, printModule } from "../print.js";
import { docsOf, type Operation, type SpecModel, type StatementList } from "../spec-model.js";
import { isRecord } from "../spec-reader/json-pointer.js";
import { StructureKind } from "../ts-morph.js";

/** The shared runtime, copied into every output folder (as `operation.ts`) from its linted source. */
export const OPERATION_RUNTIME_FILE = new URL("../runtime/operation.ts", import.meta.url);

/**
 * The operation table (operationId -> method, path, statuses) and one typed
 * function per operation over an openapi-fetch client, called the way
 * openapi-fetch's own methods are: `createPet(client, { params, body })`, the
 * options required when the operation requires a parameter or a body. A
 * function's result is a union with one member per documented status, so
 * checking `status` narrows `body` to that status's schema. The code the
 * functions share is `operation.ts`, copied from a linted source file.
 */
export const operations: Transform = (model) => {
  if (model.operations.length === 0) return {};
  // Each function reads its own entry, not the table: importing one function bundles one entry
  // (the table is only kept when it is imported itself).
  const table = objectLiteral(model.operations.map((op): [string, string] => [op.name, entryName(op)]));
  const hasBody = model.operations.some((op) => requestBodyOf(model, op) !== undefined);
  return {
    "operation.ts": readFileSync(OPERATION_RUNTIME_FILE, "utf8"),
    "operations.ts": printModule([
      `import type { Client } from "openapi-fetch";`,
      `import { callOperation, ${hasBody ? "type OperationBody, " : ""}type OperationEntry, type OperationInit, type OperationResult } from "./operation.js";`,
      `import type { paths } from "./schema.js";`,
      `export { type OperationBody, type OperationEntry, type OperationResult, UndeclaredStatusError } from "./operation.js";`,
      [
        "",
        ...model.operations.map(
          (op) => `const ${entryName(op)} = ${tableEntry(op)} as const satisfies OperationEntry;`,
        ),
        "",
        "/** Every operation of the spec by function name: its method, path and documented statuses. */",
        `export const operationTable = ${table} as const satisfies Record<string, OperationEntry>;`,
      ].join("\n"),
      ...model.operations.flatMap((op) => operationFunction(model, op)),
    ]),
  };
};

/**
 * The module's private name for an operation's entry. Function names never hold an `_` between
 * two letters (camelCase drops them), so no exported name can be one of these.
 */
function entryName(op: Operation): string {
  return `entry_${op.name}`;
}

function tableEntry({ method, path, operation }: Operation): string {
  const codes = Object.keys(operation.responses ?? {});
  const statuses = codes.filter((code) => /^[1-5][0-9][0-9]$/.test(code)).map(Number);
  // `default` and ranges such as `5XX` make every status a documented one; so does an operation
  // without `responses` (allowed in 3.1), which documents none.
  const anyStatus = codes.length === 0 || codes.some((code) => !/^[1-5][0-9][0-9]$/.test(code));
  const fields: [string, string][] = [
    ["method", literal(method)],
    ["path", literal(path)],
    ["statuses", arrayLiteral(statuses.map(literal))],
    ["anyStatus", literal(anyStatus)],
  ];
  if (operation.operationId) fields.unshift(["operationId", literal(operation.operationId)]);
  return objectLiteral(fields);
}

function operationFunction(model: SpecModel, op: Operation): StatementList {
  const opType = `paths[${literal(op.path)}][${literal(op.method)}]`;
  const base = pascalCase(op.name);
  const resultName = model.names.claim(`${base}Result`);
  const requestBody = requestBodyOf(model, op);
  const statements: StatementList = [
    {
      kind: StructureKind.TypeAlias,
      isExported: true,
      name: resultName,
      type: `OperationResult<${opType}>`,
      docs: [`What {@link ${op.name}} resolves with: narrow it on \`status\`.`],
    },
  ];
  const bodyName = requestBody ? model.names.claim(`${base}Body`) : undefined;
  if (bodyName) {
    statements.push({
      kind: StructureKind.TypeAlias,
      isExported: true,
      name: bodyName,
      type: `OperationBody<${opType}>`,
      docs: [`The request body of {@link ${op.name}}.`],
    });
  }
  const paramsRequired = requiresParams(model, op);
  const optionsRequired = paramsRequired || requestBody?.required === true;
  // openapi-fetch's `FetchOptions<Op>` as its parts: params and body written out here, as required
  // as openapi-fetch makes them, beside the options that are the same for every operation
  // (`OperationInit` says why). The body by its name: a wrong body's compile error then names the
  // schema's variants, where openapi-fetch's own option type prints the whole expanded union.
  const optionsName = model.names.claim(`${base}Options`);
  const body = bodyName ? `body${requestBody?.required === true ? "" : "?"}: ${bodyName}` : "body?: never";
  // As text, as the function below is: ts-morph would indent the type's lines once more.
  statements.push(
    [
      `/** What {@link ${op.name}} takes: the operation's params and body, and openapi-fetch's other per-request options. */`,
      `export type ${optionsName} = OperationInit<${opType}> & {`,
      `    params${paramsRequired ? "" : "?"}: ${opType}["parameters"];`,
      `    ${body};`,
      "};",
    ].join("\n"),
  );
  const parameters = ["client: Client<paths>", `options${optionsRequired ? "" : "?"}: ${optionsName}`];
  // As text, so a long parameter list can take a line per parameter; the empty first line is the
  // blank line ts-morph would put before a function.
  const docs = jsDoc(docsOf(op.operation));
  statements.push(
    [
      "",
      ...(docs ? [docs] : []),
      `export function ${op.name}${parameterList(parameters)}: Promise<${resultName}> {`,
      // The type argument given, not inferred: inferring it from \`Client<paths>\` at every call site
      // was half of tsc's work on a large output (Stripe's: 317,000 instantiations, 145,000 without).
      `    return callOperation<paths>(client, ${entryName(op)}, options) as Promise<${resultName}>;`,
      "}",
    ].join("\n"),
  );
  return statements;
}

function requestBodyOf(model: SpecModel, op: Operation): RequestBodyObject | undefined {
  const body = model.resolve(op.operation.requestBody as RequestBodyObject | undefined);
  return isRecord(body) ? body : undefined;
}

/**
 * Whether a call needs `params`: a path parameter, or another the spec marks required, once the
 * operation's own parameters have replaced the path item's of the same name and location, as
 * openapi-typescript reads them (so `params` is required exactly where `paths` says so). A path
 * item's required parameter that the operation makes optional is optional.
 */
function requiresParams(model: SpecModel, { path, operation }: Operation): boolean {
  const pathItem = model.resolve(model.document.paths?.[path]);
  const byNameAndLocation = new Map<string, Record<string, unknown>>();
  for (const list of [pathItem?.parameters, operation.parameters]) {
    for (const ref of Array.isArray(list) ? list : []) {
      const parameter = model.resolve<unknown>(ref);
      if (isRecord(parameter)) byNameAndLocation.set(`${parameter.in} ${parameter.name}`, parameter);
    }
  }
  return [...byNameAndLocation.values()].some((parameter) => parameter.required === true || parameter.in === "path");
}
