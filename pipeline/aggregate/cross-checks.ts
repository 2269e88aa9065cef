import type { Indicator } from "../../schemas/index.ts";
import { type Issue, makeIssue } from "../issues/catalogue.ts";
import type { Observation } from "../observation.ts";
import { emptyPartialColumns, PARTIAL_KEYS, type PartialCounts, partialTable } from "./partial-counts.ts";

/**
 * Checks that look across rows and files, on the counts rather than on any one row: the same cell
 * sent twice, groups that add up to more than their total, and counts that jump from one year to
 * the next. Each finding is an issue on the file it concerns.
 */

interface PartialRow {
  indicator: string;
  year: number;
  district: string;
  school: string;
  dimension: string;
  group: string;
  source: string;
  numerator: number;
  denominator: number;
  withheld: number;
}

/** The partner of a source file: `data/<year>/<partner>/<file>`. */
export function partnerOfSource(source: string): string {
  return source.split("/")[2] ?? "";
}

/** Words for a cell a partner can find in its file: `3rd-grade reading, 2025, district riverside, school 014, hispanic`. */
function describeCell(
  row: Omit<PartialRow, "source" | "numerator" | "denominator" | "withheld">,
  titles: Map<string, string>,
): string {
  const parts = [titles.get(row.indicator) ?? row.indicator, String(row.year)];
  if (row.district !== "") parts.push(`district ${row.district}`);
  if (row.school !== "") parts.push(`school ${row.school}`);
  parts.push(row.dimension === "all" ? "everyone" : `${row.dimension.replace(/_/g, " ")} ${row.group}`);
  return parts.join(", ");
}

function counts(row: PartialRow): string {
  return row.withheld > 0 ? "a withheld figure" : `${row.numerator} of ${row.denominator}`;
}

/**
 * Finds cells sent by more than one file (two partners, or one partner in two extracts). Identical
 * figures are counted once. Different figures are never settled by whichever came last: the
 * partner listed first in `precedence` wins; without one, the cell is withheld and each sender is told.
 * Files that `combined` puts in one group (the files of a `versions: combine` extract, one partner
 * and year: a district's schools) are one sender: their figures for a cell are added, not compared.
 */
export function resolveConflicts(
  merged: PartialCounts,
  indicators: readonly Indicator[],
  precedence: readonly string[],
  combined: ReadonlyMap<string, string> = new Map(),
): { partials: PartialCounts; issues: Issue[] } {
  const titles = new Map(indicators.map((i) => [i.id, i.shortTitle]));
  const rows = merged.objects() as unknown as PartialRow[];
  const cellKey = (r: PartialRow) =>
    `${r.indicator}\u0000${r.year}\u0000${r.district}\u0000${r.school}\u0000${r.dimension}\u0000${r.group}`;
  const byCell = new Map<string, PartialRow[]>();
  for (const r of rows) byCell.set(cellKey(r), [...(byCell.get(cellKey(r)) ?? []), r]);
  const senderOf = (r: PartialRow) => combined.get(r.source) ?? r.source;
  const oneSender = (list: readonly PartialRow[]) => list.every((r) => senderOf(r) === senderOf(list[0] as PartialRow));
  if ([...byCell.values()].every(oneSender)) return { partials: merged, issues: [] };

  const issues: Issue[] = [];
  const columns = emptyPartialColumns();
  const push = (r: PartialRow, override?: Partial<PartialRow>) => {
    const row = { ...r, ...override };
    for (const k of PARTIAL_KEYS) (columns[k] as (string | number)[]).push(row[k]);
    columns.numerator.push(row.numerator);
    columns.denominator.push(row.denominator);
    columns.withheld.push(row.withheld);
  };
  const rank = (r: PartialRow) => {
    const at = precedence.indexOf(partnerOfSource(r.source));
    return at < 0 ? Number.POSITIVE_INFINITY : at;
  };
  for (const list of byCell.values()) {
    if (oneSender(list)) {
      for (const r of list) push(r);
      continue;
    }
    // Each sender's figure: a combined group's files added up, under the name of its first file.
    const bySender = new Map<string, { sum: PartialRow; rows: PartialRow[] }>();
    for (const r of list) {
      const held = bySender.get(senderOf(r));
      if (held === undefined) bySender.set(senderOf(r), { sum: { ...r }, rows: [r] });
      else {
        held.rows.push(r);
        held.sum.numerator += r.numerator;
        held.sum.denominator += r.denominator;
        held.sum.withheld += r.withheld;
        if (r.source < held.sum.source) held.sum.source = r.source;
      }
    }
    const senders = [...bySender.values()].sort(
      (a, b) => rank(a.sum) - rank(b.sum) || (a.sum.source < b.sum.source ? -1 : 1),
    );
    const first = senders[0] as { sum: PartialRow; rows: PartialRow[] };
    const detail = describeCell(first.sum, titles);
    const same = senders.every(
      ({ sum }) =>
        sum.numerator === first.sum.numerator &&
        sum.denominator === first.sum.denominator &&
        sum.withheld === first.sum.withheld,
    );
    if (same) {
      for (const r of first.rows) push(r);
      for (const { sum, rows: sent } of senders.slice(1))
        for (const r of sent)
          issues.push(
            makeIssue(
              "repeated-submission",
              { partner: partnerOfSource(r.source), file: r.source },
              { detail, value: counts(sum), other: first.sum.source },
            ),
          );
      continue;
    }
    const second = senders[1] as { sum: PartialRow };
    const winner = rank(first.sum) < Number.POSITIVE_INFINITY && rank(first.sum) < rank(second.sum) ? first : null;
    if (winner) for (const r of winner.rows) push(r);
    else push(first.sum, { numerator: 0, denominator: 0, withheld: 1, source: first.sum.source });
    for (const sender of senders) {
      const other = (senders.find((o) => o !== sender) as { sum: PartialRow }).sum;
      for (const r of sender.rows)
        issues.push(
          makeIssue(
            "conflicting-submission",
            { partner: partnerOfSource(r.source), file: r.source },
            {
              detail,
              value: counts(sender.sum),
              other: other.source,
              expected: counts(other),
              count: sender === winner ? 1 : 0,
            },
          ),
        );
    }
  }
  return { partials: partialTable(columns), issues };
}

