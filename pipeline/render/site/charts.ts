import * as vega from "vega";
import type { TopLevelSpec } from "vega-lite";
import { compile } from "vega-lite";
import type { Locale } from "./format.ts";
import { fill } from "./site-strings.ts";

/**
 * Charts as Vega-Lite specs, compiled once to Vega at build time: the Vega spec is rendered to SVG
 * for the page (readable without JavaScript and in print) and shipped beside it for vega-embed to
 * make interactive. Chart data holds only published cells.
 */

/** Okabe–Ito hues, darkened where needed so every mark keeps 3:1 contrast on white. */
export const GROUP_PALETTE = ["#0072B2", "#D55E00", "#00785A", "#B5508F", "#946200", "#4B4B8F", "#8C564B", "#555555"];
export const OVERALL_COLOUR = "#1F2937";
export const TARGET_COLOUR = "#B45309";

const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";

const CONFIG = {
  // A screen reader hears a chart as one image named by its sentence (the figure's caption; see
  // chart-figure.hbs), with the table of its figures after it: not Vega's own labels for each
  // mark and axis ("colour: #B5508F; axisLabel: …", in English on every page).
  aria: false,
  font: FONT,
  background: "white",
  view: { stroke: null },
  axis: {
    labelFontSize: 12,
    titleFontSize: 12,
    titleFontWeight: "normal",
    labelColor: "#374151",
    titleColor: "#374151",
  },
  legend: { disable: true },
} as const;

export interface RenderedChart {
  /** The static chart, inline in the page. */
  svg: string;
  /** The compiled Vega spec vega-embed draws in the browser. */
  vega: object;
}

/** The words and number format every chart of one language shares. */
export interface ChartText {
  loc: Locale;
  /** `95%`: the confidence level of the intervals. */
  confidence: string;
}

type Logger = NonNullable<NonNullable<Parameters<typeof compile>[1]>["logger"]>;

/** Vega-Lite's notes on a spec (e.g. a fit it cannot make) are not the user's business; errors still throw. */
const QUIET: Logger = {
  level: () => QUIET,
  error: (...args: readonly unknown[]) => {
    throw new Error(`Vega-Lite: ${args.map(String).join(" ")}`);
  },
  warn: () => QUIET,
  info: () => QUIET,
  debug: () => QUIET,
} as unknown as Logger;

/**
 * The compiled chart made to fit its container's width: what Vega-Lite compiles for
 * `width: "container"` differs from a fixed width only in these three places (a test holds it to
 * that), so the chart is compiled once, not twice.
 */
export function fitContainerWidth(vgSpec: VgSpec): VgSpec {
  const { width, ...rest } = vgSpec as VgSpec & { width?: unknown };
  const fallback = typeof width === "number" ? width : 300;
  const size = `isFinite(containerSize()[0]) ? containerSize()[0] : ${fallback}`;
  return {
    ...rest,
    autosize: { type: "fit-x", contains: "padding" },
    signals: [{ name: "width", init: size, on: [{ update: size, events: "window:resize" }] }, ...(rest.signals ?? [])],
  } as VgSpec;
}

type VgSpec = ReturnType<typeof compile>["spec"];

export async function renderChart(spec: TopLevelSpec, loc: Locale): Promise<RenderedChart> {
  // Axis and tooltip numbers follow the page's language (d3-format's locale).
  const locale = {
    number: { decimal: loc.s.format.decimal, thousands: loc.s.format.thousands, grouping: [3], currency: ["$", ""] },
  };
  const config = { ...CONFIG, locale };
  const vgSpec = compile({ ...spec, config } as TopLevelSpec, { logger: QUIET }).spec;
  const view = new vega.View(vega.parse(vgSpec), { renderer: "none" });
  // Hidden from screen readers: its figure is one image named by the caption (chart-figure.hbs).
  const svg = (await view.toSVG()).replace(/^<svg /, '<svg aria-hidden="true" ');
  view.finalize();
  // In the browser the chart takes its container's width (capped by the stylesheet), so a phone
  // gets a narrower chart with full-size text instead of the static one scaled down.
  const live = fitContainerWidth(vgSpec);
  return { svg, vega: live };
}

