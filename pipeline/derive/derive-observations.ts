import type { Indicator } from "../../schemas/index.ts";
import type { IndicatorSummary, Observation } from "../observation.ts";
import { wilsonInterval } from "./wilson-interval.ts";

/** Stage 7, per cell: the rate and its 95% interval, wherever the counts are known. */
export function deriveObservations(observations: readonly Observation[]): Observation[] {
  return observations.map((o) => {
    if (o.numerator === null || o.denominator === null || o.denominator === 0)
      return { ...o, value: null, lower: null, upper: null };
    const interval = wilsonInterval(o.numerator, o.denominator);
    return { ...o, value: o.numerator / o.denominator, lower: interval?.lower ?? null, upper: interval?.upper ?? null };
  });
}

/**
 * Stage 7, per indicator: where the community stands against its baseline and target. Computed
 * from the published (protected) table only, so no hidden cell can leak through a change.
 */
export function summarizeIndicators(
  indicators: readonly Indicator[],
  published: readonly Observation[],
): IndicatorSummary[] {
  return indicators.map((indicator) => {
    const series = published
      .filter(
        (o) => o.indicator === indicator.id && o.geo_level === "community" && o.dimension === "all" && o.value !== null,
      )
      .sort((a, b) => a.year - b.year);
    const latest = series[series.length - 1];
    const baseline = series.find((o) => o.year === indicator.baselineYear);
    const change = latest && baseline && latest.year !== baseline.year ? latest.value! - baseline.value! : null;
    let direction: IndicatorSummary["direction"] = "unknown";
    if (change !== null) {
      const better = indicator.polarity === "higher-is-better" ? change > 0 : change < 0;
      direction = Math.abs(change) < 0.005 ? "no-change" : better ? "better" : "worse";
    }
    return {
      indicator: indicator.id,
      latestYear: latest?.year ?? null,
      latestValue: latest?.value ?? null,
      baselineYear: indicator.baselineYear,
      baselineValue: baseline?.value ?? null,
      changeSinceBaseline: change,
      direction,
      targetValue: indicator.target.value,
      targetYear: indicator.target.year,
    };
  });
}
