import * as aq from "arquero";
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
  if (!denominator || !numerator) return partialTable(emptyPartialColumns());
  const dims = feed.indicator.dimensions.filter((d) => dimensionFields[d] !== undefined);
  const year: number[] = [];
  const district: string[] = [];
  const met: number[] = [];
  const groups: string[][] = dims.map(() => []);
  for (const row of rows) {
    if (!denominator.test(row.values)) continue;
    year.push(row.year);
    district.push(row.district ?? "");
    met.push(numerator.test(row.values) ? 1 : 0);
    dims.forEach((d, i) => {
      const v = row.values[dimensionFields[d]!];
      groups[i]!.push(typeof v === "string" ? v : "unknown");
    });
  }
  const columns: Record<string, unknown[]> = { year, district, met };
  dims.forEach((d, i) => {
    columns[d] = groups[i]!;
  });
  const table = aq.table(columns);
  const rollup = { numerator: aq.op.sum("met"), denominator: aq.op.count() };
  const parts = [
    table
      .groupby("year", "district")
      .rollup(rollup)
      .derive({ dimension: () => "all", group: () => "all", withheld: () => 0 }),
    ...dims.map((d) =>
      table
        .groupby("year", "district", d)
        .rollup(rollup)
        .derive({ dimension: aq.escape(() => d), withheld: () => 0 })
        .rename({ [d]: "group" }),
    ),
  ];
  const [first, ...rest] = parts as [PartialCounts, ...PartialCounts[]];
  return (rest.length > 0 ? first.concat(...rest) : first).derive({
    indicator: aq.escape(() => feed.indicator.id),
    school: () => "",
    source: aq.escape(() => source),
  });
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
