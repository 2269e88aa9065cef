import type { Indicator } from "../../../schemas/index.ts";
import type { Gap, GapTrend, Progress } from "../../derive/progress.ts";
import type { IndicatorSummary, Observation } from "../../observation.ts";
import type { GroupBar } from "./charts.ts";
import { inSentence, type Locale } from "./format.ts";
import { fill } from "./site-strings.ts";

/**
 * The sentence under each chart, written from the published figures at build time: what a reader
 * would say after looking at the chart. Screen readers get it as the chart's description. The
 * words come from the language's translation file; only the choice of sentence is made here.
 */

export function trendSentence(
  loc: Locale,
  indicator: Indicator,
  series: readonly Observation[],
  summary: IndicatorSummary,
): string {
  const t = loc.s.sentences;
  const year = (y: number) => loc.year(y, indicator.yearType);
  const known = series.filter((o) => o.value !== null);
  const target = fill(t.targetIs, { value: loc.percent(indicator.target.value), year: indicator.target.year });
  const first = known[0];
  const last = known[known.length - 1];
  const name = indicator.shortTitle;
  if (!first || !last) return `${fill(t.noFigure, { name })} ${target}`;
  if (first === last)
    return `${fill(t.single, { name, value: loc.percent(last.value), year: year(last.year) })} ${target}`;
  const from = known.find((o) => o.year === summary.baselineYear) ?? first;
  const pair = shownPair(loc, last.value as number, from.value as number);
  const movement =
    pair.difference === 0
      ? fill(t.steady, { name, value: pair.a, from: year(from.year), to: year(last.year) })
      : fill(pair.difference > 0 ? t.rose : t.fell, {
          name,
          fromValue: pair.b,
          from: year(from.year),
          toValue: pair.a,
          to: year(last.year),
          change: fill(
            summary.changeSignificant === null || from.year !== summary.baselineYear
              ? t.changeOf
              : !summary.changeSignificant
                ? t.withinChance
                : (indicator.polarity === "higher-is-better" ? pair.difference > 0 : pair.difference < 0)
                  ? t.improvement
                  : t.wrongWay,
            { points: loc.points(pair.difference) },
          ),
        });
  return `${movement} ${target}`;
}

export function groupSentence(
  loc: Locale,
  dimensionLabel: string,
  bars: readonly GroupBar[],
  yearLabel: string,
): string {
  const t = loc.s.sentences;
  const shown = bars.filter((b) => b.value !== null).sort((a, b) => (b.value as number) - (a.value as number));
  const ranged = bars.filter((b) => b.value === null && b.range);
  const withheld = bars.filter((b) => b.value === null && !b.range && b.withheld).length;
  const hidden = bars.length - shown.length - ranged.length - withheld;
  const withheldText =
    withheld === 0 ? "" : ` ${withheld === 1 ? t.withheldOne : fill(t.withheldMany, { n: withheld })}`;
  const rangedText =
    ranged.length === 0
      ? ""
      : ` ${fill(t.rangedGroups, { groups: loc.list(ranged.map((b) => `${b.label} (${b.range})`)) })}`;
  const hiddenText =
    (hidden === 0 ? "" : ` ${hidden === 1 ? t.hiddenOne : fill(t.hiddenMany, { n: hidden })}`) +
    withheldText +
    rangedText;
  const high = shown[0];
  const low = shown[shown.length - 1];
  const dimension = inSentence(dimensionLabel);
  if (!high || !low) return `${fill(t.groupsNone, { year: yearLabel, dimension })}${hiddenText}`;
  if (high === low)
    return `${fill(t.groupsOne, { year: yearLabel, group: high.label, value: loc.percent(high.value) })}${hiddenText}`;
  const pair = shownPair(loc, high.value as number, low.value as number);
  if (pair.difference === 0)
    return `${fill(t.groupsEven, { year: yearLabel, dimension, value: pair.a, n: shown.length })}${hiddenText}`;
  return `${fill(t.groupsRange, {
    year: yearLabel,
    dimension,
    high: high.label,
    highValue: pair.a,
    low: low.label,
    lowValue: pair.b,
    points: loc.points(pair.difference),
  })}${hiddenText}`;
}

/**
 * Two shares as the sentence shows them, and the difference between the shares shown, so a reader
 * who does the subtraction gets the same answer: whole percents, or a tenth where whole percents
 * would show two different shares as one (`51%` and `51%`, "a gap of 1 point"). A difference of 0
 * means they read the same even to a tenth.
 */
