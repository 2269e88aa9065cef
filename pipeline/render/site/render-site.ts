import {
  type Dimension,
  type Indicator,
  type PrivacyPolicy,
  SITE_LANGUAGES,
  type SiteLanguage,
} from "../../../schemas/index.ts";
import type { Gap } from "../../derive/progress.ts";
import type { IndicatorSummary, Observation, ObservationFlag } from "../../observation.ts";
import { policyFor } from "../../protect/privacy-policy.ts";
import { escapeHtml } from "../escape-html.ts";
import type { SiteInput } from "../site-input.ts";
import {
  type BoundaryFeature,
  type ChartText,
  type GapPoint,
  GROUP_PALETTE,
  type GroupBar,
  gapTrendChartSpec,
  groupChartSpec,
  type MapArea,
  mapChartSpec,
  type RenderedChart,
  renderChart,
  type TrendPoint,
  trendChartSpec,
} from "./charts.ts";
import { DERIVED_COLUMNS, dataPackage, observationsCsv, observationsJson, tableCsv } from "./downloads.ts";
import { createLocale, inSentence, type Locale } from "./format.ts";
import type { SiteAssets } from "./load-site-assets.ts";
import { gapSentence, gapWords, groupSentence, progressSentence, shownPair, trendSentence } from "./sentences.ts";
import { fill } from "./site-strings.ts";

/**
 * Stage 9, public side: the site as a map of site-relative paths to contents. Pure: the same input
 * gives the same bytes. Everything drawn here comes from the protected table in `input`.
 *
 * Every page is built in each language: the config's `site.language` at the root, the others in a
 * folder of their own (`es/index.html`, `es/indicators/<id>.html`), sharing `assets/` and the
 * downloads. Links between pages are relative, so the site works from `file://` and any host.
 */
export async function renderSite(input: SiteInput, assets: SiteAssets): Promise<Map<string, string | Uint8Array>> {
  const site = new Map<string, string | Uint8Array>();
  for (const [p, content] of assets.files) site.set(p, content);
  const primary = input.config.site.language;
  const languages = [primary, ...SITE_LANGUAGES.filter((l) => l !== primary)];
  for (const lang of languages) await renderLanguage(site, input, assets, siteContext(input, assets, lang, languages));

  for (const indicator of input.indicators) {
    const own = input.observations.filter((o) => o.indicator === indicator.id);
    site.set(`data/${indicator.id}.csv`, observationsCsv(own));
    site.set(`data/${indicator.id}.json`, observationsJson(own));
  }
  for (const [name, rows] of [
    ["changes", input.derived.changes],
    ["progress", input.derived.progress],
    ["gaps", input.derived.gaps],
  ] as const) {
    site.set(`data/${name}.csv`, tableCsv(rows as readonly object[], DERIVED_COLUMNS[name]));
    site.set(`data/${name}.json`, `${JSON.stringify(rows, null, 1)}\n`);
  }
  site.set("data/observations.csv", observationsCsv(input.observations));
  site.set("data/observations.json", observationsJson(input.observations));
  const title = input.config.site.title ?? input.config.partnership.name;
  site.set("datapackage.json", dataPackage(input.config.community.id, title, input.buildDate, input.indicators));
  return site;
}

async function renderLanguage(
  site: Map<string, string | Uint8Array>,
  input: SiteInput,
  assets: SiteAssets,
  ctx: SiteContext,
): Promise<void> {
  const t = ctx.loc.s;
  const put = (rel: string, current: string, title: string, body: string, charts = false) =>
    site.set(ctx.dir + rel, page(assets, ctx, rel, current, title, body, charts));

  put("index.html", "home", ctx.title, assets.pages.index(view(ctx, indexView(input, ctx))));
  for (const indicator of input.indicators) {
    const text = ctx.indicatorText(indicator);
    const v = await indicatorView(input, ctx, indicator);
    put(`indicators/${indicator.id}.html`, indicator.id, text.title, assets.pages.indicator(view(ctx, v)), true);
    for (const chart of v.charts) {
      const rel = `embed/${chart.id}.html`;
      site.set(ctx.dir + rel, assets.pages.embed(view(ctx, embedView(ctx, rel, text, chart))));
    }
  }
  put("data.html", "data", t.page.dataTitle, assets.pages.data(view(ctx, dataView(input, ctx))));
  put("methods.html", "methods", t.page.methodsTitle, assets.pages.methods(view(ctx, methodsView(input, ctx))));
}

/** A page's view with what every template needs: the language's strings, for `{{t}}`. */
function view(ctx: SiteContext, v: object): object {
  return { ...v, strings: ctx.loc.s, lang: ctx.loc.lang };
}

/** The marks that stand for each flag, the same on every page and in every language. */
export const FLAG_SYMBOLS: Record<Exclude<ObservationFlag, "ok">, string> = {
  suppressed: "*",
  "source-suppressed": "†",
  incomplete: "‡",
  "low-reliability": "§",
  "bottom-coded": "‖",
  "top-coded": "¶",
};

/** The footnote a flag earns, in the page's language, with the policy's own numbers. */
export function flagNote(loc: Locale, flag: Exclude<ObservationFlag, "ok">, policy: PrivacyPolicy): string {
  const f = loc.s.flags;
  switch (flag) {
    case "suppressed":
      return fill(f.suppressed, { minimum: policy.minimumCount, counted: countedWords(loc, policy.counted) });
    case "source-suppressed":
      return f.sourceSuppressed;
    case "incomplete":
      return f.incomplete;
    case "low-reliability":
      return fill(f.lowReliability, { rule: reliabilityWords(loc, policy) });
    case "bottom-coded":
      return fill(f.bottomCoded, { minimum: policy.minimumCount, percent: loc.percent(policy.coding?.below ?? null) });
    case "top-coded":
      return fill(f.topCoded, { minimum: policy.minimumCount, percent: loc.percent(policy.coding?.above ?? null) });
  }
}

