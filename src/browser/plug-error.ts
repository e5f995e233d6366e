/** What went wrong, for code that handles each case. */
export type PlugErrorCode =
  | "invalid_options"
  | "load_failed"
  | "load_timeout"
  | "ready_timeout"
  | "session_failed"
  | "sdk_failed"
  | "logged_out";

/**
 * The one error the browser helper throws; `code` says which step failed,
 * `cause` what failed under it. `logged_out`: a method of a handle that was
 * logged out (it never reaches the SDK; `initPlug` gives a live one).
 */
export class PlugError extends Error {
  override name = "PlugError";

  constructor(
    readonly code: PlugErrorCode,
    message: string,
    /** The token endpoint's HTTP status, for `session_failed`. */
    readonly status?: number,
    /** The token endpoint's JSON body, for `session_failed` (such as `{ error, issues }`). */
    readonly body?: unknown,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** `error` if it is a PlugError already, else a PlugError with `code` and `message` whose cause it is. */
export function asPlugError(error: unknown, code: PlugErrorCode, message: string): PlugError {
  return error instanceof PlugError
    ? error
    : new PlugError(code, error instanceof Error ? `${message}: ${error.message}` : message, undefined, undefined, {
        cause: error,
      });
}
