import type { CountedQuantity, PrivacyPolicy } from "../../schemas/index.ts";
import type { Observation } from "../observation.ts";
import type { Range, RangeSolver, Row, Term } from "./integer-ranges.ts";
import type { LinkedSet } from "./linked-sets.ts";
import { countOf } from "./privacy-policy.ts";

/** The range a reader can give each count of one hidden cell; `exact` where the solver proved it. */
export type ExactBounds = Record<CountedQuantity, Range & { exact: boolean }>;

export interface ExactAuditResult {
  bounds: Map<Observation, ExactBounds>;
  /** Hidden cells a reader can pin, or narrow a count that may be small to fewer than the minimum's values. */
  exposed: Observation[];
  /** Hidden cells whose relations the published figures contradict: the audit cannot speak for them. */
  contradicted: Observation[];
  /**
   * The hidden count a reader comes closest to: the narrowest range of a count that could be below
   * its indicator's minimum. Null when no hidden count could be.
   */
  narrowest: { cell: Observation; count: CountedQuantity; lo: number; hi: number; exact: boolean } | null;
  /** Hidden cells and counts checked, the separate parts the solver took, and its optimisations. */
  cells: number;
  counts: number;
  parts: number;
  solves: number;
  integerSolves: number;
}

export interface ExactAuditInput {
  cells: readonly Observation[];
  sets: readonly LinkedSet[];
  /** Whether a cell does not publish all its counts. */
  isHidden: (o: Observation) => boolean;
  /** A coded cell's numerator range ("<5%" of its published denominator); null for any other cell. */
  codedRange: (o: Observation) => Range | null;
  policyOf: (o: Observation) => PrivacyPolicy;
}

const COUNTS: readonly CountedQuantity[] = ["numerator", "denominator", "complement"];

/** An expression in the unknowns plus a constant: what a reader knows of one count. */
interface Linear {
  terms: Term[];
  constant: number;
}

/**
 * The exact audit: every hidden cell's counts as a reader who combines everything published can
 * bound them. The unknowns are each hidden cell's numerator and denominator (a coded cell's
 * numerator only: its denominator is published), whole numbers with 0 ≤ numerator ≤ denominator;
 * the rows are the sum sets (where the true counts add up exactly; an inequality where they
 * do not, or where a partial dimension leaves a rest), and the `same` sets (counts that are the
 * same people). For each count, the solver gives its smallest and largest value over every
 * whole-number solution. `wide` says how many values make a range safe enough not to need its
 * exact ends: the minimum count when protecting, more when reporting the narrowest range.
 */