/** "were counted, reached the outcome or did not reach it": the counts the minimum applies to, in words. */
function countedWords(loc: Locale, counted: PrivacyPolicy["counted"]): string {
  const f = loc.s.flags;
  const words = { denominator: f.countedDenominator, numerator: f.countedNumerator, complement: f.countedComplement };
  return loc.list(
    (["denominator", "numerator", "complement"] as const).filter((q) => counted.includes(q)).map((q) => words[q]),
    "or",
  );
}

/** "fewer than 30 counted or fewer than 20 reaching the outcome". */
function reliabilityWords(loc: Locale, p: PrivacyPolicy): string {
  const parts = [];
  if (p.reliability.minimumDenominator > 0)
    parts.push(fill(loc.s.flags.fewerCounted, { n: p.reliability.minimumDenominator }));
  if (p.reliability.minimumNumerator > 0)
    parts.push(fill(loc.s.flags.fewerReaching, { n: p.reliability.minimumNumerator }));
  return loc.list(parts, "or");
}

interface SiteContext {
  loc: Locale;
  /** This language's folder within the site: `` for the primary language, `es/` for another. */
  dir: string;
  /** Every language, primary first, with its folder, for the language switch. */
  languages: { lang: SiteLanguage; dir: string; name: string }[];
  title: string;
  minimumCount: number;
  /** `95%`. */
  confidence: string;
  chartText: ChartText;
  groupLabel: (dimension: Dimension | "all", group: string) => string;
  /** A group's place in its vocabulary: groups are always listed in this order. */
  groupIndex: (dimension: Dimension, group: string) => number;
  /** A group's colour, the same on every chart. */
  groupColour: (dimension: Dimension, group: string) => string;
  dimensionLabel: (dimension: Dimension) => string;
  partnerName: (id: string) => string;
  summaries: Map<string, IndicatorSummary>;
  /** The indicator with its title, definition and notes in this language, where the file gives them. */
  indicatorText: (indicator: Indicator) => Indicator;
  /** Where the site is published (ending in `/`), for embed codes; null when the config does not say. */
  siteUrl: string | null;
}

function siteContext(
  input: SiteInput,
  assets: SiteAssets,
  lang: SiteLanguage,
  languages: readonly SiteLanguage[],
): SiteContext {
  const loc = createLocale(lang, assets.strings[lang]);
  const dirOf = (l: SiteLanguage) => (l === languages[0] ? "" : `${l}/`);
  const dims = input.vocabularies.get("dimension");
  const label = (g: { label: string; labels: Partial<Record<SiteLanguage, string>> } | undefined) =>
    g ? (g.labels[lang] ?? g.label) : undefined;
  const confidence = loc.percent(input.config.statistics.confidenceLevel).replace(/\d+/, () => {
    const p = Math.round(input.config.statistics.confidenceLevel * 1000) / 10;
    return loc.number(p, Number.isInteger(p) ? 0 : 1);
  });
  const url = input.config.site.url;
  const groupIndex = (dimension: Dimension, group: string) =>
    input.vocabularies.get(dimension)?.groups.findIndex((g) => g.code === group) ?? -1;
  return {
    loc,
    dir: dirOf(lang),
    languages: languages.map((l) => ({ lang: l, dir: dirOf(l), name: assets.strings[l].language.name })),
    title: input.config.site.title ?? input.config.partnership.name,
    minimumCount: input.minimumCount,
    confidence,
    chartText: { loc, confidence },
    groupLabel: (dimension, group) =>
      dimension === "all"
        ? loc.s.charts.all
        : (label(input.vocabularies.get(dimension)?.groups.find((g) => g.code === group)) ?? group),
    groupIndex,
    groupColour: (dimension, group) =>
      GROUP_PALETTE[Math.max(0, groupIndex(dimension, group)) % GROUP_PALETTE.length] as string,
    dimensionLabel: (dimension) => label(dims?.groups.find((g) => g.code === dimension)) ?? dimension,
    partnerName: (id) => input.partners.find((p) => p.id === id)?.name ?? id,
    summaries: new Map(input.summaries.map((s) => [s.indicator, s])),
    indicatorText: (indicator) => localizeIndicator(indicator, lang),
    siteUrl: url === undefined ? null : url.endsWith("/") ? url : `${url}/`,
  };
}

function localizeIndicator(indicator: Indicator, lang: SiteLanguage): Indicator {
  const t = indicator.translations[lang];
  if (!t) return indicator;
  return {
    ...indicator,
    title: t.title,
    shortTitle: t.shortTitle,
    definition: t.definition,
    whyItMatters: t.whyItMatters,
    notes: t.notes ?? indicator.notes,
    breaks: indicator.breaks.map((b) => ({ ...b, note: t.breaks?.find((x) => x.year === b.year)?.note ?? b.note })),
  };
}

/** `../../` from a site-relative path back to the site's root. */
function up(sitePath: string): string {
  return "../".repeat(sitePath.split("/").length - 1);
}

function page(
  assets: SiteAssets,
  ctx: SiteContext,
  rel: string,
  current: string,
  title: string,
  body: string,
  charts: boolean,
): string {
  const root = up(ctx.dir + rel);
  return assets.pages.layout(
    view(ctx, {
      root,
      home: root + ctx.dir,
      title: current === "home" ? ctx.title : `${title} · ${ctx.title}`,
      siteTitle: ctx.title,
      current,
      body,
      charts,
      languages: ctx.languages.map((l) => ({
        lang: l.lang,
        name: l.name,
        href: root + l.dir + rel,
        current: l.lang === ctx.loc.lang,
      })),
    }),
  );
}

