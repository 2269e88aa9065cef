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
 *    Relations between indicators come from the catalog (`relations`: one indicator's count is the
 *    same people as another's, a year offset apart) and from the figures themselves: two counts
 *    that agree in every cell where both are published, in at least two cells with people in them,
 *    are taken as equal everywhere, as a determined reader would take them. Where such a relation
 *    points at a cell the site does not have (while it has that indicator's other groups there),
 *    the missing group is read as zero.
 * 3. Propagate interval bounds through the relations until nothing changes, rounding to integers;
 *    then solve each connected part exactly: every hidden count's smallest and largest value over
 *    every whole-number solution, by a whole-number programme (HiGHS, from LP text: no code is
 *    shared with the protect stage's own solver wrapper).
 *
 * The criterion, for each hidden cell of an indicator whose policy has minimum m and counted
 * quantities Q (a subset of n, d, c), with derived integer bounds [lo, hi] for each q in Q:
 * - `determined`: n and d are both pinned (lo = hi): the cell could as well have been published.
 * - `narrowed`: some q in Q may be below the minimum (lo < m) and is confined to fewer than m
 *   possible values (hi − lo + 1 < m). A count a reader can only place in [0, m − 1], or anywhere
 *   in m or more values, is protected; [0, 8] with m = 10, or exactly 0, is not.
 * A published cell with a counted quantity below m is reported as `published-below-minimum`.
 */

import type { Highs } from "highs";
import { InternalError } from "../internal-error.ts";
import type { AuditFinding, Interval } from "./audit-types.ts";
import { System } from "./reader-system.ts";
import { type Cell, cellKey, checkPages, readCells } from "./site-cells.ts";

export type { AuditFinding, Interval } from "./audit-types.ts";

export type Quantity = "numerator" | "denominator" | "complement";

export interface AuditPolicy {
  minimumCount: number;
  counted: readonly Quantity[];
}

/** One indicator's count is the same people as another's, in the year `yearOffset` later. */
export interface AuditRelation {
  left: { indicator: string; quantity: Quantity };
  right: { indicator: string; quantity: Quantity };
  yearOffset: number;
}

export interface AuditOptions {
  /** The solver the exact bounds are computed with (`loadAuditSolver`). */
  highs: Highs;
  /** The policy each indicator's cells are held to. */
  policy: (indicator: string) => AuditPolicy;
  /** Relations the catalog states (a reader finds the others in the figures). */
  relations?: readonly AuditRelation[];
  /** Families of indicators that count the same people: equal denominators at the same cell. */
  sameDenominators?: readonly (readonly string[])[];
  /**
   * Dimensions, by indicator, whose groups need not add up to everyone (a source that reports only
   * some groups): their groups and an unreported rest, of unknown size, add up to everyone.
   */
  partialDimensions?: Readonly<Record<string, readonly string[]>>;
}

export interface HiddenCellBounds {
  key: string;
  numerator: Interval;
  denominator: Interval;
  complement: Interval;
}

export interface AuditResult {
  /** How many cells the downloads publish with counts, and how many they hide. */
  published: number;
  hidden: HiddenCellBounds[];
  findings: AuditFinding[];
  /** Relations the published numbers contradict (a reader's assumption that fails): not leaks. */
  conflicts: string[];
  /** The relations between indicators the audit held the site to: stated, and found in the figures. */
  relations: AuditRelation[];
}

/** HiGHS, loaded once per test file. */
export async function loadAuditSolver(): Promise<Highs> {
  const { default: load } = (await import("highs")) as unknown as { default: () => Promise<Highs> };
  return load();
}

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
          : system.variable(d !== null && cell.numerator !== null ? d - cell.numerator : null),
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
  const varsOf = (key: string) => {
    const v = vars.get(key);
    if (!v) throw new InternalError(`the reader's system has no unknowns for ${key}`);
    return v;
  };
  const isPublished = (c: Cell): c is Cell & { numerator: number; denominator: number } =>
    c.numerator !== null && c.denominator !== null;
  // What the fully published sums of each family (an indicator's groups of one dimension, or its
  // districts) show a reader: that they add up, fall short of the total (groups an agency does not
  // report), or go over it (groups that overlap). A reader takes the other sums of the family alike.
  const family = (total: Cell, parts: Cell[]) =>
    parts[0]?.geo_level === total.geo_level
      ? `dim|${total.indicator}|${parts[0]?.dimension}`
      : `geo|${total.indicator}`;
  const shows = new Map<string, Set<number>>();
  for (const { total, parts } of sums(cells)) {
    if (!isPublished(total) || !parts.every(isPublished)) continue;
    const signs = shows.get(family(total, parts)) ?? new Set<number>();
    for (const q of ["numerator", "denominator"] as const)
      signs.add(Math.sign(total[q] - parts.reduce((a, p) => a + p[q], 0)));
    shows.set(family(total, parts), signs);
  }
  const addSum = (total: Cell, parts: Cell[]) => {
    if ([total, ...parts].every(isPublished)) return;
    const t = vars.get(cellKey(total));
    const ps = parts.flatMap((p) => vars.get(cellKey(p)) ?? []);
    if (!t || ps.length !== parts.length) return;
    const dimension = parts[0]?.dimension ?? "";
    const signs = shows.get(family(total, parts)) ?? new Set<number>();
    if (signs.has(1) && signs.has(-1)) return;
    const partial =
      parts[0]?.geo_level === total.geo_level && options.partialDimensions?.[total.indicator]?.includes(dimension);
    // A rest of unknown size makes up the difference: the unreported groups, or (with -1) the overlap.
    const restSign = partial || signs.has(1) ? 1 : signs.has(-1) ? -1 : 0;
    if (restSign !== 0) {
      const rest = { n: system.variable(null), d: system.variable(null), c: system.variable(null) };
      system.equation(
        [
          [1, rest.d],
          [-1, rest.n],
          [-1, rest.c],
        ],
        0,
      );
      for (const q of ["n", "d", "c"] as const)
        system.equation([[-1, t[q]], ...ps.map((p): [number, number] => [1, p[q]]), [restSign, rest[q]]], 0);
      return;
    }
    for (const q of ["n", "d", "c"] as const)
      system.equation([[-1, t[q]], ...ps.map((p): [number, number] => [1, p[q]])], 0);
  };
  for (const { total, parts } of sums(cells)) addSum(total, parts);
  const relations = [...(options.relations ?? []), ...readerRelations(cells)];
  for (const relation of relations)
    for (const [a, b] of relationPairs(cells, relation)) {
      const unknownOf = (t: Tied) => varsOf(cellKey(t.cell))[short(t.quantity)];
      if (b === null) system.equation([[1, unknownOf(a)]], 0);
      else
        system.equation(
          [
            [1, unknownOf(a)],
            [-1, unknownOf(b)],
          ],
          0,
        );
    }
  for (const family of options.sameDenominators ?? []) {
    const byPlace = new Map<string, number[]>();
    for (const [key, cell] of cells) {
      if (!family.includes(cell.indicator)) continue;
      const place = key.slice(key.indexOf("|"));
      byPlace.set(place, [...(byPlace.get(place) ?? []), varsOf(key).d]);
    }
    for (const [first, ...rest] of byPlace.values())
      if (first !== undefined)
        for (const d of rest)
          system.equation(
            [
              [1, first],
              [-1, d],
            ],
            0,
          );
  }
  conflicts.push(...system.solve());
  const minimumOf = new Map<number, number>();
  for (const [key, cell] of cells) {
    const v = varsOf(key);
    if (!isPublished(cell))
      for (const u of [v.n, v.d, v.c]) minimumOf.set(u, options.policy(cell.indicator).minimumCount);
  }
  for (const v of system.solveExactly(options.highs, [...minimumOf.keys()], (u) => minimumOf.get(u) ?? 1))
    conflicts.push(`the part of unknown ${v} has no solution`);

  const hidden: HiddenCellBounds[] = [];
  let published = 0;
  for (const [key, cell] of cells) {
    const policy = options.policy(cell.indicator);
    const v = varsOf(key);
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
  return { published, hidden, findings, conflicts, relations };
}

const short = (q: Quantity) => (q === "numerator" ? "n" : q === "denominator" ? "d" : "c");
const QUANTITIES: readonly Quantity[] = ["numerator", "denominator", "complement"];

function shown(c: Cell, q: Quantity): number | null {
  if (c.numerator === null || c.denominator === null) return q === "denominator" ? c.denominator : null;
  return q === "numerator" ? c.numerator : q === "denominator" ? c.denominator : c.denominator - c.numerator;
}

const placeOf = (c: Cell, yearOffset = 0) =>
  `${Number(c.year) + yearOffset}|${c.geo_level}|${c.geo_id}|${c.dimension}|${c.group}`;

/**
 * Counts of two indicators (or of one, years apart) that agree in every cell where both are
 * published, in at least two cells with people in them: a reader takes them as the same people.
 */
function readerRelations(cells: ReadonlyMap<string, Cell>): AuditRelation[] {
  const byIndicator = new Map<string, Map<string, Cell>>();
  for (const c of cells.values()) {
    const own = byIndicator.get(c.indicator) ?? new Map<string, Cell>();
    own.set(placeOf(c), c);
    byIndicator.set(c.indicator, own);
  }
  const years = (id: string) => [...(byIndicator.get(id) as Map<string, Cell>).values()].map((c) => Number(c.year));
  const found: AuditRelation[] = [];
  const ids = [...byIndicator.keys()].sort();
  for (const a of ids)
    for (const b of ids) {
      if (b < a) continue;
      const [ya, yb] = [years(a), years(b)];
      for (let offset = Math.min(...yb) - Math.max(...ya); offset <= Math.max(...yb) - Math.min(...ya); offset++) {
        if (a === b && offset <= 0) continue;
        const right = byIndicator.get(b) as Map<string, Cell>;
        const pairs = [...(byIndicator.get(a) as Map<string, Cell>).values()].flatMap((c) => {
          const other = right.get(placeOf(c, offset));
          return other ? [[c, other] as const] : [];
        });
        for (const qa of QUANTITIES)
          for (const qb of QUANTITIES) {
            let agree = 0;
            let differ = false;
            for (const [x, y] of pairs) {
              const [u, w] = [shown(x, qa), shown(y, qb)];
              if (u === null || w === null) continue;
              if (u !== w) {
                differ = true;
                break;
              }
              if (u > 0) agree++;
            }
            if (!differ && agree >= 2)
              found.push({
                left: { indicator: a, quantity: qa },
                right: { indicator: b, quantity: qb },
                yearOffset: offset,
              });
          }
      }
    }
  return found;
}

/**
 * The counts a relation ties: each cell of its left indicator with the right one's cell at the
 * shifted year, or null where the site has that indicator's other groups there but not this one (a
 * missing group reads as zero); and each right cell with no left one, the same way.
 */
function relationPairs(cells: ReadonlyMap<string, Cell>, r: AuditRelation): [Tied, Tied | null][] {
  const byPlace = new Map<string, Cell>();
  const families = new Set<string>();
  for (const c of cells.values()) {
    byPlace.set(`${c.indicator}|${placeOf(c)}`, c);
    families.add(`${c.indicator}|${c.year}|${c.geo_level}|${c.geo_id}|${c.dimension}`);
  }
  const hasFamily = (indicator: string, c: Cell, offset: number) =>
    families.has(`${indicator}|${Number(c.year) + offset}|${c.geo_level}|${c.geo_id}|${c.dimension}`);
  const out: [Tied, Tied | null][] = [];
  for (const c of cells.values()) {
    if (c.indicator === r.left.indicator) {
      const other = byPlace.get(`${r.right.indicator}|${placeOf(c, r.yearOffset)}`);
      if (other)
        out.push([
          { cell: c, quantity: r.left.quantity },
          { cell: other, quantity: r.right.quantity },
        ]);
      else if (hasFamily(r.right.indicator, c, r.yearOffset)) out.push([{ cell: c, quantity: r.left.quantity }, null]);
    }
    if (
      c.indicator === r.right.indicator &&
      !byPlace.has(`${r.left.indicator}|${placeOf(c, -r.yearOffset)}`) &&
      hasFamily(r.left.indicator, c, -r.yearOffset)
    )
      out.push([{ cell: c, quantity: r.right.quantity }, null]);
  }
  return out;
}

interface Tied {
  cell: Cell;
  quantity: Quantity;
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
