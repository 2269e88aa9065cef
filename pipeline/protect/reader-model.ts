import type { CountedQuantity, PrivacyPolicy } from "../../schemas/index.ts";
import { InternalError } from "../internal-error.ts";
import { type Observation, observationKey } from "../observation.ts";
import type { RangeProblem, Row, Term } from "./integer-ranges.ts";
import type { LinkedSet } from "./linked-sets.ts";
import { type CodedRange, countOf } from "./privacy-policy.ts";

export interface ReaderModelInput {
  cells: readonly Observation[];
  sets: readonly LinkedSet[];
  /** Whether a cell does not publish all its counts. */
  isHidden: (o: Observation) => boolean;
  /** A coded cell's numerator range ("<5%" of its published denominator); null for any other cell. */
  codedRange: (o: Observation) => CodedRange | null;
  policyOf: (o: Observation) => PrivacyPolicy;
}

/**
 * What a reader may take as given about sums whose true counts c2c cannot check (a member the
 * partner withheld): `family`, what the other sums of the same indicator and dimension show
 * (exact where every one that can be checked adds up; an inequality where they fall short of the
 * total, or go over it); `none`, nothing (for a part whose figures contradict the first).
 */
export type Assumption = "family" | "none";

/** One count of one hidden cell, as a target of the range problem. */
export interface CountTarget {
  cell: Observation;
  count: CountedQuantity;
  /** What the count adds to its expression in the unknowns (a coded cell's published denominator). */
  constant: number;
}

export interface ReaderModel {
  problem: RangeProblem;
  targets: CountTarget[];
  /** Cells that do not publish all their counts, in table order. */
  hidden: Observation[];
  /** Each count of each cell as a constant plus an expression in the unknowns. */
  expression: (o: Observation, q: CountedQuantity) => Linear;
}

/** An expression in the unknowns plus a constant: what a reader knows of one count. */
export interface Linear {
  terms: Term[];
  constant: number;
}

export const COUNTS: readonly CountedQuantity[] = ["numerator", "denominator", "complement"];

/**
 * The whole-number programme a reader who combines everything published can solve. Its unknowns
 * are each hidden cell's numerator, denominator and complement (a coded cell's numerator and
 * complement: its denominator is published), nonnegative, with numerator + complement =
 * denominator. Its rows are the sum sets and the `same` sets:
 * a sum c2c can check against the true counts is an equation where they add up exactly and an
 * inequality where they do not (a partial dimension's unreported rest, groups an agency does not
 * report), so the true counts are always a solution; one it cannot check is taken as `assume` says.
 */