/**
 * In one aggregate file's counts: the groups of a dimension that add up to more children than the
 * file's own total for the same measure, place and year. A child is in one group of each kind.
 */
export function findPartsExceedTotal(
  partials: PartialCounts,
  indicators: readonly Indicator[],
  where: { partner: string; file: string },
): Issue[] {
  const titles = new Map(indicators.map((i) => [i.id, i.shortTitle]));
  const rows = partials.objects() as unknown as PartialRow[];
  const place = (r: PartialRow) => `${r.indicator}\u0000${r.year}\u0000${r.district}\u0000${r.school}`;
  const totals = new Map<string, PartialRow>();
  for (const r of rows) if (r.dimension === "all" && r.withheld === 0) totals.set(place(r), r);
  const sums = new Map<string, { row: PartialRow; denominator: number }>();
  for (const r of rows) {
    if (r.dimension === "all" || r.withheld > 0) continue;
    const key = `${place(r)}\u0000${r.dimension}`;
    const s = sums.get(key) ?? { row: r, denominator: 0 };
    s.denominator += r.denominator;
    sums.set(key, s);
  }
  const issues: Issue[] = [];
  for (const { row, denominator } of sums.values()) {
    const total = totals.get(place(row));
    if (!total || denominator <= total.denominator) continue;
    const detail = `${describeCell({ ...row, dimension: "all", group: "all" }, titles).replace(/, everyone$/, "")}, by ${row.dimension.replace(/_/g, " ")}`;
    issues.push(
      makeIssue("parts-exceed-total", where, {
        detail,
        value: `groups ${denominator}, total ${total.denominator}`,
      }),
    );
  }
  return issues;
}

/**
 * Counts of children that change by more than `factor` from one year to the next, for a district
 * or a community-wide source, everyone: usually a file that is missing schools or holds some twice.
 * Reported on the later year's files.
 */
export function findImplausibleChanges(
  observations: readonly Observation[],
  indicators: readonly Indicator[],
  factor: number,
): Issue[] {
  const titles = new Map(indicators.map((i) => [i.id, i.shortTitle]));
  const series = new Map<string, Observation[]>();
  // The community's own figure is checked only where no district splits it (a community-wide source).
  const split = new Set(observations.filter((o) => o.geo_level === "district").map((o) => `${o.indicator}|${o.year}`));
  for (const o of observations) {
    if (o.dimension !== "all" || o.denominator === null || o.denominator === 0) continue;
    if (o.geo_level === "community" && split.has(`${o.indicator}|${o.year}`)) continue;
    const key = `${o.indicator}\u0000${o.geo_level}\u0000${o.geo_id}`;
    series.set(key, [...(series.get(key) ?? []), o]);
  }
  const issues: Issue[] = [];
  for (const list of series.values()) {
    const byYear = new Map(list.map((o) => [o.year, o]));
    for (const o of list) {
      const before = byYear.get(o.year - 1);
      if (!before || before.denominator === null || o.denominator === null) continue;
      const ratio = Math.max(o.denominator / before.denominator, before.denominator / o.denominator);
      if (ratio <= factor) continue;
      const place = o.geo_level === "district" ? `district ${o.geo_id}` : "the community";
      for (const source of o.sources.filter((s) => s.split("/")[1] === String(o.year)))
        issues.push(
          makeIssue(
            "implausible-change",
            { partner: partnerOfSource(source), file: source },
            {
              detail: `${titles.get(o.indicator) ?? o.indicator}, ${o.year}, ${place}: children counted`,
              value: String(o.denominator),
              expected: String(before.denominator),
              other: String(factor),
            },
          ),
        );
    }
  }
  return issues;
}
