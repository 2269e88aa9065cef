import type { Indicator } from "../../../schemas/index.ts";
import type { Gap, Progress, ProgressStatus } from "../../derive/progress.ts";
import type { IndicatorSummary, Observation } from "../../observation.ts";
import type { GroupBar } from "./charts.ts";
import { formatCount, formatPercent } from "./format.ts";

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

export const STATUS_WORDS: Record<ProgressStatus, string> = {
  "target-reached": "Target reached",
  "on-track": "On track",
  "needs-acceleration": "Progress, but too slow",
  "limited-progress": "Limited progress",
  "wrong-way": "Moving the wrong way",
  "not-enough-data": "Not enough data to judge",
};

function points(share: number): string {
  const p = Math.round(Math.abs(share) * 1000) / 10;
  return `${p} ${p === 1 ? "point" : "points"}`;
}

/** What the progress status means for this indicator, with the pace and the children it would take. */
export function progressSentence(
  indicator: Indicator,
  summary: IndicatorSummary,
  progress: Progress | undefined,
  year: (y: number) => string,
): string {
  const target = `${formatPercent(indicator.target.value)} by ${indicator.target.year}`;
  const name = indicator.shortTitle;
  switch (summary.status) {
    case "target-reached":
      return `${name} has reached its target of ${target}.`;
    case "not-enough-data": {
      if (summary.breakYear !== null) {
        const note = indicator.breaks.find((b) => b.year === summary.breakYear)?.note ?? "the measure changed";
        return `Progress to the target of ${target} cannot be judged yet: ${note.replace(/\.$/, "")} in ${year(summary.breakYear)}, so figures before and after are not compared.`;
      }
      return `Progress to the target of ${target} cannot be judged yet: it needs a published figure for the baseline year, ${year(indicator.baselineYear)}, and a later one.`;
    }
    default: {
      if (!progress || progress.required_pace === null || progress.actual_pace === null || summary.latestYear === null)
        return `Progress to the target of ${target} cannot be judged yet.`;
      const needed = `${points(progress.required_pace)} a year`;
      const actual = `${points(progress.actual_pace)} a year`;
      const dir =
        progress.actual_pace > 0 === (indicator.polarity === "higher-is-better")
          ? "in the right direction"
          : "in the wrong direction";
      const pace =
        summary.status === "on-track"
          ? `It has moved ${actual} since ${year(indicator.baselineYear)}, as fast as the ${needed} the target of ${target} needs.`
          : `It has moved ${actual} ${dir} since ${year(indicator.baselineYear)}; the target of ${target} needs ${needed}.`;
      const more = indicator.polarity === "higher-is-better" ? "more" : "fewer";
      const children =
        summary.childrenNeeded !== null && summary.childrenNeeded > 0
          ? ` To be on track in ${year(summary.latestYear)}, ${formatCount(summary.childrenNeeded)} ${more} ${summary.childrenNeeded === 1 ? "child" : "children"} would have needed to ${indicator.polarity === "higher-is-better" ? "reach this milestone" : "have this outcome"}.`
          : "";
      return `${pace}${children}`;
    }
  }
}

/** The largest gaps of the latest year in words: who is furthest behind, and whether it is closing. */
export function gapSentence(
  gaps: readonly Gap[],
  label: (g: Gap) => string,
  referenceLabel: (g: Gap) => string,
  year: (y: number) => string,
  baselineYear: string,
): string {
  const behind = gaps.filter((g) => g.behind).sort((a, b) => Math.abs(b.gap) - Math.abs(a.gap));
  if (gaps.length === 0) return "";
  if (behind.length === 0) return `In ${year(gaps[0]!.year)}, no group is behind ${referenceLabel(gaps[0]!)}.`;
  const top = behind.slice(0, 3).map((g) => {
    const trend =
      g.narrowing === null
        ? ""
        : g.narrowing
          ? `, narrowing since ${baselineYear}`
          : `, not narrowing since ${baselineYear}`;
    return `${label(g)}, ${points(g.gap)} behind ${referenceLabel(g)}${trend}`;
  });
  return `The largest gaps in ${year(behind[0]!.year)}: ${top.join("; ")}.`;
}