export function readerModel(input: ReaderModelInput, assume: Assumption): ReaderModel {
  const { cells, sets, isHidden, codedRange } = input;
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
    let counts: Record<CountedQuantity, Linear>;
    if (coded) {
      // The complement is an unknown of its own, tied by a row, so its bounds narrow like the others'.
      const d = coded.denominator;
      const [nv, cv] = [unknown(coded.lo, coded.hi), unknown(d - coded.hi, d - coded.lo)];
      rows.push({
        terms: [
          [1, nv],
          [1, cv],
        ],
        lo: d,
        hi: d,
      });
      counts = { numerator: single(nv), denominator: { terms: [], constant: d }, complement: single(cv) };
    } else if (isHidden(o) || o.numerator === null || o.denominator === null) {
      const free = () => unknown(0, Number.POSITIVE_INFINITY);
      const [nv, dv, cv] = [free(), free(), free()];
      rows.push({
        terms: [
          [1, nv],
          [1, cv],
          [-1, dv],
        ],
        lo: 0,
        hi: 0,
      });
      counts = { numerator: single(nv), denominator: single(dv), complement: single(cv) };
    } else {
      counts = {
        numerator: { terms: [], constant: o.numerator },
        denominator: { terms: [], constant: o.denominator },
        complement: { terms: [], constant: o.denominator - o.numerator },
      };
    }
    known.set(o, counts);
    if (counts.numerator.terms.length > 0) hidden.push(o);
  }
  const expression = (o: Observation, q: CountedQuantity) => {
    const counts = known.get(o);
    // Every set is drawn from the same cells.
    if (!counts) throw new InternalError(`a linked set names ${observationKey(o)}, which is not among the cells`);
    return counts[q];
  };

  const families = sumFamilies(sets);
  for (const set of sets) {
    if (set.kind === "same") {
      const [first, ...rest] = set.members;
      if (!first) continue;
      for (const m of rest) {
        const unchecked = [m, first].some((x) => countOf(x.cell, x.count) === null);
        if (unchecked && assume === "none") continue;
        addRow(rows, minus(expression(m.cell, m.count), expression(first.cell, first.count)), "=");
      }
      continue;
    }
    for (const q of COUNTS) {
      const parts = set.parts.reduce<Linear>((sum, p) => plus(sum, expression(p, q)), { terms: [], constant: 0 });
      const gap = minus(expression(set.total, q), parts);
      const residual = residualOf(set, q);
      const sense =
        set.rest || (residual !== null && residual > 0)
          ? ">="
          : residual !== null && residual < 0
            ? "<="
            : residual === 0
              ? "="
              : assume === "none"
                ? null
                : (families.get(familyKey(set))?.[q] ?? "=");
      if (sense) addRow(rows, gap, sense);
    }
  }

  const targets: CountTarget[] = [];
  const targetTerms: Term[][] = [];
  for (const o of hidden)
    for (const q of COUNTS) {
      const e = expression(o, q);
      if (e.terms.length === 0) continue;
      targetTerms.push(e.terms);
      targets.push({ cell: o, count: q, constant: e.constant });
    }
  return { problem: { lower, upper, rows, targets: targetTerms }, targets, hidden, expression };
}

type SumSet = Extract<LinkedSet, { kind: "sum" }>;

/** The true total minus the true parts, or null where one of them is not known (withheld). */
function residualOf(set: SumSet, q: CountedQuantity): number | null {
  const total = countOf(set.total, q);
  if (total === null) return null;
  let parts = 0;
  for (const p of set.parts) {
    const v = countOf(p, q);
    if (v === null) return null;
    parts += v;
  }
  return total - parts;
}

/** Sums of one indicator's groups of one dimension (or of its districts), which a reader compares. */
function familyKey(set: SumSet): string {
  const part = set.parts[0] as Observation;
  return set.key.startsWith("dim|") ? `dim|${set.total.indicator}|${part.dimension}` : `geo|${set.total.indicator}`;
}

/**
 * For each family, the row a reader takes for its sums that cannot be checked: `=` where every sum
 * that can be checked adds up, `>=` (the parts at most the total) where some fall short and none go
 * over, `<=` where some go over and none fall short; none where both happen.
 */
function sumFamilies(sets: readonly LinkedSet[]): Map<string, Record<CountedQuantity, "=" | ">=" | "<=" | null>> {
  const seen = new Map<string, Record<CountedQuantity, Set<number>>>();
  for (const set of sets) {
    if (set.kind !== "sum") continue;
    const key = familyKey(set);
    const signs = seen.get(key) ?? { numerator: new Set(), denominator: new Set(), complement: new Set() };
    seen.set(key, signs);
    for (const q of COUNTS) {
      const r = residualOf(set, q);
      if (r !== null) signs[q].add(Math.sign(r));
    }
  }
  const out = new Map<string, Record<CountedQuantity, "=" | ">=" | "<=" | null>>();
  for (const [key, signs] of seen) {
    const row = (s: Set<number>) =>
      s.has(1) && s.has(-1) ? null : s.has(1) ? (">=" as const) : s.has(-1) ? ("<=" as const) : ("=" as const);
    out.set(key, {
      numerator: row(signs.numerator),
      denominator: row(signs.denominator),
      complement: row(signs.complement),
    });
  }
  return out;
}

function single(unknown: number): Linear {
  return { terms: [[1, unknown]], constant: 0 };
}

function plus(a: Linear, b: Linear): Linear {
  return { terms: [...a.terms, ...b.terms], constant: a.constant + b.constant };
}

export function minus(a: Linear, b: Linear): Linear {
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
