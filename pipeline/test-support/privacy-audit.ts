/**
 * The privacy audit: what a determined reader can work out about the hidden cells from everything a
 * built site publishes. It shares no code with the protect stage (it reads the site's files, not
 * the observation table), so a mistake in one is not repeated in the other.
 *
 * 1. Read every published number. Cells come from the CSV and JSON downloads (every `*.csv` and
 *    `*.json` whose rows carry indicator, year, geo_level, geo_id, dimension, group). Numbers the
 *    pages show (the tables' "N of M" or "N de M", the data inside each `<script type="application/json">`
 *    chart spec, and "N of M" in SVG text) must each be one of those published cells; any that is
 *    not is reported as `unplaced` (a number shown on a page that the downloads do not account for).
 * 2. Build the linear relations a reader knows, over three integer unknowns per cell, its
 *    numerator n, denominator d and complement c = d − n: n, d, c ≥ 0; each dimension's groups
 *    add up to the all-children cell of the same indicator, year and place; the districts add up
 *    to the community (for a dimension said to be partial, the groups and an unreported rest of
 *    unknown size add up); cells of indicators said to count the same people have equal d; a count
 *    published on its own is fixed even where the cell's other count is hidden; a hidden cell whose
 *    rate is published has n = rate × d. A coded cell (flag `bottom-coded`, the share below
 *    `upper`; `top-coded`, above `lower`) publishes d, and tells a reader that n < upper × d (or
 *    c < (1 − lower) × d) and, since the policy is public and only a small count is coded, that
 *    n (or c) is below the minimum. Sums whose members are all published are left
 *    out (they say nothing about a hidden cell, and a partner's own groups need not add up).
 * 3. Propagate interval bounds through the relations until nothing changes, rounding to integers.
 *    This is sound (a reader can always derive at least these bounds) but can be looser than an
 *    exact linear programme where hidden cells form cycles across several tables.
 *
 * The criterion, for each hidden cell of an indicator whose policy has minimum m and counted
 * quantities Q (a subset of n, d, c), with derived integer bounds [lo, hi] for each q in Q:
 * - `determined`: n and d are both pinned (lo = hi): the cell could as well have been published.
 * - `narrowed`: some q in Q may be below the minimum (lo < m) and is confined to fewer than m
 *   possible values (hi − lo + 1 < m). A count a reader can only place in [0, m − 1], or anywhere
 *   in m or more values, is protected; [0, 8] with m = 10, or exactly 0, is not.
 * A published cell with a counted quantity below m is reported as `published-below-minimum`.
 */

export type Quantity = "numerator" | "denominator" | "complement";

export interface AuditPolicy {
  minimumCount: number;
  counted: readonly Quantity[];
}

export interface AuditOptions {
  /** The policy each indicator's cells are held to. */
  policy: (indicator: string) => AuditPolicy;
  /** Families of indicators that count the same people: equal denominators at the same cell. */
  sameDenominators?: readonly (readonly string[])[];
  /**
   * Dimensions, by indicator, whose groups need not add up to everyone (a source that reports only
   * some groups): their groups and an unreported rest, of unknown size, add up to everyone.
   */
  partialDimensions?: Readonly<Record<string, readonly string[]>>;
}

export interface Interval {
  lo: number;
  hi: number;
}

export interface HiddenCellBounds {
  key: string;
  numerator: Interval;
  denominator: Interval;
  complement: Interval;
}

export interface AuditFinding {
  kind: "determined" | "narrowed" | "unplaced" | "published-below-minimum";
  /** The cell (`indicator|year|geo_level|geo_id|dimension|group`) or, for `unplaced`, the file. */
  where: string;
  detail: string;
}

export interface AuditResult {
  /** How many cells the downloads publish with counts, and how many they hide. */
  published: number;
  hidden: HiddenCellBounds[];
  findings: AuditFinding[];
  /** Relations the published numbers contradict (a reader's assumption that fails): not leaks. */
  conflicts: string[];
}

