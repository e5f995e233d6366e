// The validation runtime. The generator copies this file unchanged into every
// output folder (as `validation.ts`), where the Ajv code of `ajv-validators.js`
// and the typed validators of `validators.ts` import it. It is written, linted
// and type-checked here as ordinary source.
import ucs2lengthModule from "ajv/dist/runtime/ucs2length.js";

/**
 * Ajv's runtime helper for string lengths, which its standalone code calls. A CommonJS
 * module with `exports.default`: Node's ESM loader hands over the whole `module.exports`,
 * bundlers hand over `default`; either way this finds the function.
 */
export const ucs2length = defaultExport<(text: string) => number>(ucs2lengthModule);

/**
 * Whether two JSON values are equal, for the `enum`, `const` and `uniqueItems` checks of Ajv's
 * code, in place of Ajv's own `equal` (fast-deep-equal), which calls an object's own `valueOf`
 * and `toString` when they are not Object.prototype's: a body such as `[{"valueOf": 1}, …]` made
 * it throw a TypeError, and a validator that throws answers 500 where 400 is due. Objects are
 * equal when they have one prototype and the same own keys with equal values; arrays, item by item.
 */
export function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) {
    // NaN equals NaN, as in Ajv's.
    return a !== a && b !== b;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => equal(item, b[i]));
  }
  // As Ajv's: an object made with another prototype (`Object.create(null)`) is another value.
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  return keys.every((key) => Object.hasOwn(y, key) && equal(x[key], y[key]));
}

function defaultExport<F>(module: unknown): F {
  const inner = (module as { default?: unknown }).default;
  return (typeof module === "function" ? module : typeof inner === "function" ? inner : undefined) as F;
}

/** One way a value breaks its schema. */
export interface ValidationIssue {
  /** Where, as a field path such as `rev_info.user_traits.phone_numbers[0]`; `""` for the value itself. */
  path: string;
  /**
   * What is wrong, worded to follow the path: the spec's sentence for the rule
   * (its `x-messages`), such as `must be a bare domain such as acme.example`, or
   * else the generator's default words, such as `is required` or `must be string`.
   */
  message: string;
  /** The JSON Schema keyword that failed, such as `required`, `type`, `enum` or `pattern`. */
  keyword: string;
  /** The keyword's details, as Ajv reports them (`allowedValues`, `type`, `pattern`, `limit`...). */
  params: Readonly<Record<string, unknown>>;
}

export type ValidationResult<T> = { valid: true; value: T } | { valid: false; issues: ValidationIssue[] };

/**
 * The most issues a validator lists. A value with more gets the first ones
 * and one last issue saying so (keyword `maxIssues`), so an error message or
 * a 400 built from them stays small however bad the value is.
 */
export const MAX_ISSUES = 100;

/** The issue that ends a list cut at MAX_ISSUES. */
function moreIssues(): ValidationIssue {
  return {
    path: "",
    message: `has more problems than the ${MAX_ISSUES} listed`,
    keyword: "maxIssues",
    params: { limit: MAX_ISSUES },
  };
}

/** Checks a value against one schema of the spec and says exactly what is wrong. */
export type Validator<T> = (value: unknown) => ValidationResult<T>;

/** What Ajv's standalone code exports for each schema. */
export interface AjvValidate {
  (data: unknown): boolean;
  errors?: AjvError[] | null;
}

interface AjvError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

/** One named member of a `oneOf`/`anyOf` schema, as the generator describes it. */
export interface UnionMember {
  name: string;
  validate: AjvValidate;
  /** The top-level properties the member declares. */
  keys: readonly string[];
  /**
   * The top-level properties that tell this member from its siblings, with the
   * values the member allows there (`const`, `enum`, or none for `false`).
   */
  tags: Readonly<Record<string, readonly unknown[]>>;
}

/**
 * A validator over an Ajv function. Whether a value is valid is always Ajv's
 * answer, the same engine and options the mock's Prism uses. For a union of
 * named members, the issues are those of the member the value is trying to
 * be (the one whose tags it matches and whose keys it uses most), rather than
 * every member's failures at once.
 */
export function validator<T>(validate: AjvValidate, members: readonly UnionMember[] = []): Validator<T> {
  return (value) => {
    if (validate(value)) return { valid: true, value: value as T };
    const issues = members.length > 0 ? unionIssues(value, members) : undefined;
    return { valid: false, issues: issues ?? issuesOf(validate.errors) };
  };
}

