import { StructureKind } from "ts-morph";
import { jsDoc, literal, NameRegistry, objectLiteral, pascalCase } from "../naming.js";
import { docsOf, isStringEnum, type SpecModel, type StatementList } from "../spec-model.js";

/**
 * For each string enum schema, a frozen object of its values and a type of the
 * same name (`GrantType.TokenIssue`, `GrantType`), which TypeScript enums would
 * not give: these are plain string literals, assignable both ways.
 */
export function enumConstants(model: SpecModel): StatementList {
  const statements: StatementList = [];
  for (const { name, schema } of model.schemas) {
    if (!isStringEnum(schema)) continue;
    const keys = memberNames(schema.enum, schema["x-enum-varnames"]);
    const members = schema.enum.map((value, i): [string, string] => [keys[i] as string, literal(value)]);
    statements.push(`${jsDoc(docsOf(schema))}\nexport const ${name} = ${objectLiteral(members)} as const;`, {
      kind: StructureKind.TypeAlias,
      isExported: true,
      name,
      type: `(typeof ${name})[keyof typeof ${name}]`,
      docs: docsOf(schema),
    });
  }
  return statements;
}

/**
 * Member names come from `x-enum-varnames` when the spec gives a valid list;
 * otherwise from each value minus the prefix all values share, so
 * `urn:…:token-type:aat` becomes `Aat`.
 */
export function memberNames(values: string[], varnames: unknown): string[] {
  if (
    Array.isArray(varnames) &&
    varnames.length === values.length &&
    varnames.every((n) => typeof n === "string" && /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(n)) &&
    new Set(varnames).size === varnames.length
  ) {
    return varnames as string[];
  }
  const split = values.map((value) => value.split(/[^A-Za-z0-9]+/).filter(Boolean));
  const shared = commonPrefixLength(split);
  const names = new NameRegistry();
  return split.map((words) => names.claim(words.length > shared ? pascalCase(words.slice(shared).join(" ")) : "Empty"));
}

function commonPrefixLength(lists: string[][]): number {
  const [first = []] = lists;
  let n = 0;
  // Keep at least one word of the shortest value so no member is left unnamed.
  const limit = Math.min(...lists.map((words) => words.length)) - 1;
  while (n < limit && lists.every((words) => words[n] === first[n])) n++;
  return Math.max(n, 0);
}
