// The operations runtime. The generator copies this file unchanged into every
// output folder (as `operation.ts`), where the functions of `operations.ts`
// call it and from which `operations.ts` re-exports the public types. It is
// written, linted and type-checked here as ordinary source.
import type { BodySerializer, Client, FetchOptions, QuerySerializer, QuerySerializerOptions } from "openapi-fetch";

/** How the generated functions find an operation: one row of the output's `operationTable`. */
export interface OperationEntry {
  readonly operationId?: string;
  readonly method: "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace";
  readonly path: string;
  readonly statuses: readonly number[];
  /** True when the spec has `default` or a range such as `5XX` (or no responses at all), so any status is documented. */
  readonly anyStatus: boolean;
}

type ResponsesOf<Op> = Op extends { responses: infer R } ? R : never;
type BodyOf<R> = R extends { content: infer C }
  ? C extends Record<string, unknown>
    ? C[keyof C]
    : undefined
  : undefined;
type StatusOf<K> = K extends number ? K : K extends `${infer N extends number}` ? N : number;

/** The outcome of an operation: one member per documented status. Narrow it on `status`. */
export type OperationResult<Op> = {
  [K in keyof ResponsesOf<Op>]: {
    status: StatusOf<K>;
    /** The parsed JSON body (a string when the body is not JSON; undefined when empty). */
    body: BodyOf<ResponsesOf<Op>[K]>;
    response: Response;
  };
}[keyof ResponsesOf<Op>];

type ContentOf<Op> = Op extends { requestBody?: { content: infer C } } ? C : never;

/** The request body an operation takes, under whichever media type the spec gives it. */
export type OperationBody<Op> = ContentOf<Op>[keyof ContentOf<Op>];

/**
 * openapi-fetch's per-request options for the operation `Op` (its `FetchOptions<Op>`) without
 * `params` and `body`, which each generated function's own option type adds as the operation
 * takes them. Built on `FetchOptions<unknown>`, which tsc works out once for the whole output,
 * where `FetchOptions<Op>`'s conditional types were worked out again for every function (most
 * of tsc's work on a large output); only the two serializers, which take the operation's query
 * and body, depend on `Op`, and an interface's members are worked out only where a caller uses them.
 */
export interface OperationInit<Op>
  extends Omit<FetchOptions<unknown>, "params" | "body" | "querySerializer" | "bodySerializer"> {
  querySerializer?: QuerySerializer<Op> | QuerySerializerOptions;
  bodySerializer?: BodySerializer<Op>;
}

/** Thrown when the server answers with a status the spec does not document for the operation. */
export class UndeclaredStatusError extends Error {
  readonly status: number;
  /** The parsed JSON body (a string when the body is not JSON; undefined when empty). */
  readonly body: unknown;
  readonly response: Response;

  constructor(entry: OperationEntry, response: Response, body: unknown) {
    super(`${entry.method.toUpperCase()} ${entry.path} answered ${response.status}, which the spec does not document`);
    // Set here, not as an `override` field: on very large outputs tsc can lose track of the base class there.
    this.name = "UndeclaredStatusError";
    this.status = response.status;
    this.body = body;
    this.response = response;
  }
}

/**
 * Sends one operation through an openapi-fetch client and answers with its
 * status, parsed body and response, or throws `UndeclaredStatusError`. Each
 * generated function's own signature carries the operation's precise types.
 */
export async function callOperation<Paths extends {}>(
  client: Client<Paths>,
  entry: OperationEntry,
  options: object = {},
): Promise<{ status: number; body: unknown; response: Response }> {
  // openapi-fetch's own generics cannot follow a method chosen at run time.
  const request = client.request as (
    method: string,
    path: string,
    options: object,
  ) => Promise<{ data?: unknown; error?: unknown; response: Response }>;
  const { data, error, response } = await request(entry.method, entry.path, options);
  const body = data ?? error;
  if (!entry.anyStatus && !entry.statuses.includes(response.status)) {
    throw new UndeclaredStatusError(entry, response, body);
  }
  return { status: response.status, body, response };
}
