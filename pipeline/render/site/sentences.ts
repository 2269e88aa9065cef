import type { Indicator } from "../../../schemas/index.ts";
import type { IndicatorSummary, Observation } from "../../observation.ts";
import type { GroupBar } from "./charts.ts";
import { formatPercent } from "./format.ts";

/**
 * The sentence under each chart, written from the published figures at build time: what a reader
 * would say after looking at the chart. Screen readers get it as the chart's description.
 */

export function trendSentence(
  indicator: Indicator,
  series: readonly Observation[],
  summary: IndicatorSummary,
  year: (y: number) => string,
): string {
  const known = series.filter((o) => o.value !== null);
  const target = `The target is ${formatPercent(indicator.target.value)} by ${indicator.target.year}.`;
  const first = known[0];
  const last = known[known.length - 1];
  if (!first || !last) return `No figure for ${indicator.shortTitle} can be published yet. ${target}`;
  if (first === last)
    return `${indicator.shortTitle} was ${formatPercent(last.value)} in ${year(last.year)}. ${target}`;
  const from = known.find((o) => o.year === summary.baselineYear) ?? first;
  const points = Math.round(((last.value as number) - (from.value as number)) * 100);
  const verb = points > 0 ? "rose" : points < 0 ? "fell" : "held steady";
  const movement =
    points === 0
      ? `${indicator.shortTitle} held steady at ${formatPercent(last.value)} from ${year(from.year)} to ${year(last.year)}.`
      : `${indicator.shortTitle} ${verb} from ${formatPercent(from.value)} in ${year(from.year)} to ${formatPercent(last.value)} in ${year(last.year)}, ${better(points, indicator)}.`;
  return `${movement} ${target}`;
}

function better(points: number, indicator: Indicator): string {
  const good = indicator.polarity === "higher-is-better" ? points > 0 : points < 0;
  const size = `${Math.abs(points)} ${Math.abs(points) === 1 ? "point" : "points"}`;
  return good ? `an improvement of ${size}` : `a change of ${size} in the wrong direction`;
}

export function groupSentence(dimensionLabel: string, bars: readonly GroupBar[], yearLabel: string): string {
  const shown = bars.filter((b) => b.value !== null).sort((a, b) => (b.value as number) - (a.value as number));
  const hidden = bars.length - shown.length;
  const hiddenText =
    hidden === 0 ? "" : ` ${hidden === 1 ? "One group is" : `${hidden} groups are`} not shown, to protect privacy.`;
  const high = shown[0];
  const low = shown[shown.length - 1];
  if (!high || !low)
    return `In ${yearLabel}, no figure by ${dimensionLabel.toLowerCase()} can be published.${hiddenText}`;
  if (high === low) return `In ${yearLabel}, ${high.label}: ${formatPercent(high.value)}.${hiddenText}`;
  const gap = Math.round(((high.value as number) - (low.value as number)) * 100);
  return `In ${yearLabel}, by ${dimensionLabel.toLowerCase()}, the share was highest for ${high.label} (${formatPercent(high.value)}) and lowest for ${low.label} (${formatPercent(low.value)}), a gap of ${gap} ${gap === 1 ? "point" : "points"}.${hiddenText}`;
}