/** The community-wide series for everyone, in year order, published cells only. */
function overallSeries(observations: readonly Observation[], indicator: string): Observation[] {
  return observations
    .filter((o) => o.indicator === indicator && o.geo_level === "community" && o.dimension === "all")
    .sort((a, b) => a.year - b.year);
}

function directionWords(loc: Locale, summary: IndicatorSummary): string {
  return loc.s.direction[summary.direction ?? "unknown"];
}

/** Who a gap is measured against, in words: everyone, the group doing best, or a named group. */
function referenceName(ctx: SiteContext, g: Gap): string {
  if (g.reference === "overall") return ctx.loc.s.gaps.everyone;
  if (g.reference === "best") return ctx.loc.s.gaps.best;
  return ctx.groupLabel(g.dimension, g.reference);
}

/** The gap furthest behind among real groups (not "not reported"), or undefined. */
function largestGap(gaps: readonly Gap[]): Gap | undefined {
  return gaps
    .filter((g) => g.behind && g.group !== "unknown")
    .sort((a, b) => Math.abs(b.gap) - Math.abs(a.gap) || (a.group < b.group ? -1 : 1))[0];
}

function indexView(input: SiteInput, ctx: SiteContext) {
  const { loc } = ctx;
  const years = input.summaries.map((s) => s.latestYear).filter((y): y is number => y !== null);
  const cards = input.indicators.map((raw) => {
    const indicator = ctx.indicatorText(raw);
    const summary = ctx.summaries.get(indicator.id) as IndicatorSummary;
    const series = overallSeries(input.observations, indicator.id);
    const latestGaps = input.derived.gaps.filter(
      (g) => g.indicator === indicator.id && g.geo_level === "community" && g.year === summary.latestYear,
    );
    const gap = largestGap(latestGaps);
    return {
      id: indicator.id,
      milestone: loc.s.milestones[indicator.milestone],
      title: indicator.title,
      hasValue: summary.latestValue !== null,
      // No figure for everyone, but some for groups or districts: say where they are.
      hasOthers: input.observations.some((o) => o.indicator === indicator.id && o.value !== null),
      latest: loc.percent(summary.latestValue),
      latestYear: summary.latestYear === null ? "" : loc.year(summary.latestYear, indicator.yearType),
      change: loc.signedPoints(summary.changeSinceBaseline),
      baselineYear: loc.year(summary.baselineYear, indicator.yearType),
      direction: summary.direction,
      directionWords: directionWords(loc, summary),
      polarityWords: indicator.polarity === "higher-is-better" ? loc.s.polarity.higher : loc.s.polarity.lower,
      target: loc.percent(summary.targetValue),
      targetYear: summary.targetYear,
      status: summary.status,
      statusWords: loc.s.status[summary.status],
      sparkline: sparkline(series),
      gapKnown: latestGaps.length > 0,
      largestGap: gap
        ? fill(loc.s.index.largestGapText, {
            group: `${ctx.groupLabel(gap.dimension, gap.group)}`,
            gap: gapWords(loc, gap, referenceName(ctx, gap)),
          })
        : "",
    };
  });
  const h = input.derived.headline;
  const headline = {
    indicators:
      h.indicatorsWithTrend === 0
        ? ""
        : fill(loc.s.index.indicatorsHeadline, { improving: h.indicatorsImproving, total: h.indicatorsWithTrend }),
    gaps:
      h.gapsWithTrend === 0
        ? ""
        : fill(loc.s.index.gapsHeadline, { narrowing: h.gapsNarrowing, total: h.gapsWithTrend }),
  };
  return {
    name: input.config.partnership.name,
    ...introductionIn(input, ctx.loc.lang),
    community: input.config.community.name,
    latestYear: years.length > 0 ? Math.max(...years) : null,
    headline,
    cards,
    buildDate: input.buildDate,
  };
}

/** A small trend line for an index card; decorative (the card says the same in words). */
function sparkline(series: readonly Observation[]): string {
  const points = series.filter((o) => o.value !== null);
  if (points.length < 2) return "";
  const years = points.map((o) => o.year);
  const values = points.map((o) => o.value as number);
  const [x0, x1] = [Math.min(...years), Math.max(...years)];
  const [y0, y1] = [Math.min(...values), Math.max(...values)];
  const w = 120;
  const h = 32;
  const sx = (x: number) => (x1 === x0 ? w / 2 : 2 + ((x - x0) / (x1 - x0)) * (w - 4));
  const sy = (y: number) => (y1 === y0 ? h / 2 : h - 3 - ((y - y0) / (y1 - y0)) * (h - 6));
  const coords = points.map((o) => `${sx(o.year).toFixed(1)},${sy(o.value as number).toFixed(1)}`);
  const last = coords[coords.length - 1]?.split(",") ?? ["0", "0"];
  return `<svg class="sparkline" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" aria-hidden="true" focusable="false"><polyline points="${coords.join(" ")}" fill="none" stroke="currentColor" stroke-width="2"/><circle cx="${last[0]}" cy="${last[1]}" r="3" fill="currentColor"/></svg>`;
}

interface TableRow {
  label: string;
  value: string;
  interval: string;
  counts: string;
  note: string;
}

function flagSymbol(flag: ObservationFlag): string {
  return flag === "ok" ? "" : FLAG_SYMBOLS[flag];
}

/**
 * The partnership's introduction in the page's language, or as written with the language it is
 * written in, so a screen reader on a Spanish page reads English text with an English voice.
 */
