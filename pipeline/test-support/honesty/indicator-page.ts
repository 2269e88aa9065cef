/** An indicator page's headline, chart sentences and tables, re-derived from the published tables. */
import { intervalsSeparate } from "./chance.ts";
import { checkSinceClaim, communityChange, differenceAsShown, goalIn, sinceYear } from "./direction-claims.ts";
import type { Report } from "./finding.ts";
import { checkGapSentences, type LabelledFigures } from "./gap-sentences.ts";
import { type ClaimWords, shownNumber, showsPercent, textOf, yearOf } from "./page-text.ts";
import type { Figure, PublishedTables } from "./published-tables.ts";

interface TableRow {
  label: string;
  share: string;
  counts: [number, number] | undefined;
}

function tableRows(html: string): TableRow[] {
  const rows: TableRow[] = [];
  for (const m of html.matchAll(/<tr><th scope="row">([\s\S]*?)<\/th>([\s\S]*?)<\/tr>/g)) {
    const cells = [...(m[2] ?? "").matchAll(/<td>([\s\S]*?)<\/td>/g)].map((c) => textOf(c[1] ?? ""));
    const counts = /^([\d,]+) (?:of|de) ([\d,]+)$/.exec(cells[cells.length - 1] ?? "");
    rows.push({
      label: textOf(m[1] ?? ""),
      share: cells[0] ?? "",
      counts: counts ? [Number(counts[1]?.replace(/,/g, "")), Number(counts[2]?.replace(/,/g, ""))] : undefined,
    });
  }
  return rows;
}

const keyOf = (f: Figure) => [f.year, f.geoLevel, f.geoId, f.dimension, f.group].join("|");

/** Every rendering of each figure on the page: one figure must read the same everywhere. */
class Renderings {
  readonly byFigure = new Map<string, Set<string>>();
  add(figure: Figure | undefined, text: string): void {
    if (figure === undefined) return;
    const set = this.byFigure.get(keyOf(figure)) ?? new Set<string>();
    set.add(text.trim());
    this.byFigure.set(keyOf(figure), set);
  }
}

