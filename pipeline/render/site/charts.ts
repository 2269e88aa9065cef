import * as vega from "vega";
import type { TopLevelSpec } from "vega-lite";
import { compile } from "vega-lite";

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

export async function renderChart(spec: TopLevelSpec): Promise<RenderedChart> {
  const vgSpec = compile({ ...spec, config: CONFIG } as TopLevelSpec).spec;
  const view = new vega.View(vega.parse(vgSpec), { renderer: "none" });
  const svg = await view.toSVG();
  view.finalize();
  return { svg, vega: vgSpec };
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
  description: string;
  points: TrendPoint[];
  target: { year: number; value: number; label: string };
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
  const tooltip = [
    { field: "label", type: "nominal" as const, title: "Year" },
    { field: "value", type: "quantitative" as const, title: "Value", format: ".0%" },
    { field: "lower", type: "quantitative" as const, title: "95% interval from", format: ".0%" },
    { field: "upper", type: "quantitative" as const, title: "to", format: ".0%" },
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
        tooltip: [{ field: "label", type: "nominal" as const, title: "Target" }],
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
          tooltip: [{ field: "label", type: "nominal" as const, title: "Baseline" }],
        },
      },
      {
        data: { values: [input.baseline] },
        mark: { type: "text", dy: 18, fontSize: 12, color: TARGET_COLOUR, aria: false },
        encoding: { x, y: { ...y, field: "value" }, text: { value: "Baseline" } },
      },
    );
  if (input.breaks.length > 0)
    layers.push(
      {
        data: { values: input.breaks.map((b) => ({ ...b, at: b.year - 0.5 })) },
        mark: { type: "rule", strokeDash: [4, 3], color: "#6B7280" },
        encoding: {
          x: { ...x, field: "at" },
          tooltip: [{ field: "label", type: "nominal" as const, title: "Break in series" }],
        },
      },
      {
        data: { values: input.breaks.map((b) => ({ ...b, at: b.year - 0.5, text: "New measure" })) },
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
}

export interface GroupChartInput {
  description: string;
  bars: GroupBar[];
  overall: { value: number; label: string } | null;
}

/** One bar per group of a dimension in one year, with its interval and the overall rate as a rule. */
export function groupChartSpec(input: GroupChartInput): TopLevelSpec {
  const order = input.bars.map((b) => b.label);
  const top = Math.max(0.1, input.overall?.value ?? 0, ...input.bars.map((b) => b.upper ?? b.value ?? 0));
  const xMax = Math.min(1, Math.ceil((top + 0.08) * 10) / 10);
  const y = {
    field: "label",
    type: "nominal" as const,
    sort: order,
    title: null,
    axis: { labelLimit: 220, labelFontSize: 12 },
  };
  const x = { type: "quantitative" as const, scale: { domain: [0, xMax] }, axis: { format: ".0%", title: null } };
  const shown = input.bars.filter((b) => b.value !== null);
  const hidden = input.bars.filter((b) => b.value === null);
  const layers: object[] = [
    {
      data: { values: shown },
      mark: { type: "bar", height: { band: 0.62 } },
      encoding: {
        y,
        x: { ...x, field: "value" },
        color: { field: "colour", type: "nominal", scale: null },
        tooltip: [
          { field: "label", type: "nominal", title: "Group" },
          { field: "value", type: "quantitative", title: "Value", format: ".0%" },
          { field: "lower", type: "quantitative", title: "95% interval from", format: ".0%" },
          { field: "upper", type: "quantitative", title: "to", format: ".0%" },
        ],
      },
    },
    {
      data: { values: shown.filter((b) => b.lower !== null) },
      mark: { type: "rule", color: "#111827", strokeWidth: 1.2, aria: false },
      encoding: { y, x: { ...x, field: "lower" }, x2: { field: "upper" } },
    },
    {
      data: { values: shown },
      mark: { type: "text", align: "left", dx: 4, fontSize: 12, color: "#111827", aria: false },
      encoding: { y, x: { ...x, field: "upper" }, text: { field: "value", format: ".0%" } },
    },
  ];
  if (hidden.length > 0)
    layers.push({
      data: { values: hidden },
      mark: { type: "text", align: "left", dx: 2, fontSize: 12, fontStyle: "italic", color: "#4B5563" },
      encoding: { y, x: { datum: 0, type: "quantitative", scale: { domain: [0, xMax] } }, text: { field: "note" } },
    });
  if (input.overall)
    layers.push({
      data: { values: [input.overall] },
      mark: { type: "rule", strokeDash: [5, 4], color: OVERALL_COLOUR, strokeWidth: 1.5 },
      encoding: {
        x: { ...x, field: "value" },
        tooltip: [{ field: "label", type: "nominal", title: "All" }],
      },
    });
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    description: input.description,
    width: 420,
    height: { step: 30 },
    layer: layers,
  } as TopLevelSpec;
}
