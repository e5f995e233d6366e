import { BROWSER_DEFAULTS } from "./defaults.js";
import { asPlugError, PlugError } from "./plug-error.js";
import type { PlugSDK } from "./types.js";
import { within } from "./within.js";

/** The part of a Trusted Types policy `loadPlugSdk` uses. */
export interface ScriptUrlPolicy {
  createScriptURL(url: string): unknown;
}

export interface LoadPlugSdkOptions {
  /**
   * An `https:` URL, or `http:` on this machine (localhost, 127.0.0.1, [::1]) for the mock; never with user-info.
   * @default "https://plug-platform.devrev.ai/static/plug.js"
   */
  src?: string;
  /** For pages with a Content-Security-Policy nonce. */
  nonce?: string;
  /** For pages that require Trusted Types: the policy that vouches for `src`. */
  trustedTypesPolicy?: ScriptUrlPolicy;
  /** @default 10000 @unit milliseconds */
  timeoutMs?: number;
}

/** The script being loaded; it stays while in flight, even past a caller's timeout. */
let pending: { src: string; loaded: Promise<PlugSDK> } | undefined;

/**
 * Adds the PLuG script once and resolves with `window.plugSDK`. Concurrent
 * callers share one load. A timeout rejects the caller but leaves the script
 * loading (a script element cannot be called back), so a retry from the same
 * URL waits for that script instead of adding a second copy; after a load
 * error the next call tries afresh. Nothing runs at import time, so this is safe under SSR.
 */
export async function loadPlugSdk(options: LoadPlugSdkOptions = {}): Promise<PlugSDK> {
  const { src = BROWSER_DEFAULTS.sdkSrc, timeoutMs = BROWSER_DEFAULTS.loadTimeoutMs } = options;
  if (typeof window === "undefined") throw new PlugError("load_failed", "the PLuG SDK needs a browser");
  if (window.plugSDK) return window.plugSDK;
  checkScriptUrl(src);
  // The same URL waits for the script already loading; another URL is the caller's choice to load instead.
  if (pending?.src !== src) pending = { src, loaded: addScript(src, options) };
  return within(pending.loaded, timeoutMs, "load_timeout", `the PLuG SDK did not load from ${src}`);
}

/**
 * Only `https:`, or `http:` on loopback: anything else would let a network
 * attacker run code in the page. The parsed host is compared, and user-info is
 * refused, so `http://localhost:1@evil.example/` cannot pass for loopback.
 */
function checkScriptUrl(src: string): void {
  let url: URL | undefined;
  try {
    url = new URL(src, window.location.href);
  } catch {}
  // Not echoed: the URL would carry its password into messages and logs.
  if (url?.username || url?.password)
    throw new PlugError("invalid_options", "the PLuG SDK URL must not carry user-info");
  if (
    !url ||
    !(
      url.protocol === "https:" ||
      (url.protocol === "http:" && /^(localhost|127\.0\.0\.1|\[::1\])$/.test(url.hostname))
    )
  ) {
    throw new PlugError("invalid_options", `the PLuG SDK must load over https:, not from ${src}`);
  }
}

function addScript(src: string, { nonce, trustedTypesPolicy }: LoadPlugSdkOptions): Promise<PlugSDK> {
  const script = document.createElement("script");
  try {
    // Under `require-trusted-types-for 'script'` a plain string throws here, at once.
    (script as { src: unknown }).src = trustedTypesPolicy ? trustedTypesPolicy.createScriptURL(src) : src;
  } catch (error) {
    throw asPlugError(error, "load_failed", "script URL refused (pass sdk.trustedTypesPolicy)");
  }
  return new Promise<PlugSDK>((resolve, reject) => {
    const fail = (message: string) => {
      // A script that failed to load never runs: removing it and forgetting it lets a retry start clean.
      script.remove();
      if (pending?.src === src) pending = undefined;
      reject(new PlugError("load_failed", message));
    };
    script.onload = () => {
      if (window.plugSDK) resolve(window.plugSDK);
      else fail(`${src} loaded but did not define window.plugSDK`);
    };
    script.onerror = () => fail(`could not load the PLuG SDK from ${src}`);
    script.async = true;
    if (nonce) script.nonce = nonce;
    document.head.append(script);
  });
}