export function checkIndicatorPage(
  indicator: string,
  html: string,
  tables: PublishedTables,
  words: ClaimWords,
  z: number,
  report: Report,
): void {
  const page = html.replace(/<svg[\s\S]*?<\/svg>/g, "");
  const mine = tables.figures.filter((f) => f.indicator === indicator);
  const shown = new Renderings();
  const labelled: LabelledFigures = new Map();
  const figureOfRow = (row: TableRow): Figure | undefined => {
    if (row.counts === undefined) return undefined;
    const [n, d] = row.counts;
    let candidates = mine.filter((f) => f.numerator === n && f.denominator === d);
    if (/^\d{4}/.test(row.label)) candidates = candidates.filter((f) => f.year === yearOf(row.label));
    return candidates.length === 1 ? candidates[0] : undefined;
  };
  const headline = /<div class="headline">([\s\S]*?)<\/div>/.exec(page)?.[1] ?? "";
  const year = yearOf(/<span class="year">[^<\d]*([^<]*)<\/span>/.exec(headline)?.[1] ?? "");
  const community = (y: number) =>
    mine.find((f) => f.year === y && f.geoLevel === "community" && f.dimension === "all" && f.group === "all");
  const goal = goalIn(textOf(headline), words);
  let since: { text: string; baseline: number; points: string } | undefined;
  if (Number.isFinite(year)) {
    shown.add(community(year), /<span class="value">([^<]*)<\/span>/.exec(headline)?.[1] ?? "");
    for (const p of headline.matchAll(/<p>([\s\S]*?)<\/p>/g)) {
      const text = textOf(p[1] ?? "");
      const baseline = sinceYear(text);
      const points = new RegExp(`([+−-]\\d+(?:\\.\\d+)?) ${words.points}`).exec(text)?.[1];
      if (baseline === undefined || points === undefined) continue;
      since = { text, baseline, points };
      checkSinceClaim(text, communityChange(tables, indicator, year), goal, words, report);
    }
  }
  for (const block of page.split(/<figure\b/).slice(1)) {
    const caption = textOf(/<figcaption[^>]*>([\s\S]*?)<\/figcaption>/.exec(block)?.[1] ?? "");
    const rows = tableRows(block);
    const rowFigures = new Map<string, Figure>();
    for (const row of rows) {
      const figure = figureOfRow(row);
      if (figure === undefined) continue;
      shown.add(figure, row.share);
      rowFigures.set(row.label, figure);
      labelled.set(row.label, labelled.has(row.label) && labelled.get(row.label) !== figure ? "ambiguous" : figure);
    }
    for (const m of caption.matchAll(words.trendSentence)) {
      const [, a, y1, b, y2, kind, n] = m;
      const from = community(yearOf(y1 ?? ""));
      const to = community(yearOf(y2 ?? ""));
      shown.add(from, `${a}%`);
      shown.add(to, `${b}%`);
      if (!differenceAsShown(shownNumber(a ?? ""), shownNumber(b ?? ""), shownNumber(n ?? "")))
        report("difference-not-as-shown", m[0], `${a}% to ${b}% is not a change of ${n} points`);
      const change = to === undefined ? undefined : communityChange(tables, indicator, to.year);
      if (/improvement|mejora/.test(kind ?? "") && change !== undefined && !change.significant)
        report("direction-within-chance", m[0], "changes.csv marks the change not significant");
    }
    for (const m of caption.matchAll(words.rangeSentence)) {
      const [, , , high, hv, low, lv, n] = m;
      const hi = rowFigures.get(high ?? "");
      const lo = rowFigures.get(low ?? "");
      shown.add(hi, `${hv}%`);
      shown.add(lo, `${lv}%`);
      report("gap-not-against-reference", m[0], "a gap is a group's distance to the indicator's reference group");
      if (hi && lo && !intervalsSeparate(hi, lo))
        report("ranking-within-chance", m[0], `the intervals of ${high} and ${low} overlap`);
      if (!differenceAsShown(shownNumber(lv ?? ""), shownNumber(hv ?? ""), shownNumber(n ?? "")))
        report("difference-not-as-shown", m[0], `${hv}% and ${lv}% are not ${n} points apart`);
    }
    checkMapSentence(html, caption, mine, words, shown, report);
  }
  checkGapSentences(textOf(page), labelled, tables, indicator, words, z, report);
  const first = (f: Figure | undefined) => (f === undefined ? undefined : [...(shown.byFigure.get(keyOf(f)) ?? [])][0]);
  const from = first(community(since?.baseline ?? Number.NaN));
  const to = first(community(year));
  if (since && from && to && !differenceAsShown(shownNumber(from), shownNumber(to), shownNumber(since.points)))
    report("difference-not-as-shown", since.text, `the page shows ${from} in ${since.baseline} and ${to} in ${year}`);
  for (const [key, texts] of shown.byFigure)
    if (texts.size > 1) report("one-value-shown-two-ways", [...texts].join(" / "), `one published figure (${key})`);
}

function checkMapSentence(
  html: string,
  caption: string,
  mine: readonly Figure[],
  words: ClaimWords,
  shown: Renderings,
  report: Report,
): void {
  const names = new Map<string, string>();
  for (const m of html.matchAll(/"geo_id":"([^"]+)","name":"([^"]+)"/g)) names.set(m[2] ?? "", m[1] ?? "");
  for (const m of caption.matchAll(words.mapSentence)) {
    const [, y, high, hv, low, lv] = m;
    const district = (name: string | undefined) =>
      mine.find(
        (f) =>
          f.year === yearOf(y ?? "") &&
          f.geoLevel === "district" &&
          f.geoId === names.get(name ?? "") &&
          f.dimension === "all" &&
          f.group === "all",
      );
    const hi = district(high);
    const lo = district(low);
    shown.add(hi, `${hv}%`);
    shown.add(lo, `${lv}%`);
    if (hi?.value != null && !showsPercent(shownNumber(hv ?? ""), hi.value))
      report("value-misstated", m[0], `${high}: ${hi.value}`);
    if (hi && lo && !intervalsSeparate(hi, lo))
      report("ranking-within-chance", m[0], `the intervals of ${high} and ${low} overlap`);
  }
}