export function auditExactly(
  solver: RangeSolver,
  input: ExactAuditInput,
  wide: (policy: PrivacyPolicy) => number = (p) => p.minimumCount,
): ExactAuditResult {
  const { cells, sets, isHidden, codedRange, policyOf } = input;
  const lower: number[] = [];
  const upper: number[] = [];
  const rows: Row[] = [];
  const unknown = (lo: number, hi: number) => {
    lower.push(lo);
    upper.push(hi);
    return lower.length - 1;
  };
  const known = new Map<Observation, Record<CountedQuantity, Linear>>();
  const hidden: Observation[] = [];
  for (const o of cells) {
    const coded = codedRange(o);
    let n: Linear;
    let d: Linear;
    if (coded) {
      n = { terms: [[1, unknown(coded.lo, coded.hi)]], constant: 0 };
      d = { terms: [], constant: o.denominator as number };
    } else if (isHidden(o) || o.numerator === null || o.denominator === null) {
      n = { terms: [[1, unknown(0, Number.POSITIVE_INFINITY)]], constant: 0 };
      d = { terms: [[1, unknown(0, Number.POSITIVE_INFINITY)]], constant: 0 };
      rows.push({ terms: [...n.terms, [-1, (d.terms[0] as Term)[1]]], lo: Number.NEGATIVE_INFINITY, hi: 0 });
    } else {
      n = { terms: [], constant: o.numerator };
      d = { terms: [], constant: o.denominator };
    }
    known.set(o, { numerator: n, denominator: d, complement: minus(d, n) });
    if (coded || n.terms.length > 0) hidden.push(o);
  }
  const expr = (o: Observation, q: CountedQuantity) => (known.get(o) as Record<CountedQuantity, Linear>)[q];

  for (const set of sets) {
    if (set.kind === "same") {
      const [first, ...rest] = set.members;
      if (!first) continue;
      for (const m of rest) addRow(rows, minus(expr(m.cell, m.count), expr(first.cell, first.count)), "=");
      continue;
    }
    for (const q of COUNTS) {
      const parts = set.parts.reduce<Linear>((sum, p) => plus(sum, expr(p, q)), { terms: [], constant: 0 });
      const gap = minus(expr(set.total, q), parts);
      // What the true counts say of this sum: exact, or the parts short of the total (or over it).
      const truths = [set.total, ...set.parts].map((o) => countOf(o, q));
      const residual = truths.some((t) => t === null)
        ? null
        : (truths[0] as number) - truths.slice(1).reduce<number>((a, t) => a + (t as number), 0);
      if (set.rest || (residual !== null && residual > 0)) addRow(rows, gap, ">=");
      else if (residual !== null && residual < 0) addRow(rows, gap, "<=");
      else addRow(rows, gap, "=");
    }
  }

  const targets: Term[][] = [];
  const targetOf: { cell: Observation; count: CountedQuantity; constant: number }[] = [];
  for (const o of hidden)
    for (const q of COUNTS) {
      const e = expr(o, q);
      if (e.terms.length === 0) continue;
      targets.push(e.terms);
      targetOf.push({ cell: o, count: q, constant: e.constant });
    }
  const answer = solver.ranges({ lower, upper, rows, targets }, (t, seen) => {
    const { cell } = targetOf[t] as (typeof targetOf)[number];
    return seen.hi - seen.lo + 1 < wide(policyOf(cell));
  });

  const bounds = new Map<Observation, ExactBounds>();
  const contradicted = new Set<Observation>();
  targetOf.forEach(({ cell, count, constant }, t) => {
    const r = answer.ranges[t] as Range & { exact: boolean };
    if (Number.isNaN(r.lo)) contradicted.add(cell);
    const entry =
      bounds.get(cell) ?? (Object.fromEntries(COUNTS.map((q) => [q, fixed(expr(cell, q).constant)])) as ExactBounds);
    entry[count] = { lo: r.lo + constant, hi: r.hi + constant, exact: r.exact };
    bounds.set(cell, entry);
  });
  for (const o of hidden)
    if (!bounds.has(o))
      bounds.set(o, Object.fromEntries(COUNTS.map((q) => [q, fixed(expr(o, q).constant)])) as ExactBounds);

  const exposed: Observation[] = [];
  let narrowest: ExactAuditResult["narrowest"] = null;
  for (const o of hidden) {
    const b = bounds.get(o) as ExactBounds;
    if (contradicted.has(o)) continue;
    const policy = policyOf(o);
    if (isExposedExactly(b, policy)) exposed.push(o);
    for (const q of guarded(policy)) {
      const { lo, hi, exact } = b[q];
      if (lo >= policy.minimumCount) continue;
      if (narrowest === null || hi - lo < narrowest.hi - narrowest.lo) narrowest = { cell: o, count: q, lo, hi, exact };
    }
  }
  return {
    bounds,
    exposed,
    contradicted: [...contradicted],
    narrowest,
    cells: hidden.length,
    counts: targets.length,
    parts: answer.parts,
    solves: answer.solves,
    integerSolves: answer.integerSolves,
  };
}

/**
 * Whether a reader learns too much of a hidden cell: both its counts exactly, or a count that may
 * be below the minimum confined to fewer than the minimum's values (0 exactly; 1 to 9 of 10). The
 * denominator is always guarded, whatever `counted` says: a hidden group's size is itself a count.
 */
export function isExposedExactly(b: ExactBounds, policy: PrivacyPolicy): boolean {
  const pinned = (q: CountedQuantity) => b[q].lo === b[q].hi;
  if (pinned("numerator") && pinned("denominator")) return true;
  return guarded(policy).some((q) => b[q].lo < policy.minimumCount && b[q].hi - b[q].lo + 1 < policy.minimumCount);
}

function guarded(policy: PrivacyPolicy): CountedQuantity[] {
  return [...new Set<CountedQuantity>([...policy.counted, "denominator"])];
}

function fixed(value: number): Range & { exact: boolean } {
  return { lo: value, hi: value, exact: true };
}

function plus(a: Linear, b: Linear): Linear {
  return { terms: [...a.terms, ...b.terms], constant: a.constant + b.constant };
}

function minus(a: Linear, b: Linear): Linear {
  return { terms: [...a.terms, ...b.terms.map(([c, v]): Term => [-c, v])], constant: a.constant - b.constant };
}

/** `e = 0`, `e ≥ 0` or `e ≤ 0` as a row over the unknowns; nothing where `e` has none. */
function addRow(rows: Row[], e: Linear, sense: "=" | ">=" | "<="): void {
  if (e.terms.length === 0) return;
  const rhs = -e.constant;
  rows.push({
    terms: e.terms,
    lo: sense === "<=" ? Number.NEGATIVE_INFINITY : rhs,
    hi: sense === ">=" ? Number.POSITIVE_INFINITY : rhs,
  });
}
