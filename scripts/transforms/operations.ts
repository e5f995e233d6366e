import type { RequestBodyObject } from "openapi-typescript";
import { StructureKind } from "ts-morph";
import { isRecord } from "../load-spec.js";
import { literal, objectLiteral, pascalCase } from "../naming.js";
import { docsOf, type Operation, type SpecModel, type StatementList } from "../spec-model.js";

/**
 * The operation table (operationId -> method, path, statuses) and one typed
 * function per operation over an openapi-fetch client. A function's result is
 * a union with one member per documented status, so checking `status` narrows
 * `body` to that status's schema.
 */
export function operations(model: SpecModel): StatementList {
  if (model.operations.length === 0) return [];

  const table = objectLiteral(model.operations.map((op): [string, string] => [op.name, tableEntry(op)]));
  return [
    `import type { Client, FetchOptions } from "openapi-fetch";`,
    `import type { paths } from "./schema.js";`,
    OPERATION_RUNTIME,
    "/** Every operation of the spec by function name: its method, path and documented statuses. */",
    `export const operationTable = ${table} as const satisfies Record<string, OperationEntry>;`,
    ...model.operations.flatMap((op) => operationFunction(model, op)),
  ];
}

function tableEntry({ method, path, operation }: Operation): string {
  const codes = Object.keys(operation.responses ?? {});
  const statuses = codes.filter((code) => /^[1-5][0-9][0-9]$/.test(code)).map(Number);
  const success = statuses.find((status) => status >= 200 && status < 300) ?? null;
  // `default` and ranges such as `5XX` make every status a documented one; so does an operation
  // without `responses` (allowed in 3.1), which documents none.
  const anyStatus = codes.length === 0 || codes.some((code) => !/^[1-5][0-9][0-9]$/.test(code));
  const fields = [
    `method: ${literal(method)}`,
    `path: ${literal(path)}`,
    `successStatus: ${success}`,
    `statuses: [${statuses.join(", ")}]`,
    `anyStatus: ${anyStatus}`,
  ];
  if (operation.operationId) fields.unshift(`operationId: ${literal(operation.operationId)}`);
  return `{ ${fields.join(", ")} }`;
}

function operationFunction(model: SpecModel, op: Operation): StatementList {
  const opType = `paths[${literal(op.path)}][${literal(op.method)}]`;
  const base = pascalCase(op.name);
  const resultName = model.names.claim(`${base}Result`);
  const requestBody = model.resolve(op.operation.requestBody as RequestBodyObject | undefined);
  const { hasRequiredParams } = op;
  const docs = docsOf(op.operation);

  const statements: StatementList = [];
  statements.push({
    kind: StructureKind.TypeAlias,
    isExported: true,
    name: resultName,
    type: `OperationResult<${opType}>`,
    docs: [`What {@link ${op.name}} resolves with: narrow it on \`status\`.`],
  });

  const bodyFirst = isRecord(requestBody) && !hasRequiredParams;
  if (bodyFirst) {
    const bodyName = model.names.claim(`${base}Body`);
    const bodyType = `NonNullable<${opType}["requestBody"]>["content"][keyof NonNullable<${opType}["requestBody"]>["content"]]`;
    statements.push({
      kind: StructureKind.TypeAlias,
      isExported: true,
      name: bodyName,
      type: bodyType,
      docs: [`The request body of {@link ${op.name}}.`],
    });
    statements.push({
      kind: StructureKind.Function,
      isExported: true,
      name: op.name,
      parameters: [
        { name: "client", type: "Client<paths>" },
        {
          name: "body",
          type: requestBody.required ? bodyName : `${bodyName} | undefined`,
          hasQuestionToken: !requestBody.required,
        },
        { name: "init", type: `OperationInit<${opType}>`, hasQuestionToken: true },
      ],
      returnType: `Promise<${resultName}>`,
      statements: `return callOperation(client, operationTable.${op.name}, { ...init, body }) as Promise<${resultName}>;`,
      docs,
    });
    return statements;
  }
  statements.push({
    kind: StructureKind.Function,
    isExported: true,
    name: op.name,
    parameters: [
      { name: "client", type: "Client<paths>" },
      { name: "init", type: `FetchOptions<${opType}>`, hasQuestionToken: !hasRequiredParams },
    ],
    returnType: `Promise<${resultName}>`,
    statements: `return callOperation(client, operationTable.${op.name}, init ?? {}) as Promise<${resultName}>;`,
    docs,
  });
  return statements;
}

const OPERATION_RUNTIME = `/** How the generated functions find an operation: one row of {@link operationTable}. */
export interface OperationEntry {
    readonly operationId?: string;
    readonly method: "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace";
    readonly path: string;
    /** The first documented 2xx status, or null when none is documented. */
    readonly successStatus: number | null;
    readonly statuses: readonly number[];
    /** True when the spec has \`default\` or a range such as \`5XX\`, so any status is documented. */
    readonly anyStatus: boolean;
}

type ResponsesOf<Op> = Op extends { responses: infer R } ? R : never;
type BodyOf<R> = R extends { content: infer C } ? (C extends Record<string, unknown> ? C[keyof C] : undefined) : undefined;
type StatusOf<K> = K extends number ? K : K extends \`\${infer N extends number}\` ? N : number;

/** The outcome of an operation: one member per documented status. Narrow it on \`status\`. */
export type OperationResult<Op> = {
    [K in keyof ResponsesOf<Op>]: {
        status: StatusOf<K>;
        /** The parsed JSON body (a string when the body is not JSON; undefined when empty). */
        body: BodyOf<ResponsesOf<Op>[K]>;
        response: Response;
    };
}[keyof ResponsesOf<Op>];

/** openapi-fetch's per-request options for an operation, without the body. */
export type OperationInit<Op> = Omit<FetchOptions<Op>, "body">;

/** Thrown when the server answers with a status the spec does not document for the operation. */
export class UndeclaredStatusError extends Error {
    readonly status: number;
    /** The parsed JSON body (a string when the body is not JSON; undefined when empty). */
    readonly body: unknown;
    readonly response: Response;

    constructor(entry: OperationEntry, response: Response, body: unknown) {
        super(\`\${entry.method.toUpperCase()} \${entry.path} answered \${response.status}, which the spec does not document\`);
        // Set here, not as an \`override\` field: on very large outputs tsc can lose track of the base class there.
        this.name = "UndeclaredStatusError";
        this.status = response.status;
        this.body = body;
        this.response = response;
    }
}

async function callOperation(
    client: Client<paths>,
    entry: OperationEntry,
    init: object,
): Promise<{ status: number; body: unknown; response: Response }> {
    // The public signature of each operation function carries the precise types;
    // openapi-fetch's own generics cannot follow a method chosen at run time.
    const request = client.request as (method: string, path: string, init: object) => Promise<{ data?: unknown; error?: unknown; response: Response }>;
    const { data, error, response } = await request(entry.method, entry.path, init);
    const body = data ?? error;
    if (!entry.anyStatus && !entry.statuses.includes(response.status)) throw new UndeclaredStatusError(entry, response, body);
    return { status: response.status, body, response };
}`;
