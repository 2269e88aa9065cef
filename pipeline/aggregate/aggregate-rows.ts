import type { Dimension } from "../../schemas/index.ts";
import type { Feed } from "../load/load-project.ts";
import type { NormalizedRow } from "../normalize/normalize-rows.ts";
import { emptyPartialColumns, mergePartials, type PartialCounts, partialTable } from "./partial-counts.ts";

/** One cell of one indicator, as a file's rows count it. `district` and `school` are "" where not split. */
export interface CountedCell {
  year: number;
  district: string;
  school: string;
  dimension: string;
  group: string;
  numerator: number;
  denominator: number;
  /** Contributions whose numerator or denominator the partner withheld. */
  withheld: number;
}

/** What a file can count: its indicators, whether its rows are records or counts, and its dimension columns. */
export interface CountingPlan {
  feeds: readonly Feed[];
  kind: "record" | "aggregate";
  dimensionFields: Partial<Record<Dimension, string>>;
  source: string;
}

/** A record-level feed's dimensions that the file has a column for, with that column. */
export function dimensionsOf(feed: Feed, plan: CountingPlan): { dimension: Dimension; field: string }[] {
  return feed.indicator.dimensions
    .filter((d) => plan.dimensionFields[d] !== undefined)
    .map((d) => ({ dimension: d, field: plan.dimensionFields[d] as string }));
}

/** A record's group in a dimension: its code, or `unknown` where the cell was blank. */
export function groupOf(row: NormalizedRow, field: string): string {
  const v = row.values[field];
  return typeof v === "string" ? v : "unknown";
}

/** Whether a record counts for a feed: 0 not at all, 1 in the denominator, 2 in the numerator too. */
export function recordWeight(row: NormalizedRow, feed: Feed): 0 | 1 | 2 {
  if (!feed.denominator || !feed.numerator || !feed.denominator.test(row.values)) return 0;
  return feed.numerator.test(row.values) ? 2 : 1;
}

/** What an aggregate row contributes to a feed's cell, or null when the row is not the feed's. */
export function countsOf(
  row: NormalizedRow,
  feed: Feed,
): { dimension: string; group: string; numerator: number; denominator: number; withheld: number } | null {
  if (feed.source.kind !== "aggregate") return null;
  if (row.dimension === null || row.group === null) return null;
  if (row.dimension !== "all" && !feed.indicator.dimensions.includes(row.dimension)) return null;
  if (feed.filter && !feed.filter.test(row.values)) return null;
  const num = row.values[feed.source.numerator];
  const den = row.values[feed.source.denominator];
  const known = typeof num === "number" && typeof den === "number";
  return {
    dimension: row.dimension,
    group: row.group,
    numerator: known ? num : 0,
    denominator: known ? den : 0,
    withheld: known ? 0 : 1,
  };
}

/**
 * Stage 7 for one file, as it streams: counts each chunk's rows into the cells of every indicator
 * the file feeds. Record-level rows are counted with the indicator's rules; aggregate rows carry
 * their counts as written. Counts add, so memory depends on the number of cells, not rows. Cells
 * keep the order they were first counted in, indicator by indicator.
 */
export class RowAggregator {
  private readonly feeds: { feed: Feed; dims: { dimension: Dimension; field: string }[]; counter: FeedCounter }[];

  constructor(private readonly plan: CountingPlan) {
    this.feeds = plan.feeds.map((feed) => ({ feed, dims: dimensionsOf(feed, plan), counter: new FeedCounter() }));
  }

  add(rows: readonly NormalizedRow[]): void {
    this.count(rows, 1);
  }

  /**
   * Takes record-level rows counted before back out: rows of a part of a file, read in a thread of
   * its own, that turn out to repeat rows of an earlier part. A cell no row counts any more is dropped.
   */
  remove(rows: readonly NormalizedRow[]): void {
    if (this.plan.kind !== "record") throw new Error("only record-level rows can be taken back out");
    this.count(rows, -1);
    this.removed = true;
  }

  private removed = false;

