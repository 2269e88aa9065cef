import type { Indicator } from "../../schemas/index.ts";
import type { Observation, ProgressStatus } from "../observation.ts";

/**
 * Stage 11, across years and groups: how each figure moved, whether the community is on track for
 * each target, and how far each group is from its reference. Everything here is computed from the
 * published (protected) table only, so no hidden count can leak through a change or a gap; a
 * missing or hidden year is never filled in, and no change is computed across a break in series.
 */

/** One published figure with its change from the year before and from the baseline. */
export interface SeriesChange {
  indicator: string;
  geo_level: Observation["geo_level"];
  geo_id: string;
  dimension: Observation["dimension"];
  group: string;
  year: number;
  value: number;
  /** Change from the year before, in shares (0.03 is 3 points); null when that year is missing, hidden or across a break. */
  change_previous: number | null;
  /** The same change relative to the year before's value (0.1 is 10%). */
  change_previous_relative: number | null;
  /** Whether the change is larger than sampling variation explains at the configured level. */
  change_previous_significant: boolean | null;
  baseline_year: number;
  change_baseline: number | null;
  change_baseline_relative: number | null;
  change_baseline_significant: boolean | null;
}

/** Where one place stands on one indicator against its baseline and target. */
export interface Progress {
  indicator: string;
  geo_level: Observation["geo_level"];
  geo_id: string;
  baseline_year: number;
  baseline_value: number | null;
  latest_year: number | null;
  latest_value: number | null;
  target_year: number;
  target_value: number;
  status: ProgressStatus;
  /** Points a year needed from the baseline to reach the target on time, and points a year achieved. */
  required_pace: number | null;
  actual_pace: number | null;
  /** Where the figure would be in its latest year had it moved at the required pace. */
  on_track_value: number | null;
  /**
   * How many more children would have had to reach the milestone in the latest year to be on track
   * (for lower-is-better indicators, how many fewer with the outcome); null when on track.
   */
  children_needed: number | null;
  /** A break in series after the baseline, which stops progress being judged. */
  break_year: number | null;
}

/** One group's distance from its reference in one year. */
export interface Gap {
  indicator: string;
  year: number;
  geo_level: Observation["geo_level"];
  geo_id: string;
  dimension: Observation["dimension"];
  group: string;
  value: number;
  /** `overall`, `best`, or the code of the reference group. */
  reference: string;
  reference_value: number;
  /** value − reference, in shares: negative is below the reference. */
  gap: number;
  /** value ÷ reference; null when the reference is 0. */
  ratio: number | null;
  /** Whether the group is doing worse than its reference, respecting polarity. */
  behind: boolean;
  baseline_gap: number | null;
  /** Whether the gap narrowed since the baseline by more than chance; null when either is unknown or across a break. */
  narrowing: boolean | null;
  /** How the gap moved since the baseline, judged against sampling variation (see `gapTrend`). */
  trend: GapTrend | null;
  /** Children of the group who would need to reach the milestone (or, lower-is-better, not) to close the gap. */
  children_to_close: number | null;
}

/** The front page's two numbers: outcomes moving the right way, and gaps closing. */
export interface Headline {
  indicatorsWithTrend: number;
  indicatorsImproving: number;
  gapsWithTrend: number;
  gapsNarrowing: number;
}

export interface Derived {
  changes: SeriesChange[];
  progress: Progress[];
  gaps: Gap[];
  headline: Headline;
}

type Cell = Observation & { value: number };

const seriesKey = (o: Observation) => `${o.indicator}|${o.geo_level}|${o.geo_id}|${o.dimension}|${o.group}`;

/** Whether figures of two years may be compared: no break in series after the first, up to the second. */
export function comparable(indicator: Indicator, from: number, to: number): boolean {
  const [a, b] = from <= to ? [from, to] : [to, from];
  return !indicator.breaks.some((br) => br.year > a && br.year <= b);
}

/**
 * How a gap moved between two years: `reversed` where it changed sides, `narrowing` or `widening`
 * where its size changed, each only where the change is more than sampling variation explains, and
 * otherwise `no-clear-change`. The variance of each gap is the sum of its two shares' (p(1-p)/n),
 * as if they were independent samples: where the reference is everyone, the group is part of it, so
 * this overstates the variance and errs towards "no clear change".
 */
export type GapTrend = "narrowing" | "widening" | "reversed" | "no-clear-change";

/** A published share and how many it is of. */
export type Share = Pick<Cell, "value" | "denominator">;

const shareVariance = (c: Share) => (c.denominator ? (c.value * (1 - c.value)) / c.denominator : Number.NaN);

export function gapTrend(
  before: { group: Share; reference: Share },
  after: { group: Share; reference: Share },
  z: number,
): GapTrend | null {
  const variance = [before.group, before.reference, after.group, after.reference].reduce(
    (sum, c) => sum + shareVariance(c),
    0,
  );
  if (!Number.isFinite(variance)) return null;
  const was = before.group.value - before.reference.value;
  const now = after.group.value - after.reference.value;
  const moved = Math.abs(now - was);
  if (!(variance === 0 ? moved > 0 : moved > z * Math.sqrt(variance))) return "no-clear-change";
  if (was !== 0 && now !== 0 && Math.sign(was) !== Math.sign(now)) return "reversed";
  return Math.abs(now) < Math.abs(was) ? "narrowing" : "widening";
}

