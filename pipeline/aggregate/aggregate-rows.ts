import type { Dimension } from "../../schemas/index.ts";
import type { Feed } from "../load/load-project.ts";
import type { NormalizedRow } from "../normalize/normalize-rows.ts";
import { emptyPartialColumns, type PartialCounts, partialTable } from "./partial-counts.ts";

/**
 * Stage 6, per chunk: turns normalized rows into partial counts for every indicator the file
 * feeds. Record-level rows are counted with the indicator's rules (Arquero groupby per dimension);
 * aggregate rows carry their counts as written.
 */
export function aggregateRows(
  rows: readonly NormalizedRow[],
  feeds: readonly Feed[],
  kind: "record" | "aggregate",
  dimensionFields: Partial<Record<Dimension, string>>,
  source: string,
): PartialCounts[] {
  return kind === "record"
    ? feeds.map((f) => aggregateRecords(rows, f, dimensionFields, source))
    : [aggregateCounts(rows, feeds, source)];
}

function aggregateRecords(
  rows: readonly NormalizedRow[],
  feed: Feed,
  dimensionFields: Partial<Record<Dimension, string>>,
  source: string,
): PartialCounts {
  const { denominator, numerator } = feed;
  const c = emptyPartialColumns();
  if (!denominator || !numerator) return partialTable(c);
  const dims = feed.indicator.dimensions.filter((d) => dimensionFields[d] !== undefined);
  const fields = dims.map((d) => dimensionFields[d] as string);
  // Counted in plain maps, one pass over the chunk: the chunk's partial table then merges in Arquero.
  const sums = new Map<
    string,
    { year: number; district: string; dimension: string; group: string; met: number; all: number }
  >();
  const add = (year: number, district: string, dimension: string, group: string, met: number) => {
    const key = `${year}\u0000${district}\u0000${dimension}\u0000${group}`;
    const cell = sums.get(key);
    if (cell) {
      cell.met += met;
      cell.all += 1;
    } else sums.set(key, { year, district, dimension, group, met, all: 1 });
  };
  for (const row of rows) {
    if (!denominator.test(row.values)) continue;
    const met = numerator.test(row.values) ? 1 : 0;
    const district = row.district ?? "";
    add(row.year, district, "all", "all", met);
    for (let i = 0; i < dims.length; i++) {
      const v = row.values[fields[i] as string];
      add(row.year, district, dims[i] as string, typeof v === "string" ? v : "unknown", met);
    }
  }
  for (const cell of sums.values()) {
    c.indicator.push(feed.indicator.id);
    c.year.push(cell.year);
    c.district.push(cell.district);
    c.school.push("");
    c.dimension.push(cell.dimension);
    c.group.push(cell.group);
    c.source.push(source);
    c.numerator.push(cell.met);
    c.denominator.push(cell.all);
    c.withheld.push(0);
  }
  return partialTable(c);
}

function aggregateCounts(rows: readonly NormalizedRow[], feeds: readonly Feed[], source: string): PartialCounts {
  const c = emptyPartialColumns();
  for (const feed of feeds) {
    if (feed.source.kind !== "aggregate") continue;
    const { numerator: numField, denominator: denField } = feed.source;
    const dims = new Set<string>(["all", ...feed.indicator.dimensions]);
    for (const row of rows) {
      if (row.dimension === null || row.group === null || !dims.has(row.dimension)) continue;
      if (feed.filter && !feed.filter.test(row.values)) continue;
      const num = row.values[numField];
      const den = row.values[denField];
      const known = typeof num === "number" && typeof den === "number";
      c.indicator.push(feed.indicator.id);
      c.year.push(row.year);
      c.district.push(row.district ?? "");
      c.school.push(row.school ?? "");
      c.dimension.push(row.dimension);
      c.group.push(row.group);
      c.source.push(source);
      c.numerator.push(known ? num : 0);
      c.denominator.push(known ? den : 0);
      c.withheld.push(known ? 0 : 1);
    }
  }
  return partialTable(c);
}
