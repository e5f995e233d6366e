import { PlugError } from "./plug-error.js";
import type { PlugSDK } from "./types.js";

export interface LoadPlugSdkOptions {
  /** @default "https://plug-platform.devrev.ai/static/plug.js" */
  src?: string;
  /** For pages with a Content-Security-Policy nonce. */
  nonce?: string;
  /** @default 10000 @unit milliseconds */
  timeoutMs?: number;
}

let loading: Promise<PlugSDK> | undefined;

/**
 * Adds the PLuG script once and resolves with `window.plugSDK`. Concurrent
 * callers share one load; after a failure (load error or timeout) the next
 * call tries again. Nothing runs at import time, so this is safe under SSR.
 */
export function loadPlugSdk({
  src = "https://plug-platform.devrev.ai/static/plug.js",
  nonce,
  timeoutMs = 10_000,
}: LoadPlugSdkOptions = {}): Promise<PlugSDK> {
  if (typeof window === "undefined")
    return Promise.reject(new PlugError("load_failed", "the PLuG SDK needs a browser"));
  if (window.plugSDK) return Promise.resolve(window.plugSDK);
  loading ??= new Promise<PlugSDK>((resolve, reject) => {
    const script = document.createElement("script");
    const fail = (code: "load_failed" | "load_timeout", message: string) => {
      clearTimeout(timer);
      script.remove();
      loading = undefined;
      reject(new PlugError(code, message));
    };
    const timer = setTimeout(
      () => fail("load_timeout", `the PLuG SDK did not load from ${src} within ${timeoutMs} ms`),
      timeoutMs,
    );
    script.onload = () => {
      clearTimeout(timer);
      if (window.plugSDK) resolve(window.plugSDK);
      else fail("load_failed", `${src} loaded but did not define window.plugSDK`);
    };
    script.onerror = () => fail("load_failed", `could not load the PLuG SDK from ${src}`);
    script.async = true;
    if (nonce) script.nonce = nonce;
    script.src = src;
    document.head.append(script);
  });
  return loading;
}