  private count(rows: readonly NormalizedRow[], sign: 1 | -1): void {
    for (const { feed, dims, counter } of this.feeds) {
      if (this.plan.kind === "record") {
        if (!feed.denominator || !feed.numerator) continue;
        for (const row of rows) {
          const weight = recordWeight(row, feed);
          if (weight === 0) continue;
          const met = weight === 2 ? sign : 0;
          const place = counter.place(row.year, row.district ?? "", "", dims.length);
          place.all = counter.count(place.all, row.year, row.district ?? "", "", "all", "all", met, sign, 0);
          for (let i = 0; i < dims.length; i++) {
            const { dimension, field } = dims[i] as { dimension: Dimension; field: string };
            const group = groupOf(row, field);
            const byGroup = place.dims[i] as Map<string, CountedCell>;
            const cell = byGroup.get(group);
            if (cell) {
              cell.numerator += met;
              cell.denominator += sign;
            } else
              byGroup.set(
                group,
                counter.count(undefined, row.year, row.district ?? "", "", dimension, group, met, sign, 0),
              );
          }
        }
      } else {
        for (const row of rows) {
          const c = countsOf(row, feed);
          if (c === null) continue;
          const place = counter.place(row.year, row.district ?? "", row.school ?? "", 1);
          const byGroup = place.dims[0] as Map<string, CountedCell>;
          const key = `${c.dimension}\u0000${c.group}`;
          const cell = byGroup.get(key);
          if (cell) {
            cell.numerator += c.numerator;
            cell.denominator += c.denominator;
            cell.withheld += c.withheld;
          } else
            byGroup.set(
              key,
              counter.count(
                undefined,
                row.year,
                row.district ?? "",
                row.school ?? "",
                c.dimension,
                c.group,
                c.numerator,
                c.denominator,
                c.withheld,
              ),
            );
        }
      }
    }
  }

  /** The file's partial counts so far. */
  result(): PartialCounts {
    return partialsOf(
      this.plan,
      // Every record counts in its cells' denominators: a cell at 0 counts only rows taken back out.
      this.feeds.map((f) => (this.removed ? f.counter.cells.filter((c) => c.denominator !== 0) : f.counter.cells)),
    );
  }
}

interface Place {
  all: CountedCell | undefined;
  /** Per dimension, the cells by group. */
  dims: Map<string, CountedCell>[];
}

/** One indicator's cells, by place (year, district, school) and then group, in first-counted order. */
class FeedCounter {
  readonly cells: CountedCell[] = [];
  private readonly places = new Map<string, Place>();
  private last: { year: number; district: string; school: string; place: Place } | undefined;

  place(year: number, district: string, school: string, dimensions: number): Place {
    // Rows of a file mostly share their place with the row before.
    const last = this.last;
    if (last !== undefined && last.year === year && last.district === district && last.school === school)
      return last.place;
    const key = `${year}\u0000${district}\u0000${school}`;
    let place = this.places.get(key);
    if (place === undefined) {
      place = { all: undefined, dims: Array.from({ length: dimensions }, () => new Map()) };
      this.places.set(key, place);
    }
    this.last = { year, district, school, place };
    return place;
  }

  /** Adds to `cell`, or makes the cell when there is none yet. */
  count(
    cell: CountedCell | undefined,
    year: number,
    district: string,
    school: string,
    dimension: string,
    group: string,
    numerator: number,
    denominator: number,
    withheld: number,
  ): CountedCell {
    if (cell) {
      cell.numerator += numerator;
      cell.denominator += denominator;
      cell.withheld += withheld;
      return cell;
    }
    const made = { year, district, school, dimension, group, numerator, denominator, withheld };
    this.cells.push(made);
    return made;
  }
}

/** The partial counts of one file from each feed's cells (in the plan's feed order): the same for every engine. */
export function partialsOf(plan: CountingPlan, cellsByFeed: readonly (readonly CountedCell[])[]): PartialCounts {
  const c = emptyPartialColumns();
  plan.feeds.forEach((feed, f) => {
    for (const cell of cellsByFeed[f] ?? []) {
      c.indicator.push(feed.indicator.id);
      c.year.push(cell.year);
      c.district.push(cell.district);
      c.school.push(cell.school);
      c.dimension.push(cell.dimension);
      c.group.push(cell.group);
      c.source.push(plan.source);
      c.numerator.push(cell.numerator);
      c.denominator.push(cell.denominator);
      c.withheld.push(cell.withheld);
    }
  });
  // Two feeds of one indicator count into the same cells.
  return mergePartials([partialTable(c)]);
}
