import type { PrismHttpComponents } from "@stoplight/prism-http";
import mocker from "@stoplight/prism-http/dist/mocker/index.js";
import router from "@stoplight/prism-http/dist/router/index.js";

// Prism's default components, which its package index does not export. The
// modules are CommonJS with `exports.default`: Node's ESM loader sees that as
// a property of the default import, bundlers and vitest unwrap it.
function unwrap<F>(module: unknown): F {
  return (typeof module === "function" ? module : (module as { default: F }).default) as F;
}

/** Prism's mocker: negotiates the status and example for a routed, validated request. */
export const prismMock = unwrap<PrismHttpComponents["mock"]>(mocker);
/** Prism's router: finds the operation for a request, or says why none matches. */
export const prismRoute = unwrap<PrismHttpComponents["route"]>(router);