/** Whether a difference between two shares is more than sampling variation explains (two-proportion z test). */
export function significantChange(a: Observation, b: Observation, z: number): boolean | null {
  if (a.value === null || b.value === null || !a.denominator || !b.denominator) return null;
  const se = Math.sqrt((a.value * (1 - a.value)) / a.denominator + (b.value * (1 - b.value)) / b.denominator);
  const diff = Math.abs(b.value - a.value);
  return se === 0 ? diff > 0 : diff > z * se;
}

export function deriveProgress(
  indicators: readonly Indicator[],
  published: readonly Observation[],
  options: { z: number; gapReference: string },
): Derived {
  const byId = new Map(indicators.map((i) => [i.id, i]));
  const series = new Map<string, Map<number, Cell>>();
  for (const o of published) {
    if (o.value === null || !byId.has(o.indicator)) continue;
    const key = seriesKey(o);
    const s = series.get(key) ?? new Map<number, Cell>();
    s.set(o.year, o as Cell);
    series.set(key, s);
  }

  const changes: SeriesChange[] = [];
  for (const years of series.values()) {
    for (const o of [...years.values()].sort((a, b) => a.year - b.year)) {
      const indicator = byId.get(o.indicator) as Indicator;
      const prev = years.get(o.year - 1);
      const base = years.get(indicator.baselineYear);
      const usePrev = prev && comparable(indicator, prev.year, o.year) ? prev : undefined;
      const useBase = base && base.year !== o.year && comparable(indicator, base.year, o.year) ? base : undefined;
      changes.push({
        indicator: o.indicator,
        geo_level: o.geo_level,
        geo_id: o.geo_id,
        dimension: o.dimension,
        group: o.group,
        year: o.year,
        value: o.value,
        change_previous: usePrev ? o.value - usePrev.value : null,
        change_previous_relative: usePrev && usePrev.value !== 0 ? (o.value - usePrev.value) / usePrev.value : null,
        change_previous_significant: usePrev ? significantChange(usePrev, o, options.z) : null,
        baseline_year: indicator.baselineYear,
        change_baseline: useBase ? o.value - useBase.value : null,
        change_baseline_relative: useBase && useBase.value !== 0 ? (o.value - useBase.value) / useBase.value : null,
        change_baseline_significant: useBase ? significantChange(useBase, o, options.z) : null,
      });
    }
  }

  const progress: Progress[] = [];
  const places = new Map<string, Observation>();
  for (const o of published) if (o.dimension === "all") places.set(`${o.indicator}|${o.geo_level}|${o.geo_id}`, o);
  for (const o of [...places.values()]) {
    const indicator = byId.get(o.indicator);
    if (!indicator) continue;
    progress.push(progressOf(indicator, series.get(seriesKey(o)) ?? new Map(), o.geo_level, o.geo_id));
  }

  const gaps: Gap[] = [];
  for (const o of published) {
    if (o.dimension === "all" || o.value === null) continue;
    const indicator = byId.get(o.indicator);
    if (!indicator) continue;
    const gap = gapOf(indicator, o as Cell, series, indicator.gapReference ?? options.gapReference, options.z);
    if (gap) gaps.push(gap);
  }
  return { changes, progress, gaps, headline: headlineOf(indicators, progress, changes, gaps) };
}

const STATUS_BY_RATIO: [number, ProgressStatus][] = [
  [0.95, "on-track"],
  [0.5, "needs-acceleration"],
  [0, "limited-progress"],
];

function progressOf(
  indicator: Indicator,
  years: ReadonlyMap<number, Cell>,
  level: Observation["geo_level"],
  geo: string,
): Progress {
  const sign = indicator.polarity === "higher-is-better" ? 1 : -1;
  const known = [...years.values()].sort((a, b) => a.year - b.year);
  const latest = known[known.length - 1];
  const base = years.get(indicator.baselineYear);
  const target = indicator.target;
  const out: Progress = {
    indicator: indicator.id,
    geo_level: level,
    geo_id: geo,
    baseline_year: indicator.baselineYear,
    baseline_value: base?.value ?? null,
    latest_year: latest?.year ?? null,
    latest_value: latest?.value ?? null,
    target_year: target.year,
    target_value: target.value,
    status: "not-enough-data",
    required_pace: null,
    actual_pace: null,
    on_track_value: null,
    children_needed: null,
    break_year:
      latest === undefined
        ? null
        : (indicator.breaks.find((b) => b.year > indicator.baselineYear && b.year <= latest.year)?.year ?? null),
  };
  if (!latest) return out;
  if (sign * (latest.value - target.value) >= 0) return { ...out, status: "target-reached" };
  // Past the target's year, there is no pace left to judge: the target was missed.
  if (latest.year >= target.year) return { ...out, status: "target-missed" };
  if (!base || latest.year <= base.year || out.break_year !== null || target.year <= base.year) return out;
  const required = (target.value - base.value) / (target.year - base.year);
  const actual = (latest.value - base.value) / (latest.year - base.year);
  const onTrack = base.value + required * (latest.year - base.year);
  const behind = sign * (onTrack - latest.value);
  const needed = behind > 0 && latest.denominator !== null ? Math.ceil(behind * latest.denominator - 1e-9) : null;
  let status: ProgressStatus;
  if (sign * required <= 0) status = "wrong-way";
  else {
    const ratio = actual / required;
    status = STATUS_BY_RATIO.find(([min]) => ratio >= min)?.[1] ?? "wrong-way";
  }
  return {
    ...out,
    status,
    required_pace: required,
    actual_pace: actual,
    on_track_value: onTrack,
    children_needed: status === "on-track" ? null : needed,
  };
}