export function shownPair(loc: Locale, a: number, b: number): { a: string; b: string; difference: number } {
  const whole = (x: number) => Math.round(x * 100);
  if (whole(a) !== whole(b)) return { a: loc.percent(a), b: loc.percent(b), difference: (whole(a) - whole(b)) / 100 };
  const tenths = (x: number) => Math.round(x * 1000);
  if (tenths(a) === tenths(b)) return { a: loc.percent(a), b: loc.percent(b), difference: 0 };
  return { a: loc.percentOne(a), b: loc.percentOne(b), difference: (tenths(a) - tenths(b)) / 1000 };
}

/** What the progress status means for this indicator, with the pace and the children it would take. */
export function progressSentence(
  loc: Locale,
  indicator: Indicator,
  summary: IndicatorSummary,
  progress: Progress | undefined,
): string {
  const t = loc.s.sentences;
  const year = (y: number) => loc.year(y, indicator.yearType);
  const target = fill(loc.s.index.targetBy, {
    value: loc.percent(indicator.target.value),
    year: indicator.target.year,
  });
  const name = indicator.shortTitle;
  switch (summary.status) {
    case "target-reached":
      return fill(t.reached, { name, target });
    case "target-missed":
      return fill(t.missed, {
        name,
        target,
        year: summary.latestYear === null ? "" : year(summary.latestYear),
        value: loc.percent(summary.latestValue),
      });
    case "not-enough-data": {
      if (summary.breakYear !== null) {
        const note = indicator.breaks.find((b) => b.year === summary.breakYear)?.note ?? t.measureChanged;
        return fill(t.breakNotJudged, { target, note: note.replace(/\.$/, ""), year: year(summary.breakYear) });
      }
      return fill(t.baselineNotJudged, { target, year: year(indicator.baselineYear) });
    }
    default: {
      if (!progress || progress.required_pace === null || progress.actual_pace === null || summary.latestYear === null)
        return fill(t.notJudged, { target });
      const needed = fill(t.perYear, { points: loc.points(progress.required_pace) });
      const actual = fill(t.perYear, { points: loc.points(progress.actual_pace) });
      const higher = indicator.polarity === "higher-is-better";
      const pace =
        summary.status === "on-track"
          ? fill(t.onTrack, { actual, baseline: year(indicator.baselineYear), needed, target })
          : fill(t.behind, {
              actual,
              direction: progress.actual_pace > 0 === higher ? t.rightDirection : t.wrongDirection,
              baseline: year(indicator.baselineYear),
              target,
              needed,
            });
      const n = summary.childrenNeeded;
      if (n === null || n <= 0) return pace;
      const template = higher
        ? n === 1
          ? t.childrenHigherOne
          : t.childrenHigherMany
        : n === 1
          ? t.childrenLowerOne
          : t.childrenLowerMany;
      return `${pace} ${fill(template, { year: year(summary.latestYear), count: loc.count(n) })}`;
    }
  }
}

/** How a gap moved since the baseline, in the words of the list of largest gaps. */
const GAP_TREND_WORDS: { [T in GapTrend]: (t: Locale["s"]["sentences"]) => string } = {
  narrowing: (t) => t.gapsNarrowing,
  widening: (t) => t.gapsWidening,
  reversed: (t) => t.gapsReversed,
  "no-clear-change": (t) => t.gapsNoClearChange,
};

/** "12.5 points behind everyone": how far a group is from its reference. */
export function gapWords(loc: Locale, gap: Gap, referenceLabel: string): string {
  return fill(loc.s.gaps.behind, { points: loc.points(gap.gap), reference: referenceLabel });
}

/** The largest gaps of the latest year in words: who is furthest behind, and whether it is closing. */
export function gapSentence(
  loc: Locale,
  gaps: readonly Gap[],
  label: (g: Gap) => string,
  referenceLabel: (g: Gap) => string,
  year: (y: number) => string,
  baselineYear: string,
): string {
  const t = loc.s.sentences;
  const behind = gaps.filter((g) => g.behind).sort((a, b) => Math.abs(b.gap) - Math.abs(a.gap));
  const first = gaps[0];
  if (!first) return "";
  if (behind.length === 0) return fill(t.gapsNoneBehind, { year: year(first.year), reference: referenceLabel(first) });
  const top = behind.slice(0, 3).map((g) =>
    fill(t.gapsItem, {
      group: label(g),
      gap: gapWords(loc, g, referenceLabel(g)),
      trend: g.trend === null ? "" : fill(GAP_TREND_WORDS[g.trend](t), { year: baselineYear }),
    }),
  );
  return fill(t.gapsLargest, { year: year((behind[0] as Gap).year), list: top.join("; ") });
}
