import type { Dimension, Indicator, Milestone, PrivacyPolicy } from "../../../schemas/index.ts";
import type { Gap } from "../../derive/progress.ts";
import type { IndicatorSummary, Observation, ObservationFlag } from "../../observation.ts";
import { policyFor } from "../../protect/privacy-policy.ts";
import type { SiteInput } from "../site-input.ts";
import {
  GROUP_PALETTE,
  type GroupBar,
  groupChartSpec,
  type RenderedChart,
  renderChart,
  type TrendPoint,
  trendChartSpec,
} from "./charts.ts";
import { DERIVED_COLUMNS, dataPackage, observationsCsv, observationsJson, tableCsv } from "./downloads.ts";
import { formatCount, formatInterval, formatPercent, formatPoints, formatYear } from "./format.ts";
import type { SiteAssets } from "./load-site-assets.ts";
import { gapSentence, groupSentence, progressSentence, STATUS_WORDS, trendSentence } from "./sentences.ts";

/**
 * Stage 9, public side: the site as a map of site-relative paths to contents. Pure: the same input
 * gives the same bytes. Everything drawn here comes from the protected table in `input`.
 */
export async function renderSite(input: SiteInput, assets: SiteAssets): Promise<Map<string, string | Uint8Array>> {
  const site = new Map<string, string | Uint8Array>();
  const ctx = siteContext(input);
  for (const [p, content] of assets.files) site.set(p, content);

  site.set("index.html", page(assets, ctx, "", "home", ctx.title, assets.pages.index(indexView(input, ctx))));
  for (const indicator of input.indicators) {
    const view = await indicatorView(input, ctx, indicator);
    site.set(
      `indicators/${indicator.id}.html`,
      page(assets, ctx, "../", indicator.id, indicator.title, assets.pages.indicator(view)),
    );
    const own = input.observations.filter((o) => o.indicator === indicator.id);
    site.set(`data/${indicator.id}.csv`, observationsCsv(own));
    site.set(`data/${indicator.id}.json`, observationsJson(own));
  }
  site.set("data.html", page(assets, ctx, "", "data", "Data downloads", assets.pages.data(dataView(input, ctx))));
  site.set(
    "methods.html",
    page(assets, ctx, "", "methods", "How the figures are made", assets.pages.methods(methodsView(input, ctx))),
  );
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
  site.set("datapackage.json", dataPackage(input.config.community.id, ctx.title, input.buildDate, input.indicators));
  return site;
}

const MILESTONE_LABELS: Record<Milestone, string> = {
  "healthy-start": "Healthy start",
  "kindergarten-readiness": "Ready for kindergarten",
  "early-grade-reading": "Reading by third grade",
  "middle-grade-math": "Math in middle school",
  "high-school-graduation": "High-school graduation",
  "postsecondary-enrollment": "Enrolling after high school",
  "postsecondary-completion": "Completing a degree or credential",
  employment: "Employment",
};

/** The footnote each flag earns, by symbol, so the same mark means the same thing on every page. */
export const FLAG_NOTES: Record<
  Exclude<ObservationFlag, "ok">,
  { symbol: string; text: (policy: PrivacyPolicy) => string }
> = {
  suppressed: {
    symbol: "*",
    text: (p) =>
      `Hidden to protect privacy: fewer than ${p.minimumCount} people ${countedWords(p.counted)}, or showing it would let such a figure be worked out from the others.`,
  },
  "source-suppressed": { symbol: "†", text: () => "Withheld by the partner that sent the data, to protect privacy." },
  incomplete: {
    symbol: "‡",
    text: () => "Not shown: a partner withheld part of this group, so no complete figure exists.",
  },
  "low-reliability": {
    symbol: "§",
    text: (p) => `Based on few people (${reliabilityWords(p)}): read with caution.`,
  },
};

/** "were counted, reached the outcome or did not": the counts the minimum applies to, in words. */
function countedWords(counted: PrivacyPolicy["counted"]): string {
  const words = { denominator: "were counted", numerator: "reached the outcome", complement: "did not reach it" };
  const list = (["denominator", "numerator", "complement"] as const)
    .filter((q) => counted.includes(q))
    .map((q) => words[q]);
  return list.length > 1 ? `${list.slice(0, -1).join(", ")} or ${list[list.length - 1]}` : (list[0] ?? "");
}

/** "fewer than 30 counted or fewer than 20 reaching the outcome". */
function reliabilityWords(p: PrivacyPolicy): string {
  const parts = [];
  if (p.reliability.minimumDenominator > 0) parts.push(`fewer than ${p.reliability.minimumDenominator} counted`);
  if (p.reliability.minimumNumerator > 0)
    parts.push(`fewer than ${p.reliability.minimumNumerator} reaching the outcome`);
  return parts.join(" or ");
}