export function introductionIn(
  input: SiteInput,
  lang: SiteLanguage,
): { introduction: string; introductionLang: string | null } {
  const own = input.config.partnership.translations[lang]?.introduction;
  if (own !== undefined || lang === input.config.site.language)
    return { introduction: own ?? input.config.partnership.introduction, introductionLang: null };
  return { introduction: input.config.partnership.introduction, introductionLang: input.config.site.language };
}

/** The highest and lowest district, as printed (see `shownPair`), or that they read the same. */
function mapRange(loc: Locale, year: string, high: MapArea, low: MapArea): string {
  const pair = shownPair(loc, high.value as number, low.value as number);
  if (pair.difference === 0) return fill(loc.s.sentences.mapEven, { year, value: pair.a });
  return fill(loc.s.sentences.mapRange, { year, high: high.name, highValue: pair.a, low: low.name, lowValue: pair.b });
}

/** ` §` after a figure, or nothing. */
function withMark(mark: string): string {
  return mark === "" ? "" : ` ${mark}`;
}

/** The word for a figure that is not shown: withheld by its partner (all or part), or hidden by c2c. */
function hiddenWord(loc: Locale, o: Observation): string {
  return o.flag === "source-suppressed" || o.flag === "incomplete" ? loc.s.flags.withheld : loc.s.flags.hidden;
}

/** A cell's figure in words: its share, "<5%" or ">95%" where coded, or why it is not shown. */
function valueText(loc: Locale, o: Observation): string {
  if (o.flag === "bottom-coded") return fill(loc.s.flags.below, { percent: loc.percent(o.upper) });
  if (o.flag === "top-coded") return fill(loc.s.flags.above, { percent: loc.percent(o.lower) });
  return o.value === null ? hiddenWord(loc, o) : loc.percent(o.value);
}

const isCoded = (o: Observation) => o.flag === "bottom-coded" || o.flag === "top-coded";

function tableRow(loc: Locale, label: string, o: Observation | undefined, minimumCount: number): TableRow {
  if (!o) return { label, value: loc.s.flags.noData, interval: "", counts: "", note: "" };
  const coded = { minimum: loc.count(minimumCount), denominator: loc.count(o.denominator ?? 0) };
  return {
    label,
    value: valueText(loc, o),
    // A coded cell's lower and upper are the code's range, not an interval.
    interval: isCoded(o) ? "" : loc.interval(o.lower, o.upper),
    counts:
      o.numerator !== null && o.denominator !== null
        ? fill(loc.s.table.countsValue, { numerator: loc.count(o.numerator), denominator: loc.count(o.denominator) })
        : o.flag === "bottom-coded"
          ? fill(loc.s.table.countsBelow, coded)
          : o.flag === "top-coded"
            ? fill(loc.s.table.countsAbove, coded)
            : "",
    note: flagSymbol(o.flag),
  };
}

/** A chart as a page shows it: the static SVG, the Vega spec that makes it interactive, and its words. */
interface ChartView {
  id: string;
  svg: string;
  spec: string;
  /** The chart's heading on its own (for the embed page). */
  title: string;
  caption: string;
  /** The `<iframe>` partners copy, and whether its address is relative (no `site.url`). */
  embedCode: string;
  embedRelative: boolean;
  /** What the marks in the chart mean (`* Hidden to protect privacy: …`), for its embed page. */
  notes: { symbol: string; text: string }[];
}

/**
 * The height of a chart's embed page on the narrowest screen it is made for, a 360-pixel phone,
 * so a page that embeds it never cuts off its caption or source: the chart's own height (it keeps
 * it at any width) and its title, caption and source line wrapped at that width, counted in
 * characters a line with room to spare (a test measures every embed page in Chromium).
 */
export function embedHeight(
  chartHeight: number,
  title: string,
  caption: string,
  source: string,
  notes: readonly string[] = [],
): number {
  const lines = (text: string, perLine: number) => Math.max(1, Math.ceil((text.length * 1.1) / perLine));
  const titleHeight = lines(title, 30) * 27;
  const captionHeight = lines(caption, 36) * 24;
  const sourceHeight = lines(source, 40) * 22;
  const notesHeight = notes.reduce((h, note) => h + lines(note, 40) * 22 + 4, notes.length > 0 ? 16 : 0);
  return Math.ceil(16 + titleHeight + 8 + chartHeight + 24 + captionHeight + 16 + notesHeight + sourceHeight + 24);
}

async function chartView(
  ctx: SiteContext,
  id: string,
  title: string,
  caption: string,
  spec: Parameters<typeof renderChart>[0],
  indicatorTitle: string,
  policy: PrivacyPolicy,
): Promise<ChartView> {
  const rendered: RenderedChart = await renderChart(spec, ctx.loc);
  // The marks the chart prints (`Hidden *`, `Withheld ‡`), explained where it is embedded alone.
  const shownText = [...rendered.svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]).join(" ");
  const notes = (Object.keys(FLAG_SYMBOLS) as (keyof typeof FLAG_SYMBOLS)[])
    .filter((f) => shownText.includes(FLAG_SYMBOLS[f]))
    .map((f) => ({ symbol: FLAG_SYMBOLS[f], text: flagNote(ctx.loc, f, policy) }));
  const height = Number(/<svg[^>]*\sheight="([\d.]+)"/.exec(rendered.svg)?.[1] ?? 300);
  const src = `${ctx.siteUrl ?? "../"}${ctx.siteUrl ? ctx.dir : ""}embed/${id}.html`;
  const frameTitle = fill(ctx.loc.s.embed.frameTitle, { title });
  const source = `${fill(ctx.loc.s.embed.source, { site: ctx.title, indicator: indicatorTitle })} ${ctx.loc.s.embed.fullPage}`;
  const frameHeight = embedHeight(
    height,
    title,
    caption,
    source,
    notes.map((n) => `${n.symbol} ${n.text}`),
  );
  const embedCode = `<iframe src="${escapeHtml(src)}" title="${escapeHtml(frameTitle)}" width="100%" height="${frameHeight}" style="border:0;max-width:640px" loading="lazy"></iframe>`;
  return {
    id,
    svg: rendered.svg,
    spec: scriptJson(rendered.vega),
    title,
    caption,
    embedCode,
    embedRelative: ctx.siteUrl === null,
    notes,
  };
}

