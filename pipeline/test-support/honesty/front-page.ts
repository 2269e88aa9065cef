/** The front page's cards and counts, re-derived from the published tables. */
import { type GapTrend, gapTrend } from "./chance.ts";
import { checkSinceClaim, communityChange, type Goal, goalIn, movesRightWay } from "./direction-claims.ts";
import type { Report } from "./finding.ts";
import { type ClaimWords, shownNumber, showsPercent, textOf, yearOf } from "./page-text.ts";
import type { Gap, PublishedTables } from "./published-tables.ts";

interface Card {
  indicator: string;
  year: number | undefined;
  goal: Goal;
}

function communityFigure(tables: PublishedTables, indicator: string, year: number) {
  return tables.figures.find(
    (f) =>
      f.indicator === indicator &&
      f.year === year &&
      f.geoLevel === "community" &&
      f.dimension === "all" &&
      f.group === "all",
  );
}

/** How a gap moved since the indicator's baseline, by the published counts. */
export function trendOfGap(tables: PublishedTables, gap: Gap, baselineYear: number, z: number): GapTrend {
  const find = (year: number, dimension: string, group: string) =>
    tables.figures.find(
      (f) =>
        f.indicator === gap.indicator &&
        f.year === year &&
        f.geoLevel === "community" &&
        f.dimension === dimension &&
        f.group === group,
    );
  const refDim = gap.reference === "overall" ? "all" : gap.dimension;
  const refGroup = gap.reference === "overall" ? "all" : gap.reference;
  const gf = find(baselineYear, gap.dimension, gap.group);
  const gt = find(gap.year, gap.dimension, gap.group);
  const rf = find(baselineYear, refDim, refGroup);
  const rt = find(gap.year, refDim, refGroup);
  if (!gf || !gt || !rf || !rt) return "unknown";
  return gapTrend({ from: gf, to: gt }, { from: rf, to: rt }, z);
}

export function checkFrontPage(
  html: string,
  tables: PublishedTables,
  words: ClaimWords,
  z: number,
  report: Report,
): void {
  const cards: Card[] = [];
  for (const m of html.matchAll(/<li class="card[^"]*">([\s\S]*?)<\/li>/g)) {
    const card = m[1] ?? "";
    const indicator = /href="(?:\.\.\/)?indicators\/([^".]+)\.html"/.exec(card)?.[1];
    if (indicator === undefined) continue;
    const value = /<span class="value">([^<]*)<\/span>/.exec(card)?.[1];
    const yearLabel = /<span class="year">[^<\d]*([^<]*)<\/span>/.exec(card)?.[1];
    const year = yearLabel === undefined ? undefined : yearOf(yearLabel);
    const text = textOf(card);
    cards.push({ indicator, year, goal: goalIn(text, words) });
    if (value === undefined || year === undefined) continue;
    const figure = communityFigure(tables, indicator, year);
    const percent = /(\d+(?:\.\d+)?)%/.exec(value)?.[1];
    if (figure?.value === undefined || figure.value === null)
      report("figure-without-table", text, "no published figure");
    else if (percent !== undefined && !showsPercent(shownNumber(percent), figure.value))
      report("value-misstated", value, `the published value is ${figure.value}`);
    for (const fact of card.matchAll(/<dt>([^<]*)<\/dt><dd>([\s\S]*?)<\/dd>/g)) {
      const dd = textOf(fact[2] ?? "");
      if (/\d{4}/.test(fact[1] ?? ""))
        checkSinceClaim(dd, communityChange(tables, indicator, year), goalIn(text, words), words, report);
      if (words.noGroupBehind.test(dd)) {
        const unknown = tables.figures.filter(
          (f) =>
            f.indicator === indicator &&
            f.year === year &&
            f.geoLevel === "community" &&
            f.dimension !== "all" &&
            f.value === null,
        );
        if (unknown.length > 0)
          report("unknown-said-as-known", dd, `${unknown.length} groups of ${indicator} in ${year} are not published`);
      }
    }
  }
  const text = textOf(html);
  const moving = words.movingHeadline.exec(text);
  if (moving) {
    let right = 0;
    let total = 0;
    for (const card of cards) {
      if (card.year === undefined) continue;
      const change = communityChange(tables, card.indicator, card.year);
      if (change?.changeBaseline === null || change === undefined) continue;
      total += 1;
      if (movesRightWay(change, card.goal) === true) right += 1;
    }
    if (Number(moving[1]) !== right || Number(moving[2]) !== total)
      report("count-misstated", moving[0], `${right} of ${total} changed the right way by more than chance`);
  }
  const narrowing = words.gapsHeadline.exec(text);
  if (narrowing) {
    let shrinking = 0;
    let total = 0;
    for (const card of cards) {
      if (card.year === undefined) continue;
      const baseline = communityChange(tables, card.indicator, card.year)?.baselineYear;
      if (baseline === null || baseline === undefined) continue;
      for (const gap of tables.gaps) {
        if (gap.indicator !== card.indicator || gap.year !== card.year || gap.geoLevel !== "community") continue;
        if (!gap.behind || gap.baselineGap === null) continue;
        total += 1;
        if (trendOfGap(tables, gap, baseline, z) === "narrowing") shrinking += 1;
      }
    }
    if (Number(narrowing[1]) !== shrinking || Number(narrowing[2]) !== total)
      report("count-misstated", narrowing[0], `${shrinking} of ${total} gaps narrowed by more than chance`);
  }
}