interface SiteContext {
  title: string;
  minimumCount: number;
  groupLabel: (dimension: Dimension | "all", group: string) => string;
  dimensionLabel: (dimension: Dimension) => string;
  districtName: (id: string) => string;
  partnerName: (id: string) => string;
  summaries: Map<string, IndicatorSummary>;
}

function siteContext(input: SiteInput): SiteContext {
  const dims = input.vocabularies.get("dimension");
  return {
    title: input.config.site.title ?? input.config.partnership.name,
    minimumCount: input.minimumCount,
    groupLabel: (dimension, group) =>
      dimension === "all"
        ? "All"
        : (input.vocabularies.get(dimension)?.groups.find((g) => g.code === group)?.label ?? group),
    dimensionLabel: (dimension) => dims?.groups.find((g) => g.code === dimension)?.label ?? dimension,
    districtName: (id) => input.config.districts.find((d) => d.id === id)?.name ?? id,
    partnerName: (id) => input.partners.find((p) => p.id === id)?.name ?? id,
    summaries: new Map(input.summaries.map((s) => [s.indicator, s])),
  };
}

function page(
  assets: SiteAssets,
  ctx: SiteContext,
  root: string,
  current: string,
  title: string,
  body: string,
): string {
  return assets.pages.layout({
    root,
    title: current === "home" ? ctx.title : `${title} · ${ctx.title}`,
    siteTitle: ctx.title,
    current,
    body,
  });
}

/** The community-wide series for everyone, in year order, published cells only. */
function overallSeries(observations: readonly Observation[], indicator: string): Observation[] {
  return observations
    .filter((o) => o.indicator === indicator && o.geo_level === "community" && o.dimension === "all")
    .sort((a, b) => a.year - b.year);
}

function directionWords(summary: IndicatorSummary): string {
  switch (summary.direction) {
    case "better":
      return "Better than the baseline";
    case "worse":
      return "Worse than the baseline";
    case "no-change":
      return "No change since the baseline";
    default:
      return "Not enough data to compare with the baseline";
  }
}