export interface TrendPoint {
  year: number;
  label: string;
  /** Null for a year with no published figure: the line breaks there, it never bridges the gap. */
  value: number | null;
  lower: number | null;
  upper: number | null;
  /** Which stretch of comparable years the point is in; lines are not drawn across a break in series. */
  segment: number;
}

export interface TrendChartInput {
  text: ChartText;
  description: string;
  points: TrendPoint[];
  /** Marked `target: true` in the chart data, so no reader (or audit) takes it for a published figure. */
  target: { year: number; value: number; label: string; target: true };
  baseline: { year: number; value: number; label: string } | null;
  breaks: { year: number; label: string }[];
  yearTitle: string;
}

/** Values by year with their intervals, the baseline, the target as a labelled diamond, and breaks in series. */
export function trendChartSpec(input: TrendChartInput): TopLevelSpec {
  const years = [...input.points.map((p) => p.year), input.target.year];
  const top = Math.max(input.target.value, ...input.points.map((p) => p.upper ?? p.value ?? 0));
  const yMax = Math.min(1, Math.ceil((top + 0.05) * 10) / 10);
  const x = {
    field: "year",
    type: "quantitative" as const,
    title: input.yearTitle,
    scale: { domain: [Math.min(...years) - 0.3, Math.max(...years) + 0.3], nice: false },
    axis: { format: "d", tickMinStep: 1, grid: false },
  };
  const y = {
    type: "quantitative" as const,
    scale: { domain: [0, yMax] },
    axis: { format: ".0%", title: null, tickCount: 5 },
  };
  const c = input.text.loc.s.charts;
  const tooltip = [
    { field: "label", type: "nominal" as const, title: c.year },
    { field: "value", type: "quantitative" as const, title: c.value, format: ".0%" },
    {
      field: "lower",
      type: "quantitative" as const,
      title: fill(c.intervalFrom, { confidence: input.text.confidence }),
      format: ".0%",
    },
    { field: "upper", type: "quantitative" as const, title: c.intervalTo, format: ".0%" },
  ];
  const shown = input.points.filter((p) => p.value !== null);
  const layers: object[] = [
    {
      data: { values: input.points },
      mark: { type: "area", color: OVERALL_COLOUR, opacity: 0.12, aria: false, invalid: "break-paths-show-domains" },
      encoding: { x, y: { ...y, field: "lower" }, y2: { field: "upper" }, detail: { field: "segment" } },
    },
    {
      data: { values: input.points },
      mark: { type: "line", color: OVERALL_COLOUR, strokeWidth: 2.5, invalid: "break-paths-show-domains" },
      encoding: { x, y: { ...y, field: "value" }, detail: { field: "segment" } },
    },
    {
      name: "trend_points",
      data: { values: shown },
      mark: { type: "point", size: 60, filled: true, color: OVERALL_COLOUR, opacity: 1 },
      encoding: { x, y: { ...y, field: "value" }, tooltip },
    },
    {
      data: { values: shown.slice(-1) },
      mark: { type: "text", dy: -14, fontSize: 13, fontWeight: "bold", color: OVERALL_COLOUR, aria: false },
      encoding: { x, y: { ...y, field: "value" }, text: { field: "value", format: ".0%" } },
    },
    {
      data: { values: [input.target] },
      mark: { type: "point", shape: "diamond", size: 140, filled: true, color: TARGET_COLOUR, opacity: 1 },
      encoding: {
        x,
        y: { ...y, field: "value" },
        tooltip: [{ field: "label", type: "nominal" as const, title: c.target }],
      },
    },
    {
      data: { values: [input.target] },
      mark: { type: "text", dy: -14, align: "right", dx: 6, fontSize: 12, color: TARGET_COLOUR, aria: false },
      encoding: { x, y: { ...y, field: "value" }, text: { field: "label" } },
    },
  ];
  if (input.baseline)
    layers.push(
      {
        data: { values: [input.baseline] },
        mark: {
          type: "point",
          shape: "circle",
          size: 260,
          filled: false,
          strokeWidth: 2,
          color: TARGET_COLOUR,
          opacity: 1,
        },
        encoding: {
          x,
          y: { ...y, field: "value" },
          tooltip: [{ field: "label", type: "nominal" as const, title: c.baseline }],
        },
      },
      {
        data: { values: [input.baseline] },
        mark: { type: "text", dy: 18, fontSize: 12, color: TARGET_COLOUR, aria: false },
        encoding: { x, y: { ...y, field: "value" }, text: { value: c.baseline } },
      },
    );
  if (input.breaks.length > 0)
    layers.push(
      {
        data: { values: input.breaks.map((b) => ({ ...b, at: b.year - 0.5 })) },
        mark: { type: "rule", strokeDash: [4, 3], color: "#6B7280" },
        encoding: {
          x: { ...x, field: "at" },
          tooltip: [{ field: "label", type: "nominal" as const, title: c.breakInSeries }],
        },
      },
      {
        data: { values: input.breaks.map((b) => ({ ...b, at: b.year - 0.5, text: c.newMeasure })) },
        mark: { type: "text", align: "left", dx: 3, y: 8, fontSize: 11, color: "#4B5563", aria: false },
        encoding: { x: { ...x, field: "at" }, text: { field: "text" } },
      },
    );
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    description: input.description,
    width: 520,
    height: 240,
    layer: layers,
  } as TopLevelSpec;
}

