import type { Highs } from "highs";

/** `coefficient × unknown`, one term of a linear expression. */
export type Term = readonly [coefficient: number, unknown: number];

/** A linear constraint: `lo ≤ Σ terms ≤ hi` (an equation where `lo = hi`). */
export interface Row {
  terms: readonly Term[];
  lo: number;
  hi: number;
}

/**
 * Whole-number unknowns, each between its own bounds, tied by linear rows; and the expressions whose
 * smallest and largest whole-number values are wanted.
 */
export interface RangeProblem {
  lower: readonly number[];
  /** `Infinity` where an unknown has no upper bound. */
  upper: readonly number[];
  rows: readonly Row[];
  targets: readonly (readonly Term[])[];
}

/** The smallest and largest value of an expression over every whole-number solution. */
export interface Range {
  lo: number;
  hi: number;
}

export interface TargetRange extends Range {
  /**
   * Whether `lo` and `hi` are the solver's proven optimum. When false, they are two values the
   * expression takes in solutions found on the way, so the true range holds at least as much.
   */
  exact: boolean;
}

export interface RangeAnswer {
  ranges: TargetRange[];
  /** Connected parts of the problem, each solved on its own; parts with no solution, by one of their targets. */
  parts: number;
  infeasible: number[];
  /** Optimisations run (linear programmes, and the whole-number programmes some needed). */
  solves: number;
  integerSolves: number;
}

export interface RangeSolver {
  /**
   * The range of every target. `needsExact(target, seen)` is asked, for each target, with the values
   * already seen in solutions: where it answers false, `seen` is returned as it is (not exact),
   * which saves the optimisations a wide range does not need.
   */
  ranges(problem: RangeProblem, needsExact?: (target: number, seen: Range) => boolean): RangeAnswer;
}

const INTEGRAL = 1e-7;

/**
 * HiGHS, the MIT-licensed solver of the University of Edinburgh compiled to WebAssembly, as a range
 * solver. Each connected part of a problem is one persistent model; each target's minimum and
 * maximum is a linear programme solved from the last one's basis. Where a linear optimum is not at
 * a whole-number point, the whole-number programme is solved exactly (no gap allowed), so a range
 * is never wider than a reader who rounds and branches could narrow it to.
 */
export async function loadRangeSolver(): Promise<RangeSolver> {
  // The package's one declaration file describes its CommonJS form; as an ES module its loader is the default export.
  const { default: loadHighs } = (await import("highs")) as unknown as { default: () => Promise<Highs> };
  const highs = await loadHighs();
  return { ranges: (problem, needsExact) => solveRanges(highs, problem, needsExact) };
}

function solveRanges(
  highs: Highs,
  problem: RangeProblem,
  needsExact: (target: number, seen: Range) => boolean = () => true,
): RangeAnswer {
  const parts = connectedParts(problem);
  const ranges: TargetRange[] = problem.targets.map(() => ({ lo: 0, hi: 0, exact: true }));
  const answer: RangeAnswer = { ranges, parts: parts.length, infeasible: [], solves: 0, integerSolves: 0 };
  for (const part of parts) {
    if (part.targets.length === 0) continue;
    solvePart(highs, problem, part, needsExact, answer);
  }
  return answer;
}

interface Part {
  unknowns: number[];
  rows: number[];
  targets: number[];
}

/** Unknowns joined by rows or by a target into parts that share nothing. */
function connectedParts(problem: RangeProblem): Part[] {
  const parent = problem.lower.map((_, i) => i);
  const find = (i: number): number => {
    let r = i;
    while (parent[r] !== r) r = parent[r] as number;
    while (parent[i] !== r) {
      const next = parent[i] as number;
      parent[i] = r;
      i = next;
    }
    return r;
  };
  const join = (terms: readonly Term[]) => {
    const first = terms[0];
    if (!first) return;
    for (const [, v] of terms) parent[find(v)] = find(first[1]);
  };
  for (const row of problem.rows) join(row.terms);
  for (const target of problem.targets) join(target);
  const byRoot = new Map<number, Part>();
  const partOf = (v: number) => {
    const root = find(v);
    let part = byRoot.get(root);
    if (!part) {
      part = { unknowns: [], rows: [], targets: [] };
      byRoot.set(root, part);
    }
    return part;
  };
  problem.lower.forEach((_, v) => {
    partOf(v).unknowns.push(v);
  });
  problem.rows.forEach((row, i) => {
    const first = row.terms[0];
    if (first) partOf(first[1]).rows.push(i);
  });
  problem.targets.forEach((target, i) => {
    const first = target[0];
    if (first) partOf(first[1]).targets.push(i);
  });
  return [...byRoot.values()];
}

