/**
 * The tables a built site publishes, read as a reader downloads them (data/*.csv), with no code of
 * c2c's own: the figures every sentence, badge and count on the pages must be re-derivable from.
 */
import Papa from "papaparse";

export interface Figure {
  indicator: string;
  year: number;
  geoLevel: string;
  geoId: string;
  dimension: string;
  group: string;
  numerator: number | null;
  denominator: number | null;
  value: number | null;
  lower: number | null;
  upper: number | null;
  flag: string;
}

export interface Change {
  indicator: string;
  geoLevel: string;
  dimension: string;
  group: string;
  year: number;
  baselineYear: number | null;
  changeBaseline: number | null;
  significant: boolean;
}

export interface Gap {
  indicator: string;
  year: number;
  geoLevel: string;
  dimension: string;
  group: string;
  /** `overall` (everyone) or the reference group's code. */
  reference: string;
  gap: number | null;
  baselineGap: number | null;
  behind: boolean;
}

export interface PublishedTables {
  figures: Figure[];
  changes: Change[];
  gaps: Gap[];
  /** A figure by indicator, year, place and group. */
  figure(
    indicator: string,
    year: number,
    geoLevel: string,
    geoId: string,
    dimension: string,
    group: string,
  ): Figure | undefined;
}

function rows(csv: string): Record<string, string>[] {
  const parsed = Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true, dynamicTyping: false });
  return parsed.data;
}

function num(v: string | undefined): number | null {
  if (v === undefined || v.trim() === "") return null;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`not a number in a published table: ${v}`);
  return n;
}

function int(v: string | undefined, what: string): number {
  const n = num(v);
  if (n === null) throw new Error(`a published row has no ${what}`);
  return n;
}

const str = (v: string | undefined) => v ?? "";

export function readPublishedTables(files: ReadonlyMap<string, string>): PublishedTables {
  const observations = files.get("data/observations.csv");
  if (observations === undefined) throw new Error("the site has no data/observations.csv");
  const figures: Figure[] = rows(observations).map((r) => ({
    indicator: str(r.indicator),
    year: int(r.year, "year"),
    geoLevel: str(r.geo_level),
    geoId: str(r.geo_id),
    dimension: str(r.dimension),
    group: str(r.group),
    numerator: num(r.numerator),
    denominator: num(r.denominator),
    value: num(r.value),
    lower: num(r.lower),
    upper: num(r.upper),
    flag: str(r.flag),
  }));
  const changes: Change[] = rows(files.get("data/changes.csv") ?? "").map((r) => ({
    indicator: str(r.indicator),
    geoLevel: str(r.geo_level),
    dimension: str(r.dimension),
    group: str(r.group),
    year: int(r.year, "year"),
    baselineYear: num(r.baseline_year),
    changeBaseline: num(r.change_baseline),
    significant: r.change_baseline_significant === "true",
  }));
  const gaps: Gap[] = rows(files.get("data/gaps.csv") ?? "").map((r) => ({
    indicator: str(r.indicator),
    year: int(r.year, "year"),
    geoLevel: str(r.geo_level),
    dimension: str(r.dimension),
    group: str(r.group),
    reference: str(r.reference),
    gap: num(r.gap),
    baselineGap: num(r.baseline_gap),
    behind: r.behind === "true",
  }));
  const byKey = new Map<string, Figure>();
  const key = (...parts: (string | number)[]) => parts.join("|");
  for (const f of figures) byKey.set(key(f.indicator, f.year, f.geoLevel, f.geoId, f.dimension, f.group), f);
  return {
    figures,
    changes,
    gaps,
    figure: (indicator, year, geoLevel, geoId, dimension, group) =>
      byKey.get(key(indicator, year, geoLevel, geoId, dimension, group)),
  };
}