export interface GroupBar {
  group: string;
  label: string;
  /** Null when the cell is hidden; the bar is then replaced by a note. */
  value: number | null;
  lower: number | null;
  upper: number | null;
  colour: string;
  note: string;
  /** For a coded cell, the range it is shown as ("<5%"); the bar is replaced by a note. */
  range?: string;
  /** True where the partner withheld the group, or part of it: not hidden by c2c. */
  withheld?: boolean;
}

export interface GroupChartInput {
  text: ChartText;
  description: string;
  bars: GroupBar[];
  overall: { value: number; label: string } | null;
}

/** Characters of a group's name on one line of the group chart's axis: what 180 px hold at 12 px. */
const AXIS_LINE_CHARS = 24;

/**
 * A group's name in lines of at most `width` characters, broken between words (a longer word
 * stays whole, and the axis cuts it with an ellipsis), so a phone shows the whole name, not
 * `American Indian or Alaska …`.
 */
export function wrapLabel(label: string, width: number = AXIS_LINE_CHARS): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of label.split(/\s+/).filter((w) => w !== "")) {
    if (line !== "" && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  if (line !== "" || lines.length === 0) lines.push(line);
  return lines;
}

/**
 * A text layer drawn twice: first in white with a white outline, then as given, so a line under
 * the text stops short of its letters instead of running through them.
 */
function withHalo(layer: { data: object; mark: Record<string, unknown>; encoding: object }): object[] {
  const halo = { ...layer.mark, color: "white", stroke: "white", strokeWidth: 4, strokeJoin: "round", aria: false };
  return [{ ...layer, mark: halo }, layer];
}

/** The dashed line of everyone's rate across a group chart. */
function overallRule(overall: { value: number; label: string }, x: object, title: string): object {
  return {
    data: { values: [overall] },
    mark: { type: "rule", strokeDash: [5, 4], color: OVERALL_COLOUR, strokeWidth: 1.5 },
    encoding: {
      x: { ...x, field: "value" },
      tooltip: [{ field: "label", type: "nominal", title }],
    },
  };
}

/** A district's name as the map's two lines: the line above (or nothing) and the last line. */
function nameLines(name: string): { nameAbove: string; nameLast: string } {
  const lines = wrapLabel(name, 18);
  if (lines.length <= 2)
    return { nameAbove: lines.length === 2 ? (lines[0] as string) : "", nameLast: lines.at(-1) as string };
  // Longer still: the rest above, as one line the chart may cut.
  return { nameAbove: lines.slice(0, -1).join(" "), nameLast: lines.at(-1) as string };
}

/** One bar per group of a dimension in one year, with its interval and the overall rate as a rule. */
export function groupChartSpec(input: GroupChartInput): TopLevelSpec {
  const c = input.text.loc.s.charts;
  // The axis shows each name on as many lines as it needs (`axisLabel`, lines joined by a line
  // break); the tooltip shows it whole.
  const bars = input.bars.map((b) => ({ ...b, axisLabel: wrapLabel(b.label).join("\n") }));
  const wrapped = bars.some((b) => b.axisLabel.includes("\n"));
  const top = Math.max(0.1, input.overall?.value ?? 0, ...input.bars.map((b) => b.upper ?? b.value ?? 0));
  const xMax = Math.min(1, Math.ceil((top + 0.08) * 10) / 10);
  const y = {
    field: "axisLabel",
    type: "nominal" as const,
    sort: bars.map((b) => b.axisLabel),
    title: null,
    axis: {
      labelLimit: 180,
      labelFontSize: 12,
      labelExpr: "split(datum.label, '\\n')",
      labelLineHeight: 14,
      // A name on two lines is centred on its bar: its first line moves up by half a line.
      labelOffset: { condition: { test: "indexof(datum.label, '\\n') >= 0", value: -7 }, value: 0 },
    },
  };
  // A narrow chart (a phone) keeps three ticks, so the percentages do not run into each other.
  const x = {
    type: "quantitative" as const,
    scale: { domain: [0, xMax] },
    axis: { format: ".0%", title: null, tickCount: { expr: "width < 200 ? 2 : 5" } },
  };
  const shown = bars.filter((b) => b.value !== null);
  const hidden = bars.filter((b) => b.value === null);
  // Layers only for marks that have data: an empty mark group would be an unnamed graphic to a screen reader.
  const layers: object[] = [];
  if (shown.length > 0)
    layers.push(
      {
        data: { values: shown },
        mark: { type: "bar", height: { band: 0.62 } },
        encoding: {
          y,
          x: { ...x, field: "value" },
          color: { field: "colour", type: "nominal", scale: null },
          tooltip: [
            { field: "label", type: "nominal", title: c.group },
            { field: "value", type: "quantitative", title: c.value, format: ".0%" },
            {
              field: "lower",
              type: "quantitative",
              title: fill(c.intervalFrom, { confidence: input.text.confidence }),
              format: ".0%",
            },
            { field: "upper", type: "quantitative", title: c.intervalTo, format: ".0%" },
          ],
        },
      },
      {
        data: { values: shown.filter((b) => b.lower !== null) },
        mark: { type: "rule", color: "#111827", strokeWidth: 1.2, aria: false },
        encoding: { y, x: { ...x, field: "lower" }, x2: { field: "upper" } },
      },
    );
  // The overall rate's dashed line goes under the figures printed past each bar, which get a white
  // outline drawn first, so a line through `35%` does not read as `3¦5%`.
  if (input.overall) layers.push(overallRule(input.overall, x, c.all));
  if (shown.length > 0)
    layers.push(
      ...withHalo({
        data: { values: shown },
        mark: { type: "text", align: "left", dx: 4, fontSize: 12, color: "#111827", aria: false },
        encoding: { y, x: { ...x, field: "upper" }, text: { field: "value", format: ".0%" } },
      }),
    );
  if (hidden.length > 0)
    layers.push(
      ...withHalo({
        data: { values: hidden },
        mark: { type: "text", align: "left", dx: 2, fontSize: 12, fontStyle: "italic", color: "#4B5563" },
        // The same axis as the bars', so a chart of hidden groups only still reads in percent.
        encoding: { y, x: { ...x, datum: 0 }, text: { field: "note" } },
      }),
    );
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    description: input.description,
    width: 420,
    // Two lines of a name need a taller band than one.
    height: { step: wrapped ? 36 : 30 },
    // Room on the right for the value printed past the longest bar, however narrow the chart.
    padding: { left: 5, top: 5, bottom: 5, right: 36 },
    layer: layers,
  } as TopLevelSpec;
}