/** JSON that is safe inside a `<script type="application/json">` element. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

async function indicatorView(input: SiteInput, ctx: SiteContext, raw: Indicator) {
  const { loc } = ctx;
  const t = loc.s;
  const indicator = ctx.indicatorText(raw);
  const summary = ctx.summaries.get(indicator.id) as IndicatorSummary;
  const own = input.observations.filter((o) => o.indicator === indicator.id);
  const series = overallSeries(own, indicator.id);
  const year = (y: number) => loc.year(y, indicator.yearType);
  const yearTitle = indicator.yearType === "school" ? t.charts.schoolYear : t.charts.year;
  const policy = policyFor(raw, input.config);
  const row = (label: string, o: Observation | undefined) => tableRow(loc, label, o, policy.minimumCount);
  const flagsSeen = new Set<ObservationFlag>();
  const note = (o: Observation | undefined) => {
    if (o && o.flag !== "ok") flagsSeen.add(o.flag);
    return o;
  };
  const segmentOf = (y: number) => indicator.breaks.filter((b) => b.year <= y).length;
  // A gap is as reliable as the group's figure it comes from: its mark goes with it (and its footnote).
  const communityCell = new Map(
    own.filter((o) => o.geo_level === "community").map((o) => [`${o.year}\u0000${o.dimension}\u0000${o.group}`, o]),
  );
  const groupMark = (y: number, dimension: string, group: string) => {
    const o = note(communityCell.get(`${y}\u0000${dimension}\u0000${group}`));
    return o === undefined ? "" : flagSymbol(o.flag);
  };
  const charts: ChartView[] = [];
  const chart = async (id: string, title: string, caption: string, spec: Parameters<typeof renderChart>[0]) => {
    const c = await chartView(ctx, id, `${indicator.title}: ${title}`, caption, spec, indicator.title, policy);
    charts.push(c);
    return c;
  };

  // Every year from the first to the last, so a missing or hidden year breaks the line.
  const byYear = new Map(series.map((o) => [o.year, o]));
  const firstYear = Math.min(...series.filter((o) => o.value !== null).map((o) => o.year));
  const lastYear = Math.max(...series.filter((o) => o.value !== null).map((o) => o.year));
  const points: TrendPoint[] = [];
  for (let y = firstYear; Number.isFinite(firstYear) && y <= lastYear; y++) {
    const o = byYear.get(y);
    points.push({
      year: y,
      label: year(y),
      value: o?.value ?? null,
      lower: o?.lower ?? null,
      upper: o?.upper ?? null,
      segment: segmentOf(y),
    });
  }
  const baselineCell = byYear.get(indicator.baselineYear);
  const trendText = trendSentence(loc, indicator, series, summary);
  const trend = {
    caption: trendText,
    chart:
      points.length > 0
        ? await chart(
            `trend-${indicator.id}`,
            t.indicator.overTime,
            trendText,
            trendChartSpec({
              text: ctx.chartText,
              description: trendText,
              points,
              target: {
                target: true,
                year: indicator.target.year,
                value: indicator.target.value,
                label: fill(t.charts.targetLabel, {
                  value: loc.percent(indicator.target.value),
                  year: indicator.target.year,
                }),
              },
              baseline:
                baselineCell?.value != null
                  ? {
                      year: indicator.baselineYear,
                      value: baselineCell.value,
                      label: fill(t.charts.baselineLabel, {
                        value: loc.percent(baselineCell.value),
                        year: year(indicator.baselineYear),
                      }),
                    }
                  : null,
              breaks: indicator.breaks.map((b) => ({ year: b.year, label: `${year(b.year)}: ${b.note}` })),
              yearTitle,
            }),
          )
        : null,
    rows: series.map((o) => row(year(o.year), note(o))),
  };

  const latestYear = summary.latestYear ?? (series.length > 0 ? Math.max(...series.map((o) => o.year)) : null);
  const overallLatest = series.find((o) => o.year === latestYear);
  const groups = [];
  if (latestYear !== null) {
    for (const dimension of indicator.dimensions) {
      const cells = own.filter(
        (o) => o.geo_level === "community" && o.dimension === dimension && o.year === latestYear,
      );
      if (cells.length === 0) continue;
      cells.sort((a, b) => ctx.groupIndex(dimension, a.group) - ctx.groupIndex(dimension, b.group));
      const bars: GroupBar[] = cells.map((o) => ({
        group: o.group,
        label: ctx.groupLabel(dimension, o.group),
        value: o.value,
        lower: o.lower,
        upper: o.upper,
        colour: ctx.groupColour(dimension, o.group),
        note: o.value === null ? `${valueText(loc, o)} ${flagSymbol(o.flag)}` : "",
        ...(isCoded(o) ? { range: valueText(loc, o) } : {}),
        ...(o.flag === "source-suppressed" || o.flag === "incomplete" ? { withheld: true } : {}),
      }));
      const dimLabel = ctx.dimensionLabel(dimension);
      const partial = raw.partialDimensions.includes(dimension)
        ? ` ${fill(t.sentences.partialDimension, { dimension: inSentence(dimLabel) })}`
        : "";
      const text = groupSentence(loc, dimLabel, bars, year(latestYear)) + partial;
      const title = fill(t.indicator.byGroupTitle, { dimension: inSentence(dimLabel), year: year(latestYear) });
      groups.push({
        title,
        caption: text,
        chart: await chart(
          `groups-${indicator.id}-${dimension}`,
          title,
          text,
          groupChartSpec({
            text: ctx.chartText,
            description: text,
            bars,
            overall:
              overallLatest?.value != null
                ? {
                    value: overallLatest.value,
                    label: fill(t.charts.allLabel, { value: loc.percent(overallLatest.value) }),
                  }
                : null,
          }),
        ),
        rows: cells.map((o) => row(ctx.groupLabel(dimension, o.group), note(o))),
      });
    }
  }

  const districtCells =
    latestYear === null
      ? []
      : input.config.districts
          .map((d) => ({
            district: d,
            cell: own.find(
              (c) => c.geo_level === "district" && c.geo_id === d.id && c.dimension === "all" && c.year === latestYear,
            ),
          }))
          .filter((x): x is { district: (typeof x)["district"]; cell: Observation } => x.cell !== undefined);
  const districts = districtCells.map(({ district, cell }) => row(district.name, note(cell)));
  const map =
    latestYear !== null && input.boundaries && districtCells.length > 0
      ? await districtMap(ctx, indicator, latestYear, districtCells, input.boundaries, chart)
      : null;

  const progress = input.derived.progress.find((p) => p.indicator === indicator.id && p.geo_level === "community");
  const communityGaps = input.derived.gaps.filter((g) => g.indicator === indicator.id && g.geo_level === "community");
  const latestGaps = latestYear === null ? [] : communityGaps.filter((g) => g.year === latestYear);
  const groupName = (g: Gap) => ctx.groupLabel(g.dimension, g.group);
  const gapRows = latestGaps
    .filter((g) => g.behind)
    .sort((a, b) => Math.abs(b.gap) - Math.abs(a.gap))
    .map((g) => ({
      label: `${groupName(g)} (${inSentence(ctx.dimensionLabel(g.dimension as Dimension))})`,
      gap: `${gapWords(loc, g, referenceName(ctx, g))}${withMark(groupMark(g.year, g.dimension, g.group))}`,
      ratio: g.ratio === null ? "" : loc.ratio(g.ratio),
      trend: g.narrowing === null ? t.gaps.notKnown : g.narrowing ? t.gaps.narrowing : t.gaps.notNarrowing,
      children:
        g.children_to_close === null
          ? ""
          : fill(indicator.polarity === "higher-is-better" ? t.gaps.more : t.gaps.fewer, {
              n: loc.count(g.children_to_close),
            }),
    }));

  const gapsOverTime = await gapTrend(
    ctx,
    indicator,
    communityGaps,
    largestGap(latestGaps),
    yearTitle,
    chart,
    groupMark,
  );

  const partnerIds = [...new Set(own.flatMap((o) => o.sources.map((s) => s.split("/")[2] ?? "")))].filter(
    (p) => p !== "",
  );
  const root = up(`${ctx.dir}indicators/${indicator.id}.html`);
  return {
    indicator: {
      id: indicator.id,
      title: indicator.title,
      milestone: t.milestones[indicator.milestone],
      definition: indicator.definition,
      whyItMatters: indicator.whyItMatters,
      polarityWords: indicator.polarity === "higher-is-better" ? t.polarity.higherSentence : t.polarity.lowerSentence,
      notes: indicator.notes,
    },
    headline: {
      latest: loc.percent(summary.latestValue),
      latestYear: summary.latestYear === null ? "" : year(summary.latestYear),
      hasValue: summary.latestValue !== null,
      hasOthers: own.some((o) => o.value !== null),
      change: loc.signedPoints(summary.changeSinceBaseline),
      baselineYear: year(summary.baselineYear),
      direction: summary.direction,
      directionWords: directionWords(loc, summary),
      target: loc.percent(indicator.target.value),
      targetYear: indicator.target.year,
      status: summary.status,
      statusWords: t.status[summary.status],
      progress: progressSentence(loc, indicator, summary, progress),
    },
    gaps: {
      sentence: gapSentence(
        loc,
        latestGaps,
        groupName,
        (g) => referenceName(ctx, g),
        year,
        year(indicator.baselineYear),
      ),
      rows: gapRows,
      year: latestYear === null ? "" : year(latestYear),
      baselineYear: year(indicator.baselineYear),
      childrenHeading: indicator.polarity === "higher-is-better" ? t.table.childrenHigher : t.table.childrenLower,
    },
    confidence: ctx.confidence,
    trend,
    groups,
    gapsOverTime,
    districtYear: latestYear === null ? "" : year(latestYear),
    districts,
    map,
    sources: loc.list(partnerIds.sort().map((id) => ctx.partnerName(id))),
    lastUpdate: latestYear === null ? "" : year(latestYear),
    footnotes: (Object.keys(FLAG_SYMBOLS) as (keyof typeof FLAG_SYMBOLS)[])
      .filter((f) => flagsSeen.has(f))
      .map((f) => ({ symbol: FLAG_SYMBOLS[f], text: flagNote(loc, f, policy) })),
    downloads: { csv: `${root}data/${indicator.id}.csv`, json: `${root}data/${indicator.id}.json` },
    charts,
  };
}

type ChartMaker = (
  id: string,
  title: string,
  caption: string,
  spec: Parameters<typeof renderChart>[0],
) => Promise<ChartView>;

/**
 * Gaps over time for the dimension with the largest gap in the latest year: each group's gap to its
 * reference by year, as a chart, a sentence and a table (years down, groups across).
 */
