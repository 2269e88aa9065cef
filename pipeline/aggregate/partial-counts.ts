import type { ColumnTable } from "arquero";
import * as aq from "arquero";

/**
 * Partial sums of one or more chunks: counts by indicator, year, district, school, dimension, group
 * and source file. Partials merge by adding, so a file of any length aggregates in bounded memory.
 * `district` and `school` are "" where the source does not split by them; `withheld` counts the
 * contributions whose numerator or denominator the partner withheld.
 */
export type PartialCounts = ColumnTable;

export const PARTIAL_KEYS = ["indicator", "year", "district", "school", "dimension", "group", "source"] as const;

export interface PartialColumns {
  indicator: string[];
  year: number[];
  district: string[];
  school: string[];
  dimension: string[];
  group: string[];
  source: string[];
  numerator: number[];
  denominator: number[];
  withheld: number[];
}

export function emptyPartialColumns(): PartialColumns {
  return {
    indicator: [],
    year: [],
    district: [],
    school: [],
    dimension: [],
    group: [],
    source: [],
    numerator: [],
    denominator: [],
    withheld: [],
  };
}

export function partialTable(columns: PartialColumns): PartialCounts {
  return aq.table(columns as unknown as Record<string, unknown[]>);
}

/** Adds partials together: the same key's counts are summed. */
export function mergePartials(parts: readonly PartialCounts[]): PartialCounts {
  const nonEmpty = parts.filter((p) => p.numRows() > 0);
  if (nonEmpty.length === 0) return partialTable(emptyPartialColumns());
  const [first, ...rest] = nonEmpty as [PartialCounts, ...PartialCounts[]];
  const all = rest.length > 0 ? first.concat(...rest) : first;
  return all.groupby(...PARTIAL_KEYS).rollup({
    numerator: aq.op.sum("numerator"),
    denominator: aq.op.sum("denominator"),
    withheld: aq.op.sum("withheld"),
  });
}
