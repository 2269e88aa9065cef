/**
 * What a reader reads off a built site: every cell of the downloads, and the numbers its pages show
 * (each must be one of those cells).
 */
import type { AuditFinding } from "./audit-types.ts";

/** One published cell, as the downloads give it: counts and rate where shown, null where not. */
export interface Cell {
  indicator: string;
  year: string;
  geo_level: string;
  geo_id: string;
  dimension: string;
  group: string;
  numerator: number | null;
  denominator: number | null;
  value: number | null;
  lower: number | null;
  upper: number | null;
  flag: string;
}

export const KEY_COLUMNS = ["indicator", "year", "geo_level", "geo_id", "dimension", "group"] as const;
export const cellKey = (c: Pick<Cell, (typeof KEY_COLUMNS)[number]>) => KEY_COLUMNS.map((k) => c[k]).join("|");

export function text(content: string | Uint8Array): string {
  return typeof content === "string" ? content : new TextDecoder().decode(content);
}

/** Every cell in the CSV and JSON downloads, merged by key; a number two files disagree on is a conflict. */
export function readCells(site: ReadonlyMap<string, string | Uint8Array>, conflicts: string[]): Map<string, Cell> {
  const cells = new Map<string, Cell>();
  const add = (row: Record<string, unknown>, file: string) => {
    if (!KEY_COLUMNS.every((k) => row[k] !== undefined && row[k] !== null)) return;
    const cell: Cell = {
      indicator: String(row.indicator),
      year: String(row.year),
      geo_level: String(row.geo_level),
      geo_id: String(row.geo_id),
      dimension: String(row.dimension),
      group: String(row.group),
      numerator: toNumber(row.numerator),
      denominator: toNumber(row.denominator),
      value: toNumber(row.value),
      lower: toNumber(row.lower),
      upper: toNumber(row.upper),
      flag: String(row.flag ?? ""),
    };
    const key = cellKey(cell);
    const seen = cells.get(key);
    if (!seen) {
      cells.set(key, cell);
      return;
    }
    if (seen.flag === "") seen.flag = cell.flag;
    else if (cell.flag !== "" && cell.flag !== seen.flag)
      conflicts.push(`${file}: ${key} flag ${cell.flag} vs ${seen.flag}`);
    for (const f of ["numerator", "denominator", "value", "lower", "upper"] as const) {
      const [a, b] = [seen[f], cell[f]];
      if (a !== null && b !== null && Math.abs(a - b) > 1e-9) conflicts.push(`${file}: ${key} ${f} ${b} vs ${a}`);
      if (a === null && b !== null) seen[f] = b;
    }
  };
  for (const [p, content] of [...site.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (p.endsWith(".csv")) for (const row of parseCsv(text(content))) add(row, p);
    if (p.endsWith(".json")) {
      let data: unknown;
      try {
        data = JSON.parse(text(content));
      } catch {
        continue;
      }
      if (Array.isArray(data)) for (const row of data) if (row && typeof row === "object") add(row, p);
    }
  }
  return cells;
}

function toNumber(v: unknown): number | null {
  if (v === null || v === undefined || v === "") return null;
  const n = typeof v === "number" ? v : Number(v);
  return Number.isFinite(n) ? n : null;
}

/** RFC 4180 CSV into rows keyed by the header. */
function parseCsv(source: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i] as string;
    if (quoted) {
      if (ch === '"' && source[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && source[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += ch;
  }
  if (field !== "" || row.length > 0) rows.push([...row, field]);
  const [header, ...body] = rows;
  if (!header) return [];
  return body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ""])));
}

/**
 * The numbers the pages show, each checked against the published cells: "N of M" anywhere in a
 * page (tables, SVG text, alt text), and every datum in the chart specs that carries a value or counts.
 */
export function checkPages(
  site: ReadonlyMap<string, string | Uint8Array>,
  cells: ReadonlyMap<string, Cell>,
): AuditFinding[] {
  const findings: AuditFinding[] = [];
  const published = [...cells.values()].filter((c) => c.numerator !== null && c.denominator !== null);
  for (const [p, content] of site) {
    if (!p.endsWith(".html")) continue;
    const html = text(content);
    const indicator = /^indicators\/([^/]+)\.html$/.exec(p)?.[1];
    const own = published.filter((c) => indicator === undefined || c.indicator === indicator);
    // "N of M", and "N de M" on the Spanish pages.
    for (const m of html.matchAll(/(\d[\d,]*) (?:of|de) (\d[\d,]*)/g)) {
      const [n, d] = [Number((m[1] ?? "").replace(/,/g, "")), Number((m[2] ?? "").replace(/,/g, ""))];
      if (!own.some((c) => c.numerator === n && c.denominator === d))
        findings.push({ kind: "unplaced", where: p, detail: `"${m[0]}" is not a published cell's counts` });
    }
    for (const m of html.matchAll(/<script type="application\/json"[^>]*>([\s\S]*?)<\/script>/g)) {
      let spec: unknown;
      try {
        spec = JSON.parse(m[1] ?? "");
      } catch {
        findings.push({ kind: "unplaced", where: p, detail: "a chart spec that is not JSON" });
        continue;
      }
      for (const datum of chartData(spec)) {
        const problem = placeDatum(datum, own);
        if (problem) findings.push({ kind: "unplaced", where: p, detail: problem });
      }
    }
  }
  return findings;
}

/** Every object inside a `values` array of a (Vega or Vega-Lite) spec. */
function chartData(spec: unknown): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const walk = (node: unknown, inValues: boolean) => {
    if (Array.isArray(node)) for (const item of node) walk(item, inValues);
    else if (node && typeof node === "object") {
      if (inValues) out.push(node as Record<string, unknown>);
      for (const [k, v] of Object.entries(node)) walk(v, k === "values");
    }
  };
  walk(spec, false);
  return out;
}

const close = (a: number | null, b: unknown) => typeof b === "number" && a !== null && Math.abs(a - b) < 1e-12;

/** Why a chart datum is not accounted for by the published cells, or null when it is. */
function placeDatum(datum: Record<string, unknown>, own: readonly Cell[]): string | null {
  const described = JSON.stringify(datum).slice(0, 120);
  if ("numerator" in datum || "denominator" in datum) {
    const ok = own.some((c) => c.numerator === datum.numerator && c.denominator === datum.denominator);
    if (!ok) return `chart counts ${described}`;
  }
  if (typeof datum.value !== "number") return null;
  // A target is the partnership's aim, not a figure: charts mark it `target: true` in every language.
  if (datum.target === true || (typeof datum.label === "string" && datum.label.startsWith("Target"))) return null;
  const candidates =
    typeof datum.group === "string"
      ? own.filter((c) => c.group === datum.group)
      : "lower" in datum && typeof datum.year === "number"
        ? own.filter((c) => c.year === String(datum.year) && c.dimension === "all")
        : own;
  return candidates.some((c) => close(c.value, datum.value)) ? null : `chart value ${described}`;
}
