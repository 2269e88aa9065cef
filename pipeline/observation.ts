import type { Dimension } from "../schemas/index.ts";

/** How `deriveProgress` judges progress to a target. */
export const PROGRESS_STATUSES = [
  "target-reached",
  "target-missed",
  "on-track",
  "needs-acceleration",
  "limited-progress",
  "wrong-way",
  "not-enough-data",
] as const;
export type ProgressStatus = (typeof PROGRESS_STATUSES)[number];

/**
 * Why a published cell holds no value, or how far to trust the one it holds.
 * `suppressed`: hidden by c2c to protect small numbers. `source-suppressed`: withheld by the partner.
 * `incomplete`: part of the population was withheld by a partner, so no honest total exists.
 * `bottom-coded`, `top-coded`: the rate is only said to be below (above) a threshold, `upper`
 * (`lower`); the denominator is published and the numerator hidden, because few reached the
 * outcome (few did not).
 */
export type ObservationFlag =
  | "ok"
  | "suppressed"
  | "source-suppressed"
  | "low-reliability"
  | "incomplete"
  | "bottom-coded"
  | "top-coded";

export type GeoLevel = "community" | "district";

/** One cell of the observation table: the contract between aggregate, derive, protect and render. */
export interface Observation {
  indicator: string;
  /** The end year of a school year (2025 is 2024-25) or a calendar year, as the indicator says. */
  year: number;
  geo_level: GeoLevel;
  geo_id: string;
  dimension: Dimension | "all";
  group: string;
  numerator: number | null;
  denominator: number | null;
  /** A share between 0 and 1. */
  value: number | null;
  lower: number | null;
  upper: number | null;
  flag: ObservationFlag;
  /** The partner files that contributed, as project-relative paths. */
  sources: string[];
}

/** The columns of the observation table, in the order downloads write them. */
export const OBSERVATION_COLUMNS = [
  "indicator",
  "year",
  "geo_level",
  "geo_id",
  "dimension",
  "group",
  "numerator",
  "denominator",
  "value",
  "lower",
  "upper",
  "flag",
  "sources",
] as const satisfies readonly (keyof Observation)[];

/** A stable key for one cell, for joins and lookups. */
export function observationKey(
  o: Pick<Observation, "indicator" | "year" | "geo_level" | "geo_id" | "dimension" | "group">,
): string {
  return `${o.indicator}|${o.year}|${o.geo_level}|${o.geo_id}|${o.dimension}|${o.group}`;
}

/** Where an indicator stands, in the community as a whole: what the index card and page headline say. */
export interface IndicatorSummary {
  indicator: string;
  latestYear: number | null;
  latestValue: number | null;
  baselineYear: number;
  baselineValue: number | null;
  /** Latest minus baseline, in share points (0.03 is 3 percentage points). */
  changeSinceBaseline: number | null;
  /** Whether the change since baseline is more than sampling variation explains; null when unknown. */
  changeSignificant: boolean | null;
  /** Whether the change since baseline went the way the indicator's polarity calls better. */
  direction: "better" | "worse" | "no-change" | "unknown";
  targetValue: number;
  targetYear: number;
  /** Progress to the target, as `deriveProgress` judges it. */
  status: ProgressStatus;
  /** Where the figure would be in its latest year at the pace the target needs. */
  onTrackValue: number | null;
  /** More children who would have had to reach the milestone to be on track (fewer, lower-is-better). */
  childrenNeeded: number | null;
  /** A break in series since the baseline, which stops progress being judged. */
  breakYear: number | null;
}

/** Indicator, year, geography (the community first), dimension (everyone first), group: the order every output uses. */
export function sortObservations<T extends Observation>(list: readonly T[]): T[] {
  const geo = (o: Observation) => (o.geo_level === "community" ? `0${o.geo_id}` : `1${o.geo_id}`);
  const dim = (o: Observation) => (o.dimension === "all" ? "" : o.dimension);
  const key = (o: Observation) =>
    `${o.indicator}\u0000${String(o.year).padStart(4, "0")}\u0000${geo(o)}\u0000${dim(o)}\u0000${o.group}`;
  return list
    .map((o) => [key(o), o] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, o]) => o);
}
