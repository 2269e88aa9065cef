import type { ColumnTable } from "arquero";
import * as aq from "arquero";
import type { Config } from "../../schemas/index.ts";
import type { Observation } from "../observation.ts";
import type { PartialCounts } from "./partial-counts.ts";

const CELL = ["indicator", "year", "district", "dimension", "group"] as const;

interface CellRow {
  indicator: string;
  year: number;
  district: string;
  dimension: string;
  group: string;
  numerator: number;
  denominator: number;
  withheld: number;
  parts: number;
  sources: string[];
}

/**
 * Stage 8, at the end: rolls the merged partial counts up into the observation table. A district's
 * figure comes from its district-wide rows where the partner sent them, otherwise from the sum of
 * its schools; the community's is the sum of its districts and of community-wide sources. A cell
 * with a withheld part gets no numbers: `source-suppressed` when the partner withheld it,
 * `incomplete` when it is a sum that includes a withheld part.
 */
export function buildObservations(merged: PartialCounts, config: Config): Observation[] {
  const sum = {
    numerator: aq.op.sum("numerator"),
    denominator: aq.op.sum("denominator"),
    withheld: aq.op.sum("withheld"),
    parts: aq.op.count(),
    sources: aq.op.array_agg_distinct("source"),
  };
  const districtDirect = merged
    .filter((d: { school: string; district: string }) => d.school === "" && d.district !== "")
    .groupby(...CELL)
    .rollup(sum);
  const fromSchools = merged
    .filter((d: { school: string; district: string }) => d.school !== "" && d.district !== "")
    .groupby(...CELL)
    .rollup(sum);
  const districts = districtDirect.concat(fromSchools.antijoin(districtDirect, [[...CELL], [...CELL]]));
  const communityDirect = merged
    .filter((d: { district: string }) => d.district === "")
    .groupby(...CELL)
    .rollup(sum);

  const partsOf = districts.concat(communityDirect);
  const community = partsOf.groupby("indicator", "year", "dimension", "group").rollup({
    numerator: aq.op.sum("numerator"),
    denominator: aq.op.sum("denominator"),
    withheld: aq.op.sum("withheld"),
    parts: aq.op.sum("parts"),
    sources: aq.op.array_agg("sources"),
  });

  const out: Observation[] = [];
  for (const row of rows(districts)) out.push(toObservation(row, "district", row.district));
  for (const row of rows(community)) {
    const sources = [...new Set((row.sources as unknown as string[][]).flat())];
    out.push(toObservation({ ...row, sources }, "community", config.community.id));
  }
  return out;
}

function rows(table: ColumnTable): CellRow[] {
  return table.objects() as unknown as CellRow[];
}

function toObservation(row: CellRow, level: Observation["geo_level"], geoId: string): Observation {
  const known = row.withheld === 0;
  return {
    indicator: row.indicator,
    year: row.year,
    geo_level: level,
    geo_id: geoId,
    dimension: row.dimension as Observation["dimension"],
    group: row.group,
    numerator: known ? row.numerator : null,
    denominator: known ? row.denominator : null,
    value: known && row.denominator > 0 ? row.numerator / row.denominator : null,
    lower: null,
    upper: null,
    flag: known ? "ok" : row.parts === 1 ? "source-suppressed" : "incomplete",
    sources: [...row.sources].sort(),
  };
}