function unionIssues(value: unknown, members: readonly UnionMember[]): ValidationIssue[] | undefined {
  const passing = members.filter((member) => member.validate(value));
  if (passing.length > 1) {
    const names = passing.map((member) => member.name).join(", ");
    return [{ path: "", message: `matches more than one form: ${names}`, keyword: "oneOf", params: {} }];
  }
  if (passing.length === 1 || !isRecord(value)) return undefined;

  let best: { member: UnionMember; errors: AjvError[]; rank: number[] } | undefined;
  for (const member of members) {
    member.validate(value);
    const errors = member.validate.errors ?? [];
    const fits = errors.some((error) => isTagMismatch(error, member)) ? 0 : 1;
    const used = Object.keys(value).filter((key) => member.keys.includes(key)).length;
    const rank = [fits, used, -errors.length];
    if (!best || isGreater(rank, best.rank)) best = { member, errors, rank };
  }
  if (!best) return undefined;
  const { member, errors } = best;
  // When no member's tags fit, a mismatched tag is reported with every value any member allows there.
  const merged = new Set<string>();
  const issues: ValidationIssue[] = [];
  for (const error of errors) {
    const key = isTagMismatch(error, member) ? topLevelKey(error) : undefined;
    if (key === undefined) {
      issues.push(issueOf(error));
    } else if (!merged.has(key)) {
      merged.add(key);
      issues.push(tagIssue(error, key, [...new Set(members.flatMap((m) => m.tags[key] ?? []))]));
    }
  }
  return issues.length > MAX_ISSUES ? [...issues.slice(0, MAX_ISSUES), moreIssues()] : issues;
}

/**
 * A tag no member takes, with every value the members allow there: in the member's own words
 * when its rule already allows them all (the spec's sentence for it), else in the runtime's.
 */
function tagIssue(error: AjvError, key: string, allowedValues: unknown[]): ValidationIssue {
  const own = error.keyword === "enum" ? error.params.allowedValues : undefined;
  if (Array.isArray(own) && allowedValues.length > 0 && allowedValues.every((value) => own.includes(value)))
    return issueOf(error);
  if (allowedValues.length === 0) return { path: key, message: "is not allowed here", keyword: "not", params: {} };
  const message = `must be one of: ${allowedValues.join(", ")}`;
  return { path: key, message, keyword: "enum", params: { allowedValues } };
}

function isTagMismatch(error: AjvError, member: UnionMember): boolean {
  const key = topLevelKey(error);
  return (
    key !== undefined &&
    Object.hasOwn(member.tags, key) &&
    (error.keyword === "const" || error.keyword === "enum" || error.keyword === "false schema")
  );
}

/** The property a top-level error is about, if it is about one. */
function topLevelKey(error: AjvError): string | undefined {
  const tokens = pointerTokens(error.instancePath);
  return tokens.length === 1 ? tokens[0] : undefined;
}

function isGreater(a: number[], b: number[]): boolean {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x > y;
  }
  return false;
}

/** Ajv's errors as issues, at most MAX_ISSUES of them, leaving out the summary a failed union adds after its members' errors. */
export function issuesOf(errors: readonly AjvError[] | null | undefined): ValidationIssue[] {
  const all = errors ?? [];
  const detailed = all.filter((error) => error.keyword !== "oneOf" && error.keyword !== "anyOf");
  const seen = new Set<string>();
  const issues: ValidationIssue[] = [];
  for (const error of detailed.length > 0 ? detailed : all) {
    const issue = issueOf(error);
    const key = `${issue.path}\0${issue.message}`;
    if (seen.has(key)) continue;
    if (issues.length === MAX_ISSUES) {
      issues.push(moreIssues());
      break;
    }
    seen.add(key);
    issues.push(issue);
  }
  return issues;
}

function issueOf(error: AjvError): ValidationIssue {
  const tokens = pointerTokens(error.instancePath);
  const { keyword, params } = error;
  const child = keyword === "required" ? params.missingProperty : params.additionalProperty;
  if (typeof child === "string") tokens.push(child);
  return { path: fieldPath(tokens), message: messageOf(error), keyword, params };
}

/**
 * The generator writes each error's words into Ajv's code (the spec's
 * `x-messages` sentence, or its own default), so they are used as they are;
 * only a `false` schema's error has words no schema can give.
 */
function messageOf({ keyword, message }: AjvError): string {
  if (keyword === "false schema") return "is not allowed here";
  return message ?? `breaks the schema's \`${keyword}\` rule`;
}

function pointerTokens(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((token) => token.replaceAll("~1", "/").replaceAll("~0", "~"));
}

/** `["rev_info", "user_traits", "phone_numbers", "0"]` -> `rev_info.user_traits.phone_numbers[0]`. */
export function fieldPath(tokens: readonly string[]): string {
  let path = "";
  for (const token of tokens) {
    if (/^(?:0|[1-9][0-9]*)$/.test(token)) path += `[${token}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(token)) path += path === "" ? token : `.${token}`;
    else path += `[${JSON.stringify(token)}]`;
  }
  return path;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
