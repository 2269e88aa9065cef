/** "Better than the baseline", "+6 points": each checked against `changes.csv`. */
import type { Report } from "./finding.ts";
import { type ClaimWords, roundTo, type Shown, shownNumber, yearOf } from "./page-text.ts";
import type { Change, PublishedTables } from "./published-tables.ts";

export type Goal = "higher" | "lower" | undefined;

export function goalIn(text: string, words: ClaimWords): Goal {
  if (words.higherIsBetter.test(text)) return "higher";
  if (words.lowerIsBetter.test(text)) return "lower";
  return undefined;
}

/** The community's change since the baseline for an indicator's figure for everyone in `year`. */
export function communityChange(tables: PublishedTables, indicator: string, year: number): Change | undefined {
  return tables.changes.find(
    (c) =>
      c.indicator === indicator &&
      c.geoLevel === "community" &&
      c.dimension === "all" &&
      c.group === "all" &&
      c.year === year,
  );
}

/** Whether a significant change goes the way the goal wants. */
export function movesRightWay(change: Change, goal: Goal): boolean | undefined {
  if (!change.significant || change.changeBaseline === null || goal === undefined) return undefined;
  return goal === "higher" ? change.changeBaseline > 0 : change.changeBaseline < 0;
}

/**
 * Checks a "Since 2020–21: +6 points, Better than the baseline" claim: the change as shown, and the
 * direction word only where the change is larger than chance and goes that way.
 */
export function checkSinceClaim(
  text: string,
  change: Change | undefined,
  goal: Goal,
  words: ClaimWords,
  report: Report,
): void {
  const says = words.better.test(text) ? "better" : words.worse.test(text) ? "worse" : undefined;
  const points = new RegExp(`([+−-]\\d+(?:\\.\\d+)?) ${words.points}`).exec(text);
  if (change === undefined) {
    if (says || points) report("change-without-table", text, "changes.csv has no such change");
    return;
  }
  if (points?.[1] !== undefined && change.changeBaseline !== null) {
    const shown = shownNumber(points[1]);
    if (roundTo(change.changeBaseline * 100, shown.decimals) !== shown.value)
      report("change-misstated", text, `changes.csv: ${(change.changeBaseline * 100).toFixed(3)} points`);
  }
  if (says === undefined) return;
  if (!change.significant) {
    report(
      "direction-within-chance",
      text,
      `changes.csv marks the change since ${change.baselineYear} not significant`,
    );
    return;
  }
  const right = movesRightWay(change, goal);
  if (right !== undefined && right !== (says === "better"))
    report("direction-wrong-way", text, `the change is ${change.changeBaseline} with the goal ${goal}`);
}

/** The baseline year of a "Since 2020–21" label. */
export function sinceYear(label: string): number | undefined {
  const m = /(\d{4}(?:[–-]\d{2})?)/.exec(label);
  return m?.[1] === undefined ? undefined : yearOf(m[1]);
}

/** Whether `difference` is the difference of the two figures as they are shown. */
export function differenceAsShown(from: Shown, to: Shown, difference: Shown): boolean {
  if (Math.min(from.decimals, to.decimals) < difference.decimals) return false;
  return roundTo(Math.abs(to.value - from.value), difference.decimals) === Math.abs(difference.value);
}