function gapOf(
  indicator: Indicator,
  o: Cell,
  series: ReadonlyMap<string, ReadonlyMap<number, Cell>>,
  reference: string,
  z: number,
): Gap | null {
  const sign = indicator.polarity === "higher-is-better" ? 1 : -1;
  const referenceAt = (year: number): { code: string; value: number; cell: Cell } | null => {
    const place = `${o.indicator}|${o.geo_level}|${o.geo_id}`;
    if (reference === "best") {
      let best: Cell | undefined;
      for (const [key, years] of series) {
        if (!key.startsWith(`${place}|${o.dimension}|`)) continue;
        const c = years.get(year);
        if (c && (!best || sign * (c.value - best.value) > 0)) best = c;
      }
      return best ? { code: "best", value: best.value, cell: best } : null;
    }
    if (reference !== "overall") {
      const named = series.get(`${place}|${o.dimension}|${reference}`)?.get(year);
      if (named) return { code: reference, value: named.value, cell: named };
      const hasGroup = [...series.keys()].some((k) => k === `${place}|${o.dimension}|${reference}`);
      if (hasGroup) return null;
    }
    const overall = series.get(`${place}|all|all`)?.get(year);
    return overall ? { code: "overall", value: overall.value, cell: overall } : null;
  };
  const ref = referenceAt(o.year);
  if (!ref || (ref.code !== "overall" && ref.code !== "best" && ref.code === o.group)) return null;
  const gap = o.value - ref.value;
  const behind = sign * gap < 0;
  let baselineGap: number | null = null;
  let trend: GapTrend | null = null;
  const base = series.get(seriesKey(o))?.get(indicator.baselineYear);
  const baseRef = base ? referenceAt(indicator.baselineYear) : null;
  if (base && baseRef && base.year !== o.year && comparable(indicator, base.year, o.year)) {
    baselineGap = base.value - baseRef.value;
    trend = gapTrend({ group: base, reference: baseRef.cell }, { group: o, reference: ref.cell }, z);
  }
  return {
    indicator: o.indicator,
    year: o.year,
    geo_level: o.geo_level,
    geo_id: o.geo_id,
    dimension: o.dimension,
    group: o.group,
    value: o.value,
    reference: ref.code,
    reference_value: ref.value,
    gap,
    ratio: ref.value === 0 ? null : o.value / ref.value,
    behind,
    baseline_gap: baselineGap,
    narrowing: trend === null ? null : trend === "narrowing",
    trend,
    children_to_close:
      behind && o.denominator !== null ? Math.ceil(Math.abs(gap) * o.denominator - 1e-9) : behind ? null : 0,
  };
}

/** Counts only what is more than chance: an outcome moved the right way, a gap narrowed. */
function headlineOf(
  indicators: readonly Indicator[],
  progress: readonly Progress[],
  changes: readonly SeriesChange[],
  gaps: readonly Gap[],
): Headline {
  let withTrend = 0;
  let improving = 0;
  for (const p of progress) {
    if (p.geo_level !== "community" || p.baseline_value === null || p.latest_value === null) continue;
    if (p.latest_year === null || p.latest_year <= p.baseline_year || p.break_year !== null) continue;
    const indicator = indicators.find((i) => i.id === p.indicator);
    if (!indicator) continue;
    withTrend++;
    const sign = indicator.polarity === "higher-is-better" ? 1 : -1;
    const change = changes.find(
      (c) =>
        c.indicator === p.indicator && c.geo_level === "community" && c.dimension === "all" && c.year === p.latest_year,
    );
    if (change?.change_baseline_significant === true && sign * (p.latest_value - p.baseline_value) > 0) improving++;
  }
  const latest = new Map(progress.filter((p) => p.geo_level === "community").map((p) => [p.indicator, p.latest_year]));
  const current = gaps.filter(
    (g) => g.geo_level === "community" && g.behind && g.year === latest.get(g.indicator) && g.narrowing !== null,
  );
  return {
    indicatorsWithTrend: withTrend,
    indicatorsImproving: improving,
    gapsWithTrend: current.length,
    gapsNarrowing: current.filter((g) => g.narrowing).length,
  };
}
