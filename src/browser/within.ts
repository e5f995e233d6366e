import { PlugError, type PlugErrorCode } from "./plug-error.js";

/** `promise`, unless `ms` pass first: then a PlugError with `code` saying `what` did not happen in time. */
export function within<T>(promise: Promise<T>, ms: number, code: PlugErrorCode, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new PlugError(code, `${what} within ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}
