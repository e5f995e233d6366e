import type { ErrorBadRequest, JsonType, ValidationIssue } from "../generated/index.js";

/**
 * DevRev's 400 for the first thing wrong with a body, from the same issues
 * the client's `ValidationError` lists: the specific `type`, its required
 * extras, and `field_name` as the issue's path (`rev_info.user_traits.email`).
 * The issue's message, the spec's sentence for the rule, is in `detail` (or
 * `reason`) after the path, as the client's error and the handler's 400 show it.
 */
export function badRequestFor(issue: ValidationIssue | undefined, body: unknown): ErrorBadRequest {
  if (issue === undefined || issue.path === "") {
    return {
      type: "bad_request",
      message: issue ? `The request body ${issue.message}.` : "The request body does not match any accepted form.",
    };
  }
  const field = issue.path;
  const detail = `${field} ${issue.message}`;
  switch (issue.keyword) {
    case "required":
      return { type: "missing_required_field", message: `missing required field: ${field}`, detail, field_name: field };
    case "enum":
    case "const": {
      const allowed = issue.keyword === "enum" ? issue.params.allowedValues : [issue.params.allowedValue];
      return {
        type: "invalid_enum_value",
        message: `invalid enum value for field: ${field}`,
        detail,
        field_name: field,
        value: asText(valueAt(body, field)),
        allowed_values: Array.isArray(allowed) ? allowed.map(asText) : [],
      };
    }
    case "type":
      return {
        type: "unexpected_json_type",
        message: `unexpected JSON type for field: ${field}`,
        detail,
        field_name: field,
        actual: jsonTypeOf(valueAt(body, field)),
        expected: expectedJsonType(issue.params.type),
      };
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum":
    case "multipleOf":
      return {
        type: "value_not_permitted",
        message: `value not permitted for field: ${field}`,
        field_name: field,
        reason: `${field} ${issue.message}`,
      };
    default:
      // Patterns, lengths, fields not allowed in this form: DevRev's catch-all for a field.
      return { type: "invalid_field", message: `invalid field: ${field}`, detail, field_name: field };
  }
}

/** DevRev's 400 for a body sent as something other than JSON (`text/plain`, a form). */
export function invalidContentType(received: string): ErrorBadRequest {
  const value = received.split(";")[0]?.trim() || "(none)";
  return { type: "invalid_content_type", message: `unsupported content type: ${value}`, value };
}

function asText(value: unknown): string {
  return typeof value === "string" ? value : (JSON.stringify(value) ?? String(value));
}

function jsonTypeOf(value: unknown): JsonType {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  switch (typeof value) {
    case "boolean":
      return "bool";
    case "number":
    case "bigint":
      return "number";
    case "string":
      return "string";
    default:
      return "object";
  }
}

/** Ajv names the expected type (`integer`, `boolean`, or a list such as `string,null`); DevRev uses its JSON names. */
function expectedJsonType(type: unknown): JsonType {
  const first = String(type).split(",")[0];
  if (first === "integer" || first === "number") return "number";
  if (first === "boolean") return "bool";
  if (first === "array" || first === "null" || first === "string") return first;
  return "object";
}

/** The value at a field path as issues print it: `a.b[0]["odd key"]`. */
function valueAt(root: unknown, path: string): unknown {
  let value = root;
  for (const [, name, index, quoted] of path.matchAll(/\.?([A-Za-z_$][\w$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g)) {
    const key = name ?? index ?? (JSON.parse(quoted as string) as string);
    value = typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  }
  return value;
}
