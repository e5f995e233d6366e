/** Where a problem was found: a file, and in a spec the line and column (from 1). */
export interface ErrorLocation {
  file: string;
  line?: number;
  column?: number;
  /** JSON pointer of the offending node, when the problem is in the document. */
  pointer?: string;
}

/**
 * The one error the generator reports for bad input: a missing file, broken
 * YAML, a document that is not OpenAPI, an unresolvable reference. Its message
 * starts with `file:line:column` so editors and terminals can jump to it.
 */
export class GenerateError extends Error {
  override readonly name = "GenerateError";
  readonly location: ErrorLocation;
  /** A file the spec needs that is not there (the spec itself, or one a `$ref` names): `--watch` runs again when it appears. */
  readonly missing?: string;

  constructor(location: ErrorLocation, reason: string, options?: { cause?: unknown; missing?: string }) {
    super(`${formatLocation(location)}: ${reason}`, options);
    this.location = location;
    if (options?.missing !== undefined) this.missing = options.missing;
  }
}

function formatLocation({ file, line, column, pointer }: ErrorLocation): string {
  const at = line === undefined ? file : `${file}:${line}:${column ?? 1}`;
  return pointer ? `${at} (at ${pointer})` : at;
}

/**
 * A schema a pass cannot compile, found in a worker, which knows the document but not its
 * file: the main thread reports it as a GenerateError naming the file and `pointer`.
 */
export class SchemaError extends Error {
  override readonly name = "SchemaError";

  constructor(
    readonly pointer: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(reason, options);
  }
}