function indexView(input: SiteInput, ctx: SiteContext) {
  const years = input.summaries.map((s) => s.latestYear).filter((y): y is number => y !== null);
  const cards = input.indicators.map((indicator) => {
    const summary = ctx.summaries.get(indicator.id) as IndicatorSummary;
    const series = overallSeries(input.observations, indicator.id);
    return {
      id: indicator.id,
      milestone: MILESTONE_LABELS[indicator.milestone],
      title: indicator.title,
      hasValue: summary.latestValue !== null,
      latest: formatPercent(summary.latestValue),
      latestYear: summary.latestYear === null ? "" : formatYear(summary.latestYear, indicator.yearType),
      change: formatPoints(summary.changeSinceBaseline),
      baselineYear: formatYear(summary.baselineYear, indicator.yearType),
      direction: summary.direction,
      directionWords: directionWords(summary),
      polarityWords: indicator.polarity === "higher-is-better" ? "Higher is better" : "Lower is better",
      target: formatPercent(summary.targetValue),
      targetYear: summary.targetYear,
      status: summary.status,
      statusWords: STATUS_WORDS[summary.status],
      sparkline: sparkline(series),
    };
  });
  const h = input.derived.headline;
  const headline = {
    indicators:
      h.indicatorsWithTrend === 0
        ? ""
        : `Outcomes moving in the right direction since their baseline: ${h.indicatorsImproving} out of ${h.indicatorsWithTrend}.`,
    gaps:
      h.gapsWithTrend === 0
        ? ""
        : `Gaps between groups of children narrowing since the baseline: ${h.gapsNarrowing} out of ${h.gapsWithTrend}.`,
  };
  return {
    name: input.config.partnership.name,
    introduction: input.config.partnership.introduction,
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
  return flag === "ok" ? "" : FLAG_NOTES[flag].symbol;
}

function tableRow(label: string, o: Observation | undefined): TableRow {
  if (!o) return { label, value: "No data", interval: "", counts: "", note: "" };
  const hidden = o.value === null;
  return {
    label,
    value: hidden ? (o.flag === "source-suppressed" ? "Withheld" : "Hidden") : formatPercent(o.value),
    interval: formatInterval(o.lower, o.upper),
    counts:
      o.numerator !== null && o.denominator !== null
        ? `${formatCount(o.numerator)} of ${formatCount(o.denominator)}`
        : "",
    note: flagSymbol(o.flag),
  };
}

async function chartView(id: string, spec: Parameters<typeof renderChart>[0]) {
  const rendered: RenderedChart = await renderChart(spec);
  return { id, svg: rendered.svg, spec: scriptJson(rendered.vega) };
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

async function indicatorView(input: SiteInput, ctx: SiteContext, indicator: Indicator) {
  const summary = ctx.summaries.get(indicator.id) as IndicatorSummary;
  const own = input.observations.filter((o) => o.indicator === indicator.id);
  const series = overallSeries(own, indicator.id);
  const year = (y: number) => formatYear(y, indicator.yearType);
  const flagsSeen = new Set<ObservationFlag>();
  const note = (o: Observation | undefined) => {
    if (o && o.flag !== "ok") flagsSeen.add(o.flag);
    return o;
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
      segment: indicator.breaks.filter((b) => b.year <= y).length,
    });
  }
  const baselineCell = byYear.get(indicator.baselineYear);
  const trendText = trendSentence(indicator, series, summary, year);
  const trend = {
    caption: trendText,
    chart:
      points.length > 0
        ? await chartView(
            `trend-${indicator.id}`,
            trendChartSpec({
              description: trendText,
              points,
              target: {
                year: indicator.target.year,
                value: indicator.target.value,
                label: `Target ${formatPercent(indicator.target.value)} by ${indicator.target.year}`,
              },
              baseline:
                baselineCell?.value != null
                  ? {
                      year: indicator.baselineYear,
                      value: baselineCell.value,
                      label: `Baseline ${formatPercent(baselineCell.value)} in ${year(indicator.baselineYear)}`,
                    }
                  : null,
              breaks: indicator.breaks.map((b) => ({ year: b.year, label: `${year(b.year)}: ${b.note}` })),
              yearTitle: indicator.yearType === "school" ? "School year (2025 = 2024–25)" : "Year",
            }),
          )
        : null,
    rows: series.map((o) => tableRow(year(o.year), note(o))),
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
      const vocabulary = input.vocabularies.get(dimension);
      const order = vocabulary?.groups.map((g) => g.code) ?? [];
      cells.sort((a, b) => order.indexOf(a.group) - order.indexOf(b.group));
      const bars: GroupBar[] = cells.map((o) => ({
        group: o.group,
        label: ctx.groupLabel(dimension, o.group),
        value: o.value,
        lower: o.lower,
        upper: o.upper,
        colour: GROUP_PALETTE[Math.max(0, order.indexOf(o.group)) % GROUP_PALETTE.length] as string,
        note: o.value === null ? `${o.flag === "source-suppressed" ? "Withheld" : "Hidden"} ${flagSymbol(o.flag)}` : "",
      }));
      const dimLabel = ctx.dimensionLabel(dimension);
      const text = groupSentence(dimLabel, bars, year(latestYear));
      groups.push({
        title: `By ${dimLabel.toLowerCase()}, ${year(latestYear)}`,
        caption: text,
        chart: await chartView(
          `groups-${indicator.id}-${dimension}`,
          groupChartSpec({
            description: text,
            bars,
            overall:
              overallLatest?.value != null
                ? { value: overallLatest.value, label: `All: ${formatPercent(overallLatest.value)}` }
                : null,
          }),
        ),
        rows: cells.map((o) => tableRow(ctx.groupLabel(dimension, o.group), note(o))),
      });
    }
  }

  const districts =
    latestYear === null
      ? []
      : input.config.districts
          .map((d) => {
            const o = own.find(
              (c) => c.geo_level === "district" && c.geo_id === d.id && c.dimension === "all" && c.year === latestYear,
            );
            return o ? tableRow(d.name, note(o)) : null;
          })
          .filter((r): r is TableRow => r !== null);

  const progress = input.derived.progress.find((p) => p.indicator === indicator.id && p.geo_level === "community");
  const latestGaps =
    latestYear === null
      ? []
      : input.derived.gaps.filter(
          (g) => g.indicator === indicator.id && g.geo_level === "community" && g.year === latestYear,
        );
  const groupName = (g: Gap) => ctx.groupLabel(g.dimension, g.group);
  const referenceName = (g: Gap) =>
    g.reference === "overall"
      ? "everyone"
      : g.reference === "best"
        ? "the group doing best"
        : ctx.groupLabel(g.dimension, g.reference);
  const more = indicator.polarity === "higher-is-better" ? "more" : "fewer";
  const gapRows = latestGaps
    .filter((g) => g.behind)
    .sort((a, b) => Math.abs(b.gap) - Math.abs(a.gap))
    .map((g) => ({
      label: `${groupName(g)} (${ctx.dimensionLabel(g.dimension as Dimension).toLowerCase()})`,
      gap: `${formatPoints(g.gap).replace(/^[+−]/, "")} behind ${referenceName(g)}`,
      ratio: g.ratio === null ? "" : `${g.ratio.toFixed(2)}×`,
      trend: g.narrowing === null ? "Not known" : g.narrowing ? "Narrowing" : "Not narrowing",
      children: g.children_to_close === null ? "" : `${formatCount(g.children_to_close)} ${more}`,
    }));
  const partnerIds = [...new Set(own.flatMap((o) => o.sources.map((s) => s.split("/")[2] ?? "")))].filter(
    (p) => p !== "",
  );
  return {
    indicator: {
      id: indicator.id,
      title: indicator.title,
      milestone: MILESTONE_LABELS[indicator.milestone],
      definition: indicator.definition,
      whyItMatters: indicator.whyItMatters,
      polarityWords:
        indicator.polarity === "higher-is-better" ? "A higher share is better." : "A lower share is better.",
      notes: indicator.notes,
    },
    headline: {
      latest: formatPercent(summary.latestValue),
      latestYear: summary.latestYear === null ? "" : year(summary.latestYear),
      hasValue: summary.latestValue !== null,
      change: formatPoints(summary.changeSinceBaseline),
      baselineYear: year(summary.baselineYear),
      direction: summary.direction,
      directionWords: directionWords(summary),
      target: formatPercent(indicator.target.value),
      targetYear: indicator.target.year,
      status: summary.status,
      statusWords: STATUS_WORDS[summary.status],
      progress: progressSentence(indicator, summary, progress, year),
    },
    gaps: {
      sentence: gapSentence(latestGaps, groupName, referenceName, year, year(indicator.baselineYear)),
      rows: gapRows,
      year: latestYear === null ? "" : year(latestYear),
      baselineYear: year(indicator.baselineYear),
      childrenHeading:
        indicator.polarity === "higher-is-better" ? "Children to close the gap" : "Fewer to close the gap",
    },
    trend,
    groups,
    districtYear: latestYear === null ? "" : year(latestYear),
    districts,
    sources: partnerIds.sort().map((id) => ctx.partnerName(id)),
    lastUpdate: latestYear === null ? "" : year(latestYear),
    footnotes: (["suppressed", "source-suppressed", "incomplete", "low-reliability"] as const)
      .filter((f) => flagsSeen.has(f))
      .map((f) => ({ symbol: FLAG_NOTES[f].symbol, text: FLAG_NOTES[f].text(policyFor(indicator, input.config)) })),
    downloads: { csv: `../data/${indicator.id}.csv`, json: `../data/${indicator.id}.json` },
  };
}

