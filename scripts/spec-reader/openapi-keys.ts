// What the keys of an OpenAPI document hold, for the walks over it that
// must tell a name from a schema from literal data: the loader's reference
// check and the multi-file reader.

/** Keys whose value is literal data (an example, a default, allowed values), never a place for `$ref`. */
export const LITERAL_VALUES = new Set(["example", "default", "const", "enum"]);
/** Keys whose value maps schema or property names to schemas: every key there is a name. */
export const SCHEMA_NAME_MAPS = new Set([
  "schemas",
  "properties",
  "patternProperties",
  "$defs",
  "definitions",
  "dependentSchemas",
]);
/** The keys of a path item that hold an operation: the HTTP methods OpenAPI 3 names, in its order. */
export const OPERATION_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;
export type OperationMethod = (typeof OPERATION_METHODS)[number];
/** Keys whose value maps names (paths, statuses, media types...) to objects, beside `x-` extensions. */
export const NAME_MAPS = new Set([
  ...["paths", "webhooks", "callbacks", "pathItems", "responses", "parameters", "requestBodies", "headers"],
  ...["securitySchemes", "links", "content", "encoding", "variables", "mapping", "scopes"],
]);