async function gapTrend(
  ctx: SiteContext,
  indicator: Indicator,
  gaps: readonly Gap[],
  largest: Gap | undefined,
  yearTitle: string,
  chart: ChartMaker,
  /** The mark of a group's figure in a year (`§`, `*`, …), or nothing: shown beside its gap. */
  groupMark: (year: number, dimension: string, group: string) => string,
) {
  if (!largest) return null;
  const { loc } = ctx;
  const t = loc.s;
  const year = (y: number) => loc.year(y, indicator.yearType);
  const dimension = largest.dimension as Dimension;
  const series = gaps.filter((g) => g.dimension === dimension).sort((a, b) => a.year - b.year);
  const years = [...new Set(series.map((g) => g.year))].sort((a, b) => a - b);
  if (years.length < 2) return null;
  const order = [...new Set(series.map((g) => g.group))].sort(
    (a, b) => ctx.groupIndex(dimension, a) - ctx.groupIndex(dimension, b),
  );
  const signed = (g: Gap) => Math.round((g.behind ? -1 : 1) * Math.abs(g.gap) * 1000) / 10;
  const describe = (g: Gap) => {
    const reference = referenceName(ctx, g);
    if (signed(g) === 0) return fill(t.gaps.even, { reference });
    return fill(g.behind ? t.gaps.behind : t.gaps.ahead, { points: loc.points(g.gap), reference });
  };
  const segmentOf = (y: number) => indicator.breaks.filter((b) => b.year <= y).length;
  const points: GapPoint[] = series.map((g) => ({
    year: g.year,
    label: year(g.year),
    group: g.group,
    groupLabel: ctx.groupLabel(dimension, g.group),
    value: g.value,
    points: signed(g),
    gapText: `${describe(g)}${withMark(groupMark(g.year, g.dimension, g.group))}`,
    segment: segmentOf(g.year),
  }));
  const palette = order.map((code) => ({
    label: ctx.groupLabel(dimension, code),
    colour: ctx.groupColour(dimension, code),
  }));

  // The sentence: the largest gap now, and how it has moved since the first comparable year.
  const dimLabel = inSentence(ctx.dimensionLabel(dimension));
  const mine = series.filter((g) => g.group === largest.group && segmentOf(g.year) === segmentOf(largest.year));
  const first = mine[0];
  const gapNow = gapWords(loc, largest, referenceName(ctx, largest));
  const groupLabel = ctx.groupLabel(dimension, largest.group);
  let sentence: string;
  if (!first || first.year === largest.year)
    sentence = fill(t.sentences.gapTrendOne, {
      dimension: dimLabel,
      year: year(largest.year),
      group: groupLabel,
      gap: gapNow,
    });
  else {
    const change = signed(largest) - signed(first);
    sentence = fill(t.sentences.gapTrend, {
      dimension: dimLabel,
      year: year(largest.year),
      group: groupLabel,
      gap: gapNow,
      fromYear: year(first.year),
      fromPoints: describe(first),
      movement: change > 0 ? t.sentences.gapNarrowed : change < 0 ? t.sentences.gapWidened : t.sentences.gapUnchanged,
    });
  }
  const referenceLabel = referenceName(ctx, largest);
  const title = fill(t.indicator.gapsOverTimeTitle, { dimension: dimLabel });
  const view = await chart(
    `gaps-${indicator.id}`,
    `${t.indicator.gapsOverTime}, ${title.charAt(0).toLowerCase()}${title.slice(1)}`,
    sentence,
    gapTrendChartSpec({
      text: ctx.chartText,
      description: sentence,
      points,
      groups: palette,
      referenceLabel: `0 = ${referenceLabel}`,
      yearTitle,
    }),
  );
  const cell = (y: number, code: string) => {
    const g = series.find((x) => x.year === y && x.group === code);
    // No gap where the group's figure is not shown: its mark says why (hidden, withheld, …).
    if (!g) return groupMark(y, dimension, code);
    const p = signed(g);
    return `${p > 0 ? "+" : p < 0 ? "−" : ""}${loc.number(Math.abs(p), 1)}${withMark(groupMark(y, dimension, code))}`;
  };
  return {
    title,
    note: fill(t.indicator.gapsOverTimeNote, { reference: referenceLabel }),
    caption: sentence,
    chart: view,
    columns: order.map((code) => ctx.groupLabel(dimension, code)),
    rows: years.map((y) => ({ label: year(y), cells: order.map((code) => cell(y, code)) })),
  };
}

