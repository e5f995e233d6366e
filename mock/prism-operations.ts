import { createRequire } from "node:module";
import type { IHttpOperation } from "@stoplight/types";
import { findOutsideRef } from "../scripts/spec-reader/load-spec.js";

// Prism's own modules, found from Prism, as its `getHttpOperationsFromSpec` finds them.
const prismRequire = createRequire(createRequire(import.meta.url).resolve("@stoplight/prism-http"));

/**
 * Prism's `getHttpOperationsFromSpec` for an OpenAPI 3 document already read
 * by the loader, with one difference: its resolver follows no external `$ref`
 * (Prism's would read any file or fetch any URL a `$ref` names, in an example
 * or an extension too). The loader removes or refuses every such `$ref`; this
 * checks again and configures the resolver so, a second wall.
 */
export async function httpOperations(document: object): Promise<IHttpOperation[]> {
  const outside = findOutsideRef(document);
  if (outside !== undefined) throw new Error(`a $ref leaves the spec (at ${outside})`);
  const RefParser = prismRequire("@stoplight/json-schema-ref-parser") as new () => {
    dereference(document: object, options: object): Promise<object>;
  };
  const { decycle, bundleTarget } = prismRequire("@stoplight/json") as typeof import("@stoplight/json");
  const { transformOas3Operations } = prismRequire(
    "@stoplight/http-spec/oas3/operation",
  ) as typeof import("@stoplight/http-spec/oas3/operation");
  const resolved = decycle(await new RefParser().dereference(document, { resolve: { external: false } }));
  return transformOas3Operations(resolved as Parameters<typeof transformOas3Operations>[0]).map(
    (operation) =>
      bundleTarget({
        document: { ...(resolved as object), __target__: operation },
        path: "#/__target__",
        cloneDocument: false,
      }) as IHttpOperation,
  );
}