export interface GapPoint {
  year: number;
  /** The year as it reads (`2024–25`). */
  label: string;
  group: string;
  groupLabel: string;
  /** The group's published share, which the gap was worked out from. */
  value: number;
  /** The gap in percentage points, negative when behind (whatever the polarity). */
  points: number;
  /** The gap in words for the tooltip: `12 points behind everyone`. */
  gapText: string;
  segment: number;
}

export interface GapTrendChartInput {
  text: ChartText;
  description: string;
  points: GapPoint[];
  /** Group labels in vocabulary order, and their colours. */
  groups: { label: string; colour: string }[];
  /** What 0 means: `everyone`. */
  referenceLabel: string;
  yearTitle: string;
}

/** Each group's gap to its reference, year by year: one line a group, 0 marked as the reference. */
export function gapTrendChartSpec(input: GapTrendChartInput): TopLevelSpec {
  const c = input.text.loc.s.charts;
  const years = input.points.map((p) => p.year);
  const extent = Math.max(5, ...input.points.map((p) => Math.abs(p.points)));
  const limit = Math.ceil((extent + 2) / 5) * 5;
  const x = {
    field: "year",
    type: "quantitative" as const,
    title: input.yearTitle,
    scale: { domain: [Math.min(...years) - 0.3, Math.max(...years) + 0.3], nice: false },
    axis: { format: "d", tickMinStep: 1, grid: false },
  };
  const y = {
    field: "points",
    type: "quantitative" as const,
    title: c.gapAxis,
    scale: { domain: [-limit, limit] },
    axis: { format: "d", tickCount: 5, labelExpr: "datum.value > 0 ? '+' + datum.label : datum.label" },
  };
  const colour = {
    field: "groupLabel",
    type: "nominal" as const,
    scale: { domain: input.groups.map((g) => g.label), range: input.groups.map((g) => g.colour) },
    legend: { disable: false, orient: "bottom", title: null, columns: 2, labelLimit: 240, symbolStrokeWidth: 2.5 },
  };
  const shape = {
    field: "groupLabel",
    type: "nominal" as const,
    scale: {
      domain: input.groups.map((g) => g.label),
      range: [
        "circle",
        "square",
        "triangle-up",
        "diamond",
        "triangle-down",
        "cross",
        "triangle-left",
        "triangle-right",
      ],
    },
    legend: { disable: false, orient: "bottom", title: null, columns: 2, labelLimit: 240 },
  };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    description: input.description,
    width: 520,
    height: 240,
    layer: [
      {
        data: { values: [{ zero: 0, label: input.referenceLabel }] },
        mark: { type: "rule", color: OVERALL_COLOUR, strokeDash: [5, 4] },
        encoding: { y: { ...y, field: "zero" } },
      },
      {
        data: { values: input.points },
        layer: [
          {
            mark: { type: "line", strokeWidth: 2.5 },
            encoding: { x, y, color: colour, detail: [{ field: "group" }, { field: "segment" }] },
          },
          {
            name: "gap_points",
            mark: { type: "point", size: 60, filled: true, opacity: 1 },
            encoding: {
              x,
              y,
              color: colour,
              shape,
              tooltip: [
                { field: "groupLabel", type: "nominal", title: c.group },
                { field: "label", type: "nominal", title: c.year },
                { field: "gapText", type: "nominal", title: c.gap },
              ],
            },
          },
        ],
      },
      // `0 = everyone` over the groups' lines, on a white outline so a line does not run through it.
      ...withHalo({
        data: { values: [{ zero: 0, label: input.referenceLabel }] },
        mark: { type: "text", align: "left", x: 4, dy: -8, fontSize: 12, color: OVERALL_COLOUR, aria: false },
        encoding: { y: { ...y, field: "zero" }, text: { field: "label" } },
      }),
    ],
  } as TopLevelSpec;
}