/** The districts' latest figures on a map drawn from the project's boundary file. */
async function districtMap(
  ctx: SiteContext,
  indicator: Indicator,
  latestYear: number,
  cells: readonly { district: { id: string; name: string }; cell: Observation }[],
  boundaries: readonly BoundaryFeature[],
  chart: ChartMaker,
) {
  const { loc } = ctx;
  const t = loc.s;
  const features = boundaries.filter((f) => cells.some((c) => c.district.id === f.properties.id));
  if (features.length === 0) return null;
  const areas: MapArea[] = features.map((f) => {
    const { district, cell } = cells.find((c) => c.district.id === f.properties.id) as (typeof cells)[number];
    const [longitude, latitude] = centre(f);
    return {
      geo_id: district.id,
      name: district.name,
      year: latestYear,
      value: cell.value,
      lower: cell.lower,
      upper: cell.upper,
      valueText: cell.value === null ? `${valueText(loc, cell)} ${flagSymbol(cell.flag)}` : loc.percent(cell.value),
      longitude,
      latitude,
    };
  });
  const shown = areas.filter((a) => a.value !== null).sort((a, b) => (b.value as number) - (a.value as number));
  const yearLabel = loc.year(latestYear, indicator.yearType);
  const high = shown[0];
  const low = shown[shown.length - 1];
  const sentence =
    !high || !low
      ? fill(t.sentences.mapNone, { year: yearLabel })
      : high === low
        ? fill(t.sentences.mapOne, { year: yearLabel, district: high.name, value: high.valueText })
        : mapRange(loc, yearLabel, high, low);
  return {
    caption: sentence,
    chart: await chart(
      `map-${indicator.id}`,
      t.indicator.map,
      sentence,
      mapChartSpec({ text: ctx.chartText, description: sentence, features, areas }),
    ),
  };
}

