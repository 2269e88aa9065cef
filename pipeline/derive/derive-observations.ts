import type { Indicator } from "../../schemas/index.ts";
import type { IndicatorSummary, Observation } from "../observation.ts";
import { comparable, type Derived } from "./progress.ts";
import { wilsonInterval } from "./wilson-interval.ts";

/** Stage 9, per cell: the rate and its interval (95% unless `z` says otherwise), wherever the counts are known. */
export function deriveObservations(observations: readonly Observation[], z = 1.959963984540054): Observation[] {
  return observations.map((o) => {
    if (o.numerator === null || o.denominator === null || o.denominator === 0)
      return { ...o, value: null, lower: null, upper: null };
    const interval = wilsonInterval(o.numerator, o.denominator, z);
    return { ...o, value: o.numerator / o.denominator, lower: interval?.lower ?? null, upper: interval?.upper ?? null };
  });
}

/**
 * Stage 11, per indicator: where the community stands against its baseline and target. Computed
 * from the published (protected) table only, so no hidden cell can leak through a change.
 */
export function summarizeIndicators(
  indicators: readonly Indicator[],
  published: readonly Observation[],
  derived?: Pick<Derived, "progress" | "changes">,
): IndicatorSummary[] {
  return indicators.map((indicator) => {
    const series = published
      .filter(
        (o) => o.indicator === indicator.id && o.geo_level === "community" && o.dimension === "all" && o.value !== null,
      )
      .sort((a, b) => a.year - b.year);
    const latest = series[series.length - 1];
    const newerNotShown =
      published
        .filter(
          (o) =>
            o.indicator === indicator.id &&
            o.geo_level === "community" &&
            o.dimension === "all" &&
            o.value === null &&
            o.year > (latest?.year ?? Number.NEGATIVE_INFINITY),
        )
        .sort((a, b) => b.year - a.year)[0] ?? null;
    const baseline = series.find((o) => o.year === indicator.baselineYear);
    const progress = derived?.progress.find((p) => p.indicator === indicator.id && p.geo_level === "community");
    const change =
      latest && baseline && latest.year !== baseline.year && comparable(indicator, baseline.year, latest.year)
        ? latest.value! - baseline.value!
        : null;
    const latestChange = derived?.changes.find(
      (c) =>
        c.indicator === indicator.id && c.geo_level === "community" && c.dimension === "all" && c.year === latest?.year,
    );
    let direction: IndicatorSummary["direction"] = "unknown";
    if (change !== null) {
      const better = indicator.polarity === "higher-is-better" ? change > 0 : change < 0;
      // Better or worse only where the change is more than chance, by the test changes.csv publishes.
      if (latestChange?.change_baseline_significant !== true) direction = "no-clear-change";
      else direction = better ? "better" : "worse";
    }
    return {
      indicator: indicator.id,
      latestYear: latest?.year ?? null,
      latestValue: latest?.value ?? null,
      baselineYear: indicator.baselineYear,
      baselineValue: baseline?.value ?? null,
      changeSinceBaseline: change,
      changeSignificant: latestChange?.change_baseline_significant ?? null,
      direction,
      targetValue: indicator.target.value,
      targetYear: indicator.target.year,
      status: progress?.status ?? "not-enough-data",
      onTrackValue: progress?.on_track_value ?? null,
      childrenNeeded: progress?.children_needed ?? null,
      breakYear: progress?.break_year ?? null,
      newerNotShown: newerNotShown && { year: newerNotShown.year, flag: newerNotShown.flag },
    };
  });
}
