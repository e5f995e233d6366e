import { readFileSync } from "node:fs";
import type { RequestBodyObject } from "openapi-typescript";
import { keyLiteral, pascalCase } from "../naming.js";
import type { Transform } from "../output-layout.js";
import { arrayLiteral, jsDoc, literal, objectLiteral, parameterList, printModule, unionType } from "../print.js";
import { docsOf, type Operation, type SpecModel, type StatementList } from "../spec-model.js";
import { isRecord } from "../spec-reader/json-pointer.js";

/** The shared runtime, copied into every output folder (as `operation.ts`) from its linted source. */
export const OPERATION_RUNTIME_FILE = new URL("../runtime/operation.ts", import.meta.url);

/**
 * The operation table (operationId -> method, path, statuses) and one typed
 * function per operation over an openapi-fetch client, called the way
 * openapi-fetch's own methods are: `createPet(client, { params, body })`, the
 * options required when the operation requires a parameter or a body. A
 * function's result is a union with one member per documented status, so
 * checking `status` narrows `body` to that status's schema. Each function's
 * types (`…Result`, `…Body`, `…Options`) are written out for its operation,
 * since tsc instantiating the generic ones for every function was most of its
 * work on a large output. The code the functions share is `operation.ts`,
 * copied from a linted source file.
 */
export const operations: Transform = (model) => {
  if (model.operations.length === 0) return {};
  // Each function reads its own entry, not the table: importing one function bundles one entry
  // (the table is only kept when it is imported itself).
  const table = objectLiteral(model.operations.map((op): [string, string] => [op.name, entryName(op)]));
  // The runtime's generic types each function falls back on (see resultType and bodyType).
  const generics = new Set<string>();
  const functions = model.operations.flatMap((op) => operationFunction(model, op, generics));
  const types = [...generics, "OperationEntry", "OperationInit"].sort().map((name) => `type ${name}`);
  return {
    "operation.ts": readFileSync(OPERATION_RUNTIME_FILE, "utf8"),
    "operations.ts": printModule([
      `import type { Client } from "openapi-fetch";`,
      `import { callOperation, ${types.join(", ")} } from "./operation.js";`,
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
      ...functions,
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

/** An operation's types and function; `generics` collects the runtime's generic types they use. */
function operationFunction(model: SpecModel, op: Operation, generics: Set<string>): StatementList {
  const opType = `paths[${literal(op.path)}][${literal(op.method)}]`;
  const base = pascalCase(op.name);
  const resultName = model.names.claim(`${base}Result`);
  const requestBody = requestBodyOf(model, op);
  // As text, as the function below is: ts-morph would indent a type's later lines once more.
  const statements: StatementList = [
    [
      `/** What {@link ${op.name}} resolves with: narrow it on \`status\`. */`,
      `${unionType(`export type ${resultName} = `, resultType(model, op, opType, generics))};`,
    ].join("\n"),
  ];
  const bodyName = requestBody ? model.names.claim(`${base}Body`) : undefined;
  if (requestBody && bodyName) {
    statements.push(
      [
        `/** The request body of {@link ${op.name}}. */`,
        `${unionType(`export type ${bodyName} = `, bodyType(requestBody, opType, generics))};`,
      ].join("\n"),
    );
  }
  const paramsRequired = requiresParams(model, op);
  const optionsRequired = paramsRequired || requestBody?.required === true;
  // openapi-fetch's `FetchOptions<Op>` as its parts: params and body written out here, as required
  // as openapi-fetch makes them, beside the options that are the same for every operation
  // (`OperationInit` says why). The body by its name: a wrong body's compile error then names the
  // schema's variants, where openapi-fetch's own option type prints the whole expanded union.
  const optionsName = model.names.claim(`${base}Options`);
  const body = bodyName ? `body${requestBody?.required === true ? "" : "?"}: ${bodyName}` : "body?: never";
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

/**
 * The members of `OperationResult<Op>` written out, one a response: its status (any, for
 * `default` or a range such as `5XX`) and its body read from `paths` by media type, or
 * `undefined` without content. The same type, but tsc instantiates no mapped type for each
 * function (with the generic bodies, 22,000 of the 24,700 instantiations tsc made for the
 * Stripe-sized output's operations.ts once the options were written out). The generic where
 * there is nothing to write out, a response does not resolve or `responses` holds an
 * extension. A property test holds the two equal.
 */
function resultType(model: SpecModel, op: Operation, opType: string, generics: Set<string>): string[] {
  const responses = Object.entries(op.operation.responses ?? {}).map(([code, response]) => ({
    code,
    response: model.resolve<unknown>(response),
  }));
  const odd = ({ code, response }: (typeof responses)[number]) => code.startsWith("x-") || !isRecord(response);
  if (responses.length === 0 || responses.some(odd)) {
    generics.add("OperationResult");
    return [`OperationResult<${opType}>`];
  }
  return responses.map(({ code, response }) => {
    const key = keyLiteral(code);
    // openapi-typescript writes a status as a numeric key, anything else as a string one.
    const status = key === code ? code : "number";
    // openapi-typescript writes an empty `content` as none (`content?: never`).
    const media = isRecord(response) && isRecord(response.content) ? Object.keys(response.content) : [];
    const body =
      media.length === 0
        ? "undefined"
        : media.map((type) => `${opType}["responses"][${key}]["content"][${literal(type)}]`).join(" | ");
    return `{ status: ${status}; body: ${body}; response: Response }`;
  });
}

/**
 * `OperationBody<Op>` written out, for the reason `resultType` gives: the body under each media
 * type, read from `paths` (through `NonNullable` when the body is optional, as its key is).
 */
function bodyType(requestBody: RequestBodyObject, opType: string, generics: Set<string>): string[] {
  const media = isRecord(requestBody.content) ? Object.keys(requestBody.content) : [];
  if (media.length === 0) {
    generics.add("OperationBody");
    return [`OperationBody<${opType}>`];
  }
  const body = requestBody.required === true ? `${opType}["requestBody"]` : `NonNullable<${opType}["requestBody"]>`;
  return media.map((type) => `${body}["content"][${literal(type)}]`);
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