interface Cell {
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

const KEY_COLUMNS = ["indicator", "year", "geo_level", "geo_id", "dimension", "group"] as const;
const cellKey = (c: Pick<Cell, (typeof KEY_COLUMNS)[number]>) => KEY_COLUMNS.map((k) => c[k]).join("|");

/** Audits a built site: site-relative path → content, as `build()` returns it or as written under out/site. */
export function auditSite(site: ReadonlyMap<string, string | Uint8Array>, options: AuditOptions): AuditResult {
  const findings: AuditFinding[] = [];
  const conflicts: string[] = [];
  const cells = readCells(site, conflicts);
  findings.push(...checkPages(site, cells));

  const system = new System();
  const vars = new Map<string, { n: number; d: number; c: number }>();
  for (const [key, cell] of cells) {
    const published = cell.numerator !== null && cell.denominator !== null;
    const small = options.policy(cell.indicator).minimumCount - 1;
    // The most whole numbers strictly below x: "<5%" of 200 is at most 9.
    const below = (x: number) => Math.ceil(x - 1e-9) - 1;
    const d = cell.denominator;
    const v = {
      n:
        cell.flag === "bottom-coded" && d !== null && cell.upper !== null
          ? system.variableIn(0, Math.min(small, below(cell.upper * d)))
          : system.variable(cell.numerator),
      d: system.variable(cell.denominator),
      c:
        cell.flag === "top-coded" && d !== null && cell.lower !== null
          ? system.variableIn(0, Math.min(small, below((1 - cell.lower) * d)))
          : system.variable(published ? (cell.denominator as number) - (cell.numerator as number) : null),
    };
    vars.set(key, v);
    system.equation(
      [
        [1, v.d],
        [-1, v.n],
        [-1, v.c],
      ],
      0,
    );
    if (!published && cell.value !== null)
      system.equation(
        [
          [1, v.n],
          [-cell.value, v.d],
        ],
        0,
      );
  }
  const isPublished = (c: Cell) => c.numerator !== null && c.denominator !== null;
  const addSum = (total: Cell, parts: Cell[]) => {
    if ([total, ...parts].every(isPublished)) return;
    const t = vars.get(cellKey(total));
    const ps = parts.flatMap((p) => vars.get(cellKey(p)) ?? []);
    if (!t || ps.length !== parts.length) return;
    const dimension = parts[0]?.dimension ?? "";
    if (parts[0]?.geo_level === total.geo_level && options.partialDimensions?.[total.indicator]?.includes(dimension)) {
      const rest = { n: system.variable(null), d: system.variable(null), c: system.variable(null) };
      system.equation(
        [
          [1, rest.d],
          [-1, rest.n],
          [-1, rest.c],
        ],
        0,
      );
      ps.push(rest);
    }
    for (const q of ["n", "d", "c"] as const)
      system.equation([[-1, t[q]], ...ps.map((p): [number, number] => [1, p[q]])], 0);
  };
  for (const { total, parts } of sums(cells)) addSum(total, parts);
  for (const family of options.sameDenominators ?? []) {
    const byPlace = new Map<string, number[]>();
    for (const [key, cell] of cells) {
      if (!family.includes(cell.indicator)) continue;
      const place = key.slice(key.indexOf("|"));
      byPlace.set(place, [...(byPlace.get(place) ?? []), (vars.get(key) as { d: number }).d]);
    }
    for (const ds of byPlace.values())
      for (let i = 1; i < ds.length; i++)
        system.equation(
          [
            [1, ds[0] as number],
            [-1, ds[i] as number],
          ],
          0,
        );
  }
  conflicts.push(...system.solve());

  const hidden: HiddenCellBounds[] = [];
  let published = 0;
  for (const [key, cell] of cells) {
    const policy = options.policy(cell.indicator);
    const v = vars.get(key) as { n: number; d: number; c: number };
    const bounds = { numerator: system.bounds(v.n), denominator: system.bounds(v.d), complement: system.bounds(v.c) };
    if (isPublished(cell)) {
      published++;
      for (const q of policy.counted)
        if (bounds[q].lo < policy.minimumCount)
          findings.push({ kind: "published-below-minimum", where: key, detail: `${q} ${bounds[q].lo}` });
      continue;
    }
    hidden.push({ key, ...bounds });
    const exact = (i: Interval) => i.lo === i.hi;
    if (exact(bounds.numerator) && exact(bounds.denominator)) {
      findings.push({
        kind: "determined",
        where: key,
        detail: `${bounds.numerator.lo} of ${bounds.denominator.lo} can be worked out`,
      });
      continue;
    }
    for (const q of policy.counted) {
      const { lo, hi } = bounds[q];
      if (lo < policy.minimumCount && hi - lo + 1 < policy.minimumCount)
        findings.push({ kind: "narrowed", where: key, detail: `${q} is in [${lo}, ${hi}]` });
    }
  }
  return { published, hidden, findings, conflicts };
}

/** The sum relations among cells: each dimension's groups and its total; the districts and the community. */
function sums(cells: ReadonlyMap<string, Cell>): { total: Cell; parts: Cell[] }[] {
  const groups = new Map<string, { total?: Cell; parts: Cell[] }>();
  const entry = (key: string) => {
    const known = groups.get(key);
    if (known) return known;
    const created: { total?: Cell; parts: Cell[] } = { parts: [] };
    groups.set(key, created);
    return created;
  };
  for (const c of cells.values()) {
    const place = `${c.indicator}|${c.year}|${c.geo_level}|${c.geo_id}`;
    if (c.dimension === "all") entry(`dim|${place}`).total = c;
    else entry(`dim|${place}`).parts.push(c);
    const same = `geo|${c.indicator}|${c.year}|${c.dimension}|${c.group}`;
    if (c.geo_level === "community") entry(same).total = c;
    else if (c.geo_level === "district") entry(same).parts.push(c);
  }
  const out: { total: Cell; parts: Cell[] }[] = [];
  for (const [key, { total, parts }] of groups) {
    if (!total || parts.length === 0) continue;
    if (key.startsWith("geo|")) out.push({ total, parts });
    else {
      const byDimension = new Map<string, Cell[]>();
      for (const p of parts) byDimension.set(p.dimension, [...(byDimension.get(p.dimension) ?? []), p]);
      for (const list of byDimension.values()) out.push({ total, parts: list });
    }
  }
  return out;
}

function text(content: string | Uint8Array): string {
  return typeof content === "string" ? content : new TextDecoder().decode(content);
}

/** Every cell in the CSV and JSON downloads, merged by key; a number two files disagree on is a conflict. */
function readCells(site: ReadonlyMap<string, string | Uint8Array>, conflicts: string[]): Map<string, Cell> {
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
function checkPages(site: ReadonlyMap<string, string | Uint8Array>, cells: ReadonlyMap<string, Cell>): AuditFinding[] {
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

/** Integer unknowns with interval bounds, and linear equations among them, solved by propagation. */
class System {
  private lo: number[] = [];
  private hi: number[] = [];
  private equations: { terms: [number, number][]; rhs: number }[] = [];
  private uses: number[][] = [];

  /** A new unknown: fixed where the value is published, else any nonnegative integer. */
  variable(known: number | null): number {
    return this.variableIn(known ?? 0, known ?? Number.POSITIVE_INFINITY);
  }

  /** A new unknown known to lie in [lo, hi]. */
  variableIn(lo: number, hi: number): number {
    this.lo.push(lo);
    this.hi.push(hi);
    this.uses.push([]);
    return this.lo.length - 1;
  }

  /** Σ coefficient × unknown = rhs. */
  equation(terms: [number, number][], rhs: number): void {
    const index = this.equations.length;
    const nonzero = terms.filter(([a]) => a !== 0);
    this.equations.push({ terms: nonzero, rhs });
    for (const [, v] of nonzero) this.uses[v]?.push(index);
  }

  bounds(v: number): Interval {
    return { lo: this.lo[v] as number, hi: this.hi[v] as number };
  }

  /** Narrows every bound to a fixpoint; returns the equations found to be contradicted. */
  solve(limit = 2_000_000): string[] {
    const conflicts: string[] = [];
    const broken = new Set<number>();
    const queued = new Set(this.equations.keys());
    const queue = [...queued];
    let steps = 0;
    while (queue.length > 0) {
      if (++steps > limit) {
        conflicts.push("the bounds did not settle");
        break;
      }
      const e = queue.shift() as number;
      queued.delete(e);
      if (broken.has(e)) continue;
      for (const v of this.narrow(e)) {
        if ((this.lo[v] as number) > (this.hi[v] as number)) {
          broken.add(e);
          conflicts.push(`equation ${e} has no solution`);
          break;
        }
        for (const other of this.uses[v] ?? [])
          if (!queued.has(other)) {
            queued.add(other);
            queue.push(other);
          }
      }
    }
    return conflicts;
  }

  /** One equation's implied bounds on each of its unknowns; returns the unknowns it narrowed. */
  private narrow(index: number): number[] {
    const { terms, rhs } = this.equations[index] as { terms: [number, number][]; rhs: number };
    const range = terms.map(([a, v]) => {
      const [lo, hi] = [this.lo[v] as number, this.hi[v] as number];
      return a >= 0 ? [a * lo, a * hi] : [a * hi, a * lo];
    }) as [number, number][];
    const sum = (pick: 0 | 1, skip: number) => {
      let s = 0;
      for (let j = 0; j < range.length; j++) if (j !== skip) s += (range[j] as [number, number])[pick];
      return s;
    };
    const changed: number[] = [];
    terms.forEach(([a, v], i) => {
      if (a === 0) return;
      const [restMin, restMax] = [sum(0, i), sum(1, i)];
      // a·x = rhs − rest, with rest in [restMin, restMax]
      const [p, q] = [(rhs - restMax) / a, (rhs - restMin) / a];
      const [lo, hi] = a > 0 ? [p, q] : [q, p];
      const newLo = Number.isNaN(lo) ? -Infinity : Math.ceil(lo - 1e-9);
      const newHi = Number.isNaN(hi) ? Infinity : Math.floor(hi + 1e-9);
      let moved = false;
      if (newLo > (this.lo[v] as number)) {
        this.lo[v] = newLo;
        moved = true;
      }
      if (newHi < (this.hi[v] as number)) {
        this.hi[v] = newHi;
        moved = true;
      }
      if (moved) {
        changed.push(v);
        range[i] =
          a >= 0
            ? [a * (this.lo[v] as number), a * (this.hi[v] as number)]
            : [a * (this.hi[v] as number), a * (this.lo[v] as number)];
      }
    });
    return changed;
  }
}
