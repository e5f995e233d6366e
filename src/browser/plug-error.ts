/** What went wrong, for code that handles each case. */
export type PlugErrorCode = "load_failed" | "load_timeout" | "ready_timeout" | "session_failed";

/** The one error the browser helper throws; `code` says which step failed. */
export class PlugError extends Error {
  override name = "PlugError";

  constructor(
    readonly code: PlugErrorCode,
    message: string,
    /** The token endpoint's HTTP status, for `session_failed`. */
    readonly status?: number,
    /** The token endpoint's JSON body, for `session_failed` (such as `{ error, issues }`). */
    readonly body?: unknown,
  ) {
    super(message);
  }
}
