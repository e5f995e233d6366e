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

/** The URL of the script being loaded; it stays while in flight, even past a caller's timeout. */
let pendingSrc: string | undefined;
let pending: Promise<PlugSDK>;

/**
 * Adds the PLuG script once and resolves with `window.plugSDK`. Concurrent
 * callers share one load. A timeout rejects the caller but leaves the script
 * loading (a script element cannot be called back), so a retry from the same
 * URL waits for that script instead of adding a second copy; after a load
 * error the next call tries afresh. Nothing runs at import time, so this is safe under SSR.
 */
export async function loadPlugSdk({
  src = BROWSER_DEFAULTS.sdkSrc,
  nonce,
  trustedTypesPolicy,
  timeoutMs = BROWSER_DEFAULTS.loadTimeoutMs,
}: LoadPlugSdkOptions = {}): Promise<PlugSDK> {
  if (typeof window === "undefined") throw new PlugError("load_failed", "the PLuG SDK needs a browser");
  if (window.plugSDK) return window.plugSDK;
  // The same URL waits for the script already loading; another URL is the caller's choice to load instead.
  if (pendingSrc !== src) {
    checkScriptUrl(src);
    const script = document.createElement("script");
    try {
      // Under `require-trusted-types-for 'script'` a plain string throws here, at once.
      (script as { src: unknown }).src = trustedTypesPolicy ? trustedTypesPolicy.createScriptURL(src) : src;
    } catch (error) {
      throw asPlugError(error, "load_failed", "pass sdk.trustedTypesPolicy");
    }
    if (nonce) script.nonce = nonce;
    pendingSrc = src;
    pending = new Promise((resolve, reject) => {
      // A script that fails, or loads but defines no plugSDK, is removed and forgotten, so a
      // retry starts clean.
      script.onload = script.onerror = () => {
        if (window.plugSDK) return resolve(window.plugSDK);
        script.remove();
        if (pendingSrc === src) pendingSrc = undefined;
        reject(new PlugError("load_failed", `the PLuG SDK did not load from ${src}`));
      };
      document.head.append(script);
    });
  }
  return within(pending, timeoutMs, "load_timeout", `the PLuG SDK did not load from ${src}`);
}

/**
 * Only `https:`, or `http:` on loopback: anything else would let a network
 * attacker run code in the page. The parsed origin is compared, and a URL
 * whose text does not start with its origin (user-info, or no origin at all)
 * is refused, so `http://localhost:1@evil.example/` cannot pass for loopback.
 * The URL is not echoed: it could carry a password into messages and logs.
 */
function checkScriptUrl(src: string): void {
  let url: URL | undefined;
  try {
    url = new URL(src, location.href);
  } catch {}
  if (
    !(url?.href.startsWith(url.origin) && /^(https:|http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:|$))/.test(url.origin))
  ) {
    throw new PlugError(
      "invalid_options",
      "the PLuG SDK must load over https: (or http: on loopback), without user-info",
    );
  }
}