function solvePart(
  highs: Highs,
  problem: RangeProblem,
  part: Part,
  needsExact: (target: number, seen: Range) => boolean,
  answer: RangeAnswer,
): void {
  const local = new Map(part.unknowns.map((v, i) => [v, i]));
  const at = (v: number) => local.get(v) as number;
  const starts = [0];
  const indices: number[] = [];
  const values: number[] = [];
  for (const r of part.rows) {
    // A row may name an unknown twice; HiGHS wants one coefficient each.
    const merged = new Map<number, number>();
    for (const [a, v] of (problem.rows[r] as Row).terms) merged.set(at(v), (merged.get(at(v)) ?? 0) + a);
    for (const [v, a] of [...merged].sort(([x], [y]) => x - y))
      if (a !== 0) {
        indices.push(v);
        values.push(a);
      }
    starts.push(indices.length);
  }
  const n = part.unknowns.length;
  const model = highs.createModel();
  try {
    model.options.set({ output_flag: false, mip_rel_gap: 0, mip_abs_gap: 0 });
    model.passModel({
      numCols: n,
      numRows: part.rows.length,
      colCost: new Float64Array(n),
      colLower: part.unknowns.map((v) => problem.lower[v] as number),
      colUpper: part.unknowns.map((v) => finite(highs, problem.upper[v] as number)),
      rowLower: part.rows.map((r) => finite(highs, (problem.rows[r] as Row).lo)),
      rowUpper: part.rows.map((r) => finite(highs, (problem.rows[r] as Row).hi)),
      matrix: { format: "csr", numRows: part.rows.length, numCols: n, starts, indices, values },
    });
    const targets = part.targets.map((t) => (problem.targets[t] as Term[]).map(([a, v]): Term => [a, at(v)]));
    // Every solution seen: what each target takes in it.
    const seen = targets.map(() => ({ lo: Number.POSITIVE_INFINITY, hi: Number.NEGATIVE_INFINITY }));
    const witness = (x: ArrayLike<number>) => {
      targets.forEach((terms, i) => {
        let value = 0;
        for (const [a, v] of terms) value += a * Math.round(x[v] as number);
        const s = seen[i] as Range;
        if (value < s.lo) s.lo = value;
        if (value > s.hi) s.hi = value;
      });
    };
    const cost = new Float64Array(n);
    const optimum = (terms: readonly Term[], sign: 1 | -1): number | "infeasible" => {
      cost.fill(0);
      for (const [a, v] of terms) cost[v] = (cost[v] ?? 0) + sign * a;
      model.changeColsCost({ kind: "range", from: 0, to: n - 1 }, cost);
      model.run();
      answer.solves++;
      let status = model.getModelStatus();
      if (status === highs.constants.modelStatus.infeasible) return "infeasible";
      // The part has a solution (the first optimisation found one), so no optimum means no bound.
      if (
        status === highs.constants.modelStatus.unbounded ||
        status === highs.constants.modelStatus.unboundedOrInfeasible
      )
        return sign === 1 ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
      if (status !== highs.constants.modelStatus.optimal)
        throw new Error(`the solver stopped without an answer (status ${status})`);
      let x = model.getSolution().colValue;
      if (!isIntegral(x)) {
        model.changeColsIntegrality(
          { kind: "range", from: 0, to: n - 1 },
          new Int32Array(n).fill(highs.constants.variableType.integer),
        );
        try {
          model.run();
          answer.integerSolves++;
          status = model.getModelStatus();
          if (status === highs.constants.modelStatus.infeasible) return "infeasible";
          if (status !== highs.constants.modelStatus.optimal)
            throw new Error(`the whole-number solver stopped without an answer (status ${status})`);
          x = model.getSolution().colValue;
        } finally {
          model.clearIntegrality();
        }
      }
      witness(x);
      let value = 0;
      for (const [a, v] of terms) value += a * Math.round(x[v] as number);
      return value;
    };
    // One solution to start from: every target's value in it is a first witness.
    const start = optimum([], 1);
    if (start === "infeasible") {
      answer.infeasible.push(part.targets[0] as number);
      for (const t of part.targets) answer.ranges[t] = { lo: Number.NaN, hi: Number.NaN, exact: false };
      return;
    }
    targets.forEach((terms, i) => {
      const t = part.targets[i] as number;
      const s = seen[i] as Range;
      if (!needsExact(t, { ...s })) {
        answer.ranges[t] = { ...s, exact: false };
        return;
      }
      const lo = optimum(terms, 1);
      const hi = optimum(terms, -1);
      answer.ranges[t] =
        lo === "infeasible" || hi === "infeasible"
          ? { lo: Number.NaN, hi: Number.NaN, exact: false }
          : { lo, hi, exact: true };
    });
  } finally {
    model.dispose();
  }
}

function isIntegral(x: ArrayLike<number>): boolean {
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    if (Math.abs(v - Math.round(v)) > INTEGRAL) return false;
  }
  return true;
}

function finite(highs: Highs, x: number): number {
  return x === Number.POSITIVE_INFINITY ? highs.infinity : x === Number.NEGATIVE_INFINITY ? -highs.infinity : x;
}