function dataView(input: SiteInput, ctx: SiteContext) {
  return {
    count: formatCount(input.observations.length),
    indicators: input.indicators.map((i) => ({ id: i.id, title: i.title })),
    minimumCount: ctx.minimumCount,
  };
}

function methodsView(input: SiteInput, ctx: SiteContext) {
  const policy = input.config.privacy;
  const reliability = policy.reliability;
  return {
    confidence: `${Math.round(input.config.statistics.confidenceLevel * 1000) / 10}%`,
    gapReference:
      input.config.statistics.gapReference === "overall"
        ? "the share for everyone"
        : input.config.statistics.gapReference === "best"
          ? "the share of the group doing best"
          : `the share of the ${input.config.statistics.gapReference.replace(/_/g, " ")} group`,

    minimumCount: ctx.minimumCount,
    policy: {
      minimumCount: policy.minimumCount,
      counted: countedWords(policy.counted),
      guardsAllOrNone: policy.counted.includes("numerator") && policy.counted.includes("complement"),
      reliability:
        reliability.action === "off" || reliabilityWords(policy) === ""
          ? ""
          : `A figure based on ${reliabilityWords(policy)} is ${reliability.action === "hide" ? "hidden, because it is too uncertain to be useful" : `shown with the mark ${FLAG_NOTES["low-reliability"].symbol}: read it with caution, and look at its 95% interval`}.`,
    },
    notes: Object.values(FLAG_NOTES).map((n) => ({ symbol: n.symbol, text: n.text(policy) })),
    indicators: input.indicators.map((i) => {
      const own = policyFor(i, input.config);
      return {
        id: i.id,
        title: i.title,
        definition: i.definition,
        baselineYear: formatYear(i.baselineYear, i.yearType),
        target: `${formatPercent(i.target.value)} by ${i.target.year}`,
        minimumN: own.minimumCount,
        caution:
          own.reliability.action === "off" || reliabilityWords(own) === ""
            ? "none"
            : `${reliabilityWords(own)}${own.reliability.action === "hide" ? " (hidden)" : ""}`,
      };
    }),
    partners: input.partners.map((p) => ({ name: p.name, kind: p.kind.replace(/-/g, " ") })),
    buildDate: input.buildDate,
    version: input.version,
  };
}
