import type { Highs } from "highs";
import { InternalError, itemAt } from "../internal-error.ts";

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
  given: RangeProblem,
  needsExact: (target: number, seen: Range) => boolean = () => true,
): RangeAnswer {
  // Bounds every row implies, narrowed to a fixpoint: valid for every solution, they tighten the
  // programmes and prove a range's end wherever a solution reaches it.
  const lower = [...given.lower];
  const upper = [...given.upper];
  propagateBounds(lower, upper, given.rows);
  const problem = { ...given, lower, upper };
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
  rows: Row[];
  /** Indexes into the problem's targets. */
  targets: number[];
}

/** Unknowns joined by rows or by a target into parts that share nothing. */
function connectedParts(problem: RangeProblem): Part[] {
  const parent = problem.lower.map((_, i) => i);
  const parentOf = (i: number) => itemAt(parent, i, "unknown");
  const find = (i: number): number => {
    let r = i;
    while (parentOf(r) !== r) r = parentOf(r);
    while (parentOf(i) !== r) {
      const next = parentOf(i);
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
  for (const row of problem.rows) {
    const first = row.terms[0];
    if (first) partOf(first[1]).rows.push(row);
  }
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
  const at = (v: number) => {
    const i = local.get(v);
    if (i === undefined) throw new InternalError(`unknown ${v} is not in the part its rows joined it to`);
    return i;
  };
  const lowerOf = (v: number) => itemAt(problem.lower, v, "unknown");
  const upperOf = (v: number) => itemAt(problem.upper, v, "unknown");
  const starts = [0];
  const indices: number[] = [];
  const values: number[] = [];
  for (const row of part.rows) {
    // A row may name an unknown twice; HiGHS wants one coefficient each.
    const merged = new Map<number, number>();
    for (const [a, v] of row.terms) merged.set(at(v), (merged.get(at(v)) ?? 0) + a);
    for (const [v, a] of [...merged].sort(([x], [y]) => x - y))
      if (a !== 0) {
        indices.push(v);
        values.push(a);
      }
    starts.push(indices.length);
  }
  const n = part.unknowns.length;
  // Unknowns with no upper bound get a cap far above any count the rows allow: the programmes stay
  // bounded, and a value that reaches half the cap is taken as no bound at all.
  let scale = 1;
  for (const row of part.rows)
    scale += Math.abs(Number.isFinite(row.lo) ? row.lo : 0) + Math.abs(Number.isFinite(row.hi) ? row.hi : 0);
  for (const v of part.unknowns) if (Number.isFinite(upperOf(v))) scale += upperOf(v);
  const cap = 10 * scale + 1e6;
  const unbounded = (x: number) => x >= cap / 2;
  const model = highs.createModel();
  try {
    // Each optimisation starts from the last one's basis: presolving again would throw that start away.
    model.options.set({ output_flag: false, mip_rel_gap: 0, mip_abs_gap: 0, presolve: "off" });
    model.passModel({
      numCols: n,
      numRows: part.rows.length,
      colCost: new Float64Array(n),
      colLower: part.unknowns.map(lowerOf),
      colUpper: part.unknowns.map((v) => Math.min(upperOf(v), cap)),
      rowLower: part.rows.map((row) => finite(highs, row.lo)),
      rowUpper: part.rows.map((row) => finite(highs, row.hi)),
      matrix: { format: "csr", numRows: part.rows.length, numCols: n, starts, indices, values },
    });
    // Each target over the part's own unknowns, with every value it takes in the solutions seen.
    const targets = part.targets.map((t) => ({
      index: t,
      terms: itemAt(problem.targets, t, "target").map(([a, v]): Term => [a, at(v)]),
      seen: { lo: Number.POSITIVE_INFINITY, hi: Number.NEGATIVE_INFINITY },
    }));
    const valueIn = (terms: readonly Term[], x: ArrayLike<number>) => {
      let value = 0;
      for (const [a, v] of terms) {
        const xv = Math.round(itemAt(x, v, "solution value"));
        if (unbounded(xv)) return a > 0 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
        value += a * xv;
      }
      return value;
    };
    const witness = (x: ArrayLike<number>) => {
      for (const { terms, seen } of targets) {
        const value = valueIn(terms, x);
        if (value < seen.lo) seen.lo = value;
        if (value > seen.hi) seen.hi = value;
      }
    };
    const cost = new Float64Array(n);
    /**
     * The optimum of `Σ weight × unknown` (minimised), from the last basis. `exact`: where the linear
     * optimum is fractional, the whole-number programme is solved; otherwise that solution is only
     * not used as a witness. Null when the part has no solution.
     */
    const optimise = (weights: Float64Array, exact: boolean): ArrayLike<number> | "infeasible" | "fractional" => {
      model.changeColsCost({ kind: "range", from: 0, to: n - 1 }, weights);
      model.run();
      answer.solves++;
      let status = model.getModelStatus();
      if (status === highs.constants.modelStatus.infeasible) return "infeasible";
      if (status !== highs.constants.modelStatus.optimal)
        throw new Error(`the solver stopped without an answer (status ${status})`);
      let x = model.getSolution().colValue;
      if (!isIntegral(x)) {
        if (!exact) return "fractional";
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
      return x;
    };
    const optimum = (terms: readonly Term[], sign: 1 | -1): number | "infeasible" => {
      cost.fill(0);
      for (const [a, v] of terms) cost[v] = (cost[v] ?? 0) + sign * a;
      const x = optimise(cost, true);
      if (x === "infeasible" || x === "fractional") return "infeasible";
      return valueIn(terms, x);
    };
    // First solutions far apart, which settle most targets at once: one to start from, then every
    // target as small, then as large, as it can be together, then two mixtures.
    if (optimise(new Float64Array(n), true) === "infeasible") {
      answer.infeasible.push(itemAt(part.targets, 0, "target of the part"));
      for (const t of part.targets) answer.ranges[t] = { lo: Number.NaN, hi: Number.NaN, exact: false };
      return;
    }
    const together = new Float64Array(n);
    for (const { terms } of targets) for (const [a, v] of terms) together[v] = (together[v] ?? 0) + a;
    const mixed = (seed: number) => {
      const weights = new Float64Array(n);
      let state = seed;
      for (let v = 0; v < n; v++) {
        state = (state * 1103515245 + 12345) % 2147483648;
        weights[v] = state % 2 === 0 ? 1 : -1;
      }
      return weights;
    };
    for (const weights of [together, together.map((w) => -w), mixed(1), mixed(2)]) optimise(weights, false);
    for (const { index: t, terms, seen: s } of targets) {
      // A single unknown's range ends where a solution reaches the bound the rows imply.
      const [only] = terms;
      const v =
        terms.length === 1 && only && only[0] === 1 ? itemAt(part.unknowns, only[1], "unknown of the part") : null;
      const bound = v === null ? null : { lo: lowerOf(v), hi: upperOf(v) };
      const loKnown = bound !== null && s.lo === bound.lo;
      const hiKnown = (bound !== null && s.hi === bound.hi) || s.hi === Number.POSITIVE_INFINITY;
      if (loKnown && hiKnown) {
        answer.ranges[t] = { ...s, exact: true };
        continue;
      }
      if (!needsExact(t, { ...s })) {
        answer.ranges[t] = { ...s, exact: false };
        continue;
      }
      const lo = loKnown ? s.lo : optimum(terms, 1);
      const hi = hiKnown ? s.hi : optimum(terms, -1);
      answer.ranges[t] =
        lo === "infeasible" || hi === "infeasible"
          ? { lo: Number.NaN, hi: Number.NaN, exact: false }
          : { lo, hi, exact: true };
    }
  } finally {
    model.dispose();
  }
}

/**
 * Narrows each unknown's bounds by what every row implies of it given the others' (rounded inwards:
 * the unknowns are whole numbers), until nothing changes or the rounds run out. Sound: no solution
 * is cut off. A contradiction (a lower bound above an upper one) is left for the solver to report.
 */
export function propagateBounds(lower: number[], upper: number[], rows: readonly Row[]): void {
  const uses: number[][] = lower.map(() => []);
  rows.forEach((row, r) => {
    for (const [, v] of row.terms) uses[v]?.push(r);
  });
  const queued = new Set(rows.keys());
  const queue = [...queued];
  for (let steps = 0; steps < 20 * rows.length + 1000; steps++) {
    const r = queue.shift();
    if (r === undefined) break;
    queued.delete(r);
    const { terms, lo, hi } = itemAt(rows, r, "row");
    // The row's least and greatest activity, and how many of its terms are unbounded each way.
    let least = 0;
    let greatest = 0;
    let leastInfinite = 0;
    let greatestInfinite = 0;
    for (const [a, v] of terms) {
      const [l, u] = [itemAt(lower, v, "unknown"), itemAt(upper, v, "unknown")];
      const [min, max] = a > 0 ? [a * l, a * u] : [a * u, a * l];
      if (Number.isFinite(min)) least += min;
      else leastInfinite++;
      if (Number.isFinite(max)) greatest += max;
      else greatestInfinite++;
    }
    for (const [a, v] of terms) {
      const [l, u] = [itemAt(lower, v, "unknown"), itemAt(upper, v, "unknown")];
      const [min, max] = a > 0 ? [a * l, a * u] : [a * u, a * l];
      // What the other terms can add up to.
      const othersLeast = Number.isFinite(min)
        ? leastInfinite === 0
          ? least - min
          : null
        : leastInfinite === 1
          ? least
          : null;
      const othersGreatest = Number.isFinite(max)
        ? greatestInfinite === 0
          ? greatest - max
          : null
        : greatestInfinite === 1
          ? greatest
          : null;
      // lo − others' greatest ≤ a·x ≤ hi − others' least
      const top = Number.isFinite(hi) && othersLeast !== null ? hi - othersLeast : Number.POSITIVE_INFINITY;
      const bottom = Number.isFinite(lo) && othersGreatest !== null ? lo - othersGreatest : Number.NEGATIVE_INFINITY;
      const [newLo, newHi] = a > 0 ? [bottom / a, top / a] : [top / a, bottom / a];
      let moved = false;
      if (Number.isFinite(newLo) && Math.ceil(newLo - 1e-9) > l) {
        lower[v] = Math.ceil(newLo - 1e-9);
        moved = true;
      }
      if (Number.isFinite(newHi) && Math.floor(newHi + 1e-9) < u) {
        upper[v] = Math.floor(newHi + 1e-9);
        moved = true;
      }
      if (!moved) continue;
      if (itemAt(lower, v, "unknown") > itemAt(upper, v, "unknown")) return;
      for (const other of uses[v] ?? [])
        if (other !== r && !queued.has(other)) {
          queued.add(other);
          queue.push(other);
        }
    }
  }
}

function isIntegral(x: ArrayLike<number>): boolean {
  for (let i = 0; i < x.length; i++) {
    const v = itemAt(x, i, "solution value");
    if (Math.abs(v - Math.round(v)) > INTEGRAL) return false;
  }
  return true;
}

function finite(highs: Highs, x: number): number {
  return x === Number.POSITIVE_INFINITY ? highs.infinity : x === Number.NEGATIVE_INFINITY ? -highs.infinity : x;
}