/** A GeoJSON feature of a district's boundary, its `id` property the district's id. */
export interface BoundaryFeature {
  type: "Feature";
  properties: { id: string };
  geometry: { type: "Polygon" | "MultiPolygon"; coordinates: unknown };
}

export interface MapArea {
  geo_id: string;
  name: string;
  year: number;
  /** Null when the district's figure is hidden: the area is then grey, with the note as its label. */
  value: number | null;
  lower: number | null;
  upper: number | null;
  valueText: string;
  /** Where the labels go: the middle of the district's outline. */
  longitude: number;
  latitude: number;
}

export interface MapChartInput {
  text: ChartText;
  description: string;
  features: BoundaryFeature[];
  areas: MapArea[];
}

/** A choropleth of the districts' latest figures, each area labelled with its name and value. */
export function mapChartSpec(input: MapChartInput): TopLevelSpec {
  const c = input.text.loc.s.charts;
  // Coloured by the whole percent shown, on a scale in steps of ten points: two districts that
  // read the same are the same colour, and a small difference is a small one (a scale from the
  // lowest to the highest made 89% and 89% the palest and the darkest blue).
  const areas = input.areas.map((a) => ({
    ...a,
    shade: a.value === null ? null : Math.round(a.value * 100) / 100,
    // A long name on two lines, so neighbouring districts' names do not run into each other: the
    // last line sits above the figure, the first above it.
    ...nameLines(a.name),
  }));
  const values = areas.filter((a) => a.shade !== null).map((a) => a.shade as number);
  const low = values.length > 0 ? Math.floor(Math.min(...values) * 10) / 10 : 0;
  const high = values.length > 0 ? Math.max(low + 0.1, Math.ceil(Math.max(...values) * 10) / 10) : 1;
  const lookup = {
    lookup: "properties.id",
    from: { data: { values: areas }, key: "geo_id", fields: ["name", "shade", "valueText"] },
  };
  const tooltip = [
    { field: "name", type: "nominal", title: c.district },
    { field: "valueText", type: "nominal", title: c.value },
  ];
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    description: input.description,
    width: 420,
    height: 300,
    projection: { type: "mercator" },
    layer: [
      {
        data: { values: input.features },
        transform: [lookup],
        mark: { type: "geoshape", fill: "#E5E7EB", stroke: "white", strokeWidth: 1.5 },
        encoding: { tooltip },
      },
      ...(values.length === 0
        ? []
        : [
            {
              data: { values: input.features },
              transform: [lookup, { filter: { field: "shade", valid: true } }],
              mark: { type: "geoshape", stroke: "white", strokeWidth: 1.5 },
              encoding: {
                // Light blues only, so the dark labels on top keep their contrast on every area.
                color: {
                  field: "shade",
                  type: "quantitative",
                  scale: { domain: [Math.min(low, 1 - 0.1), Math.min(1, high)], range: ["#DBEAFE", "#7CB0E0"] },
                },
                tooltip,
              },
            },
          ]),
      ...(["nameAbove", "nameLast"] as const).map((field) => ({
        data: { values: areas },
        mark: {
          type: "text",
          dy: field === "nameLast" ? -4 : -18,
          baseline: "bottom",
          fontSize: 12,
          color: "#111827",
          aria: false,
        },
        encoding: { longitude: { field: "longitude" }, latitude: { field: "latitude" }, text: { field } },
      })),
      {
        data: { values: areas },
        mark: { type: "text", dy: 4, baseline: "top", fontSize: 14, fontWeight: "bold", color: "#111827", aria: false },
        encoding: { longitude: { field: "longitude" }, latitude: { field: "latitude" }, text: { field: "valueText" } },
      },
    ],
  } as TopLevelSpec;
}
