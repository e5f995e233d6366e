import { readFile } from "node:fs/promises";
import { loadSpec } from "../spec-reader/load-spec.js";
import { compareDocuments, type Difference } from "./conformance-walk.js";

export { compareDocuments, type Difference };

/** A row of CONFORMANCE.md: a difference and what DevRev said when the row was written. */
export interface Row {
  id: string;
  /** The first code span of the "DevRev says" column, exactly as the check renders DevRev's value. */
  upstream: string;
}

export interface ConformanceReport {
  /** Differences CONFORMANCE.md does not list: DevRev changed, or we did without saying why. */
  unlisted: Difference[];
  /** Listed differences where DevRev now says something other than the row records. */
  changed: (Difference & { recorded: string })[];
  /** Rows of CONFORMANCE.md that no longer differ: the table is out of date. */
  stale: string[];
  all: Difference[];
}

/** Compares our spec with DevRev's document and judges the differences against CONFORMANCE.md. */
export async function checkConformance(options: {
  spec: string;
  upstream: string;
  conformance: string;
}): Promise<ConformanceReport> {
  const [ours, upstream, table] = await Promise.all([
    loadSpec(options.spec),
    loadSpec(options.upstream),
    readFile(options.conformance, "utf8"),
  ]);
  return judge(compareDocuments(ours.document, upstream.document), listedRows(table));
}

/**
 * Each difference must be listed with the value DevRev had when the row was
 * written; every row must still differ. A row below a location one side now
 * lacks is not called stale: the missing location is the one change to report.
 */
export function judge(all: Difference[], rows: Row[]): ConformanceReport {
  const recorded = new Map(rows.map((row) => [row.id, row.upstream]));
  const ids = new Set(all.map((d) => d.id));
  const absent = all.filter((d) => d.id.endsWith(" presence")).map((d) => d.id.slice(0, -" presence".length));
  const under = (id: string) => {
    const location = id.split(" ")[0] ?? id;
    return absent.some((at) => location === at || location.startsWith(`${at}.`) || location.startsWith(`${at}[`));
  };
  return {
    all,
    unlisted: all.filter((d) => !recorded.has(d.id)),
    changed: all.flatMap((d) => {
      const was = recorded.get(d.id);
      return was === undefined || was === d.upstream ? [] : [{ ...d, recorded: was }];
    }),
    stale: [...recorded.keys()].filter((id) => !ids.has(id) && !under(id)).sort(),
  };
}

/** The rows of CONFORMANCE.md's tables: `` | `request.x required` | `optional` | ... ``. */
export function listedRows(markdown: string): Row[] {
  const rows: Row[] = [];
  for (const line of markdown.split("\n")) {
    const cells = line.split(/(?<!\\)\|/).slice(1, -1);
    const id = /^\s*`([^`]+)`\s*$/.exec(cells[0] ?? "")?.[1];
    if (id === undefined) continue;
    const said = /`([^`]*)`/.exec(cells[1] ?? "")?.[1];
    // A row without a recorded value can match nothing, so it is reported, not skipped.
    rows.push({ id, upstream: said ?? `(no value recorded: ${(cells[1] ?? "").trim()})` });
  }
  return rows;
}

/** One line per problem, naming it: what `npm run conformance` prints. */
export function reportLines(report: ConformanceReport): string[] {
  return [
    ...report.unlisted.map((d) => `unlisted difference: \`${d.id}\`: DevRev says ${d.upstream}, we say ${d.ours}`),
    ...report.changed.map((d) =>
      isList(d.id)
        ? `DevRev changed \`${d.id}\` since the row was written: ${listChange(d.recorded, d.upstream)}`
        : `DevRev changed \`${d.id}\`: the row records ${d.recorded}, DevRev now says ${d.upstream} (we say ${d.ours})`,
    ),
    ...report.stale.map((id) => `listed but no longer different: \`${id}\``),
  ];
}

/** Aspects whose values are sorted lists, where a change is best told as what came and went. */
function isList(id: string): boolean {
  return / values$/.test(id) || /\] required$/.test(id);
}

function listChange(before: string, after: string): string {
  const was = new Set(before.split(", "));
  const now = new Set(after.split(", "));
  const removed = [...was].filter((v) => !now.has(v));
  const added = [...now].filter((v) => !was.has(v));
  return [
    ...(removed.length > 0 ? [`removed ${removed.join(", ")}`] : []),
    ...(added.length > 0 ? [`added ${added.join(", ")}`] : []),
  ].join("; ");
}
