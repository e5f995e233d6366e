import type { RevInfo } from "../../generated/index.js";
import { SubjectTokenType } from "../../generated/index.js";
import type { ValidationIssue } from "./errors.js";

// The same rules as the spec's schemas, checked before a request leaves, so a
// mistake names the field instead of coming back as DevRev's first 400.
const E164 = /^\+[1-9][0-9]{1,14}$/;
const BARE_DOMAIN =
  /^(?!www\.)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const SUBJECT_TOKEN_TYPES = new Set<unknown>(Object.values(SubjectTokenType));

/** Every problem with a `rev_info` object, with dotted field paths under `prefix`. */
export function revInfoIssues(revInfo: unknown, prefix = "rev_info"): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const add = (field: string, message: string) => issues.push({ field: `${prefix}${field}`, message });
  if (!isRecord(revInfo)) {
    add("", "must be an object");
    return issues;
  }
  const info = revInfo as Partial<Record<keyof RevInfo, unknown>>;
  if (typeof info.user_ref !== "string" || info.user_ref.trim() === "") add(".user_ref", "must be a non-empty string");
  for (const key of ["user_id", "account_ref", "workspace_ref", "org_ref"] as const) {
    if (info[key] !== undefined && (typeof info[key] !== "string" || info[key] === "")) {
      add(`.${key}`, "must be a non-empty string when given");
    }
  }
  const user = objectAt(info.user_traits, ".user_traits", add);
  if (user) {
    if (user.email !== undefined && (typeof user.email !== "string" || !EMAIL.test(user.email))) {
      add(".user_traits.email", "must be an email address such as ada@example.com");
    }
    phoneIssues(user.phone_numbers, ".user_traits.phone_numbers", add);
  }
  const account = objectAt(info.account_traits, ".account_traits", add);
  if (account && account.domains !== undefined) {
    if (!Array.isArray(account.domains)) add(".account_traits.domains", "must be an array of domain names");
    else {
      account.domains.forEach((domain, i) => {
        if (typeof domain !== "string" || !BARE_DOMAIN.test(domain)) {
          add(`.account_traits.domains[${i}]`, "must be a bare domain such as devrev.ai (no scheme, path or www.)");
        }
      });
    }
  }
  for (const key of ["workspace_traits", "org_traits"] as const) {
    const traits = objectAt(info[key], `.${key}`, add);
    if (traits) phoneIssues(traits.phone_numbers, `.${key}.phone_numbers`, add);
  }
  return issues;
}

export function subjectTokenIssues(subjectToken: unknown, subjectTokenType: unknown): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (typeof subjectToken !== "string" || subjectToken.trim() === "") {
    issues.push({ field: "subject_token", message: "must be a non-empty string" });
  }
  if (subjectTokenType !== undefined && !SUBJECT_TOKEN_TYPES.has(subjectTokenType)) {
    issues.push({ field: "subject_token_type", message: "must be one of the SubjectTokenType URNs" });
  }
  return issues;
}

export function lifetimeIssues(expiresInMinutes: unknown): ValidationIssue[] {
  if (expiresInMinutes === undefined) return [];
  return Number.isInteger(expiresInMinutes) && (expiresInMinutes as number) >= 0 && (expiresInMinutes as number) <= 1440
    ? []
    : [{ field: "expires_in_mins", message: "must be a whole number of minutes from 0 to 1440" }];
}

function phoneIssues(value: unknown, field: string, add: (field: string, message: string) => void): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) return add(field, "must be an array of phone numbers");
  value.forEach((phone, i) => {
    if (typeof phone !== "string" || !E164.test(phone))
      add(`${field}[${i}]`, "must be in E.164 form such as +911122334455");
  });
}

function objectAt(
  value: unknown,
  field: string,
  add: (field: string, message: string) => void,
): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  if (isRecord(value)) return value;
  add(field, "must be an object");
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