/** The middle of a boundary's bounding box, `[longitude, latitude]`: where its labels go. */
function centre(feature: BoundaryFeature): [number, number] {
  const xs: number[] = [];
  const ys: number[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node) && typeof node[0] === "number" && typeof node[1] === "number") {
      xs.push(node[0]);
      ys.push(node[1]);
    } else if (Array.isArray(node)) for (const n of node) walk(n);
  };
  walk(feature.geometry.coordinates);
  const mid = (v: number[]) => Math.round(((Math.min(...v) + Math.max(...v)) / 2) * 1e6) / 1e6;
  return [mid(xs), mid(ys)];
}

function embedView(ctx: SiteContext, rel: string, indicator: Indicator, chart: ChartView) {
  const root = up(ctx.dir + rel);
  return {
    root,
    title: chart.title,
    siteTitle: ctx.title,
    chart,
    source: fill(ctx.loc.s.embed.source, { site: ctx.title, indicator: indicator.title }),
    page: `../indicators/${indicator.id}.html`,
  };
}

function dataView(input: SiteInput, ctx: SiteContext) {
  return {
    root: up(`${ctx.dir}data.html`),
    count: ctx.loc.count(input.observations.length),
    indicators: input.indicators.map((i) => ({ id: i.id, title: ctx.indicatorText(i).title })),
    minimumCount: ctx.minimumCount,
    confidence: ctx.confidence,
  };
}

function methodsView(input: SiteInput, ctx: SiteContext) {
  const { loc } = ctx;
  const t = loc.s.methods;
  const policy = input.config.privacy;
  const reliability = policy.reliability;
  const gapReference = input.config.statistics.gapReference;
  const reliabilityText = reliabilityWords(loc, policy);
  // Coding may be the partnership's, or only some indicators': explain it with the first that codes.
  const coding = [policy, ...input.indicators.map((raw) => policyFor(raw, input.config))].find((p) => p.coding);
  const percent = (share: number | undefined) => (share === undefined ? "" : loc.percent(share));
  const codingText = (() => {
    if (!coding?.coding) return "";
    const { below, above } = coding.coding;
    const which = below !== undefined && above !== undefined ? "both" : below !== undefined ? "below" : "above";
    return fill(t.codingHtml, {
      minimum: coding.minimumCount,
      range: fill(t[`coding_${which}`], { below: percent(below), above: percent(above) }),
    });
  })();
  return {
    confidence: ctx.confidence,
    gapReference:
      gapReference === "overall"
        ? t.referenceOverall
        : gapReference === "best"
          ? t.referenceBest
          : fill(t.referenceGroup, { group: gapReference.replace(/_/g, " ") }),
    minimumCount: ctx.minimumCount,
    policy: {
      minimumCount: policy.minimumCount,
      counted: countedWords(loc, policy.counted),
      guardsAllOrNone: policy.counted.includes("numerator") && policy.counted.includes("complement"),
      reliability:
        reliability.action === "off" || reliabilityText === ""
          ? ""
          : reliability.action === "hide"
            ? fill(t.reliabilityHidden, { rule: reliabilityText })
            : fill(t.reliabilityShown, {
                rule: reliabilityText,
                symbol: FLAG_SYMBOLS["low-reliability"],
                confidence: ctx.confidence,
              }),
      coding: codingText,
    },
    notes: (Object.keys(FLAG_SYMBOLS) as (keyof typeof FLAG_SYMBOLS)[])
      .filter((f) => (f === "bottom-coded" ? coding?.coding?.below : f === "top-coded" ? coding?.coding?.above : true))
      .map((f) => ({ symbol: FLAG_SYMBOLS[f], text: flagNote(loc, f, coding ?? policy) })),
    indicators: input.indicators.map((raw) => {
      const i = ctx.indicatorText(raw);
      const own = policyFor(raw, input.config);
      const rule = reliabilityWords(loc, own);
      return {
        id: i.id,
        title: i.title,
        definition: i.definition,
        baselineYear: loc.year(i.baselineYear, i.yearType),
        target: fill(loc.s.index.targetBy, { value: loc.percent(i.target.value), year: i.target.year }),
        minimumN: own.minimumCount,
        caution:
          own.reliability.action === "off" || rule === ""
            ? t.cautionNone
            : own.reliability.action === "hide"
              ? fill(t.cautionHidden, { rule })
              : rule,
      };
    }),
    relations: input.privacy.relations.map((r) => {
      const title = (id: string) => {
        const raw = input.indicators.find((i) => i.id === id);
        return raw ? ctx.indicatorText(raw).shortTitle : id;
      };
      const n = Math.abs(r.yearOffset);
      const when =
        r.yearOffset === 0
          ? t.relationSameYear
          : n === 1
            ? r.yearOffset > 0
              ? t.relationLaterOne
              : t.relationEarlierOne
            : fill(r.yearOffset > 0 ? t.relationLater : t.relationEarlier, { n });
      return fill(t.relation, {
        left: title(r.left.indicator),
        leftCount: t.relationCounts[r.left.count],
        right: title(r.right.indicator),
        rightCount: t.relationCounts[r.right.count],
        when,
      });
    }),
    yearsLinked: input.privacy.relations.some((r) => r.yearOffset !== 0),
    checkedCells: loc.count(input.privacy.checkedCells),
    partners: input.partners.map((p) => ({ name: p.name, kind: t.kinds[p.kind] })),
    buildDate: loc.date(input.buildDate),
    version: input.version,
  };
}
