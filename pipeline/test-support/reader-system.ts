import type { Highs } from "highs";
import { InternalError, itemAt } from "../internal-error.ts";
import type { Interval } from "./audit-types.ts";

/** A number as LP text writes it: plain digits, never an exponent. */
function lpNumber(x: number): string {
  if (Number.isInteger(x)) return String(x);
  return x.toFixed(15).replace(/0+$/, "");
}

/** Integer unknowns with interval bounds, and linear equations among them, solved by propagation. */
export class System {
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
    return { lo: this.loOf(v), hi: this.hiOf(v) };
  }

  private loOf(v: number): number {
    return itemAt(this.lo, v, "unknown");
  }

  private hiOf(v: number): number {
    return itemAt(this.hi, v, "unknown");
  }

  private equationAt(e: number): { terms: [number, number][]; rhs: number } {
    return itemAt(this.equations, e, "equation");
  }

  /**
   * Narrows the unknowns asked for to their exact ends: the smallest and largest whole number each
   * takes over every solution of the equations, by a whole-number programme (HiGHS, from its LP
   * text) for each connected part, minimised and maximised per unknown. An unknown that takes
   * values at least `wide(v)` apart in two solutions found first keeps the bounds propagation gave
   * it (sound, if looser): its range is wide either way. Call after `solve`: its bounds are the
   * programme's column bounds. Returns the parts with no solution (a reader's assumptions
   * contradicted), by one of their unknowns.
   */
  solveExactly(highs: Highs, wanted: readonly number[], wide: (v: number) => number): number[] {
    const free = (v: number) => this.loOf(v) < this.hiOf(v);
    const parent = this.lo.map((_, i) => i);
    const parentOf = (i: number) => itemAt(parent, i, "unknown");
    const find = (i: number): number => {
      while (parentOf(i) !== i) {
        parent[i] = parentOf(parentOf(i));
        i = parentOf(i);
      }
      return i;
    };
    for (const { terms } of this.equations) {
      const [first, ...others] = terms.map(([, v]) => v).filter(free);
      if (first === undefined) continue;
      for (const v of others) parent[find(v)] = find(first);
    }
    const parts = new Map<number, { wanted: number[]; equations: number[] }>();
    const part = (v: number) => {
      const root = find(v);
      const known = parts.get(root) ?? { wanted: [], equations: [] };
      parts.set(root, known);
      return known;
    };
    for (const v of wanted) if (free(v)) part(v).wanted.push(v);
    this.equations.forEach(({ terms }, i) => {
      const first = terms.find(([, v]) => free(v));
      if (first && parts.has(find(first[1]))) part(first[1]).equations.push(i);
    });
    const contradicted: number[] = [];
    for (const { wanted: vars, equations } of parts.values()) {
      const used = new Set<number>();
      const rows = equations.map((i, k) => {
        const { terms, rhs } = this.equationAt(i);
        let constant = 0;
        const written: string[] = [];
        for (const [a, v] of terms) {
          if (!free(v)) constant += a * this.loOf(v);
          else {
            used.add(v);
            written.push(`${a < 0 ? "-" : "+"} ${lpNumber(Math.abs(a))} x${v}`);
          }
        }
        return ` r${k}: ${written.join(" ")} = ${lpNumber(rhs - constant)}`;
      });
      for (const v of vars) used.add(v);
      const columns = [...used].sort((a, b) => a - b);
      const bounds = columns.map((v) =>
        Number.isFinite(this.hiOf(v))
          ? ` ${lpNumber(this.loOf(v))} <= x${v} <= ${lpNumber(this.hiOf(v))}`
          : ` x${v} >= ${lpNumber(this.loOf(v))}`,
      );
      const body = `Subject To\n${rows.join("\n")}\nBounds\n${bounds.join("\n")}\nEnd\n`;
      // One model per part, read from its LP text; each optimisation changes only the objective.
      const model = highs.createModel({ format: "lp", data: `Minimize\n obj: 0 x${columns[0]}\n${body}` });
      try {
        model.options.set({ output_flag: false, mip_rel_gap: 0, mip_abs_gap: 0 });
        const index = new Map(columns.map((v) => [v, model.getColByName(`x${v}`)]));
        const column = (v: number) => {
          const c = index.get(v);
          if (c === undefined) throw new InternalError(`x${v} is not a column of its part's programme`);
          return c;
        };
        const cost = new Float64Array(columns.length);
        // The linear programme first; where its optimum is not at whole numbers, the whole-number one.
        const run = (weights: ReadonlyMap<number, number>, sense: "minimize" | "maximize") => {
          cost.fill(0);
          for (const [v, w] of weights) cost[column(v)] = w;
          model.changeColsCost({ kind: "range", from: 0, to: columns.length - 1 }, cost);
          model.changeObjectiveSense(highs.constants.objectiveSense[sense]);
          model.run();
          const answer = () => ({
            status: model.getModelStatus(),
            objective: model.getObjectiveValue(),
            x: model.getSolution().colValue,
          });
          const linear = answer();
          if (linear.status !== highs.constants.modelStatus.optimal) return linear;
          if (linear.x.every((x) => Math.abs(x - Math.round(x)) < 1e-7)) return linear;
          model.changeColsIntegrality(
            { kind: "range", from: 0, to: columns.length - 1 },
            new Int32Array(columns.length).fill(highs.constants.variableType.integer),
          );
          try {
            model.run();
            return answer();
          } finally {
            model.clearIntegrality();
          }
        };
        const optimum = (v: number, sense: "minimize" | "maximize") => {
          const { status, objective } = run(new Map([[v, 1]]), sense);
          if (status === highs.constants.modelStatus.optimal) return Math.round(objective);
          if (status === highs.constants.modelStatus.infeasible) return null;
          return sense === "minimize" ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
        };
        // Two solutions far apart (everything as small, then as large, as it can be): where an
        // unknown already takes values `wide` apart in them, its range is wide and needs no more.
        const seen = new Map<number, Interval>();
        const bounded = columns.filter((v) => Number.isFinite(this.hiOf(v)));
        let infeasible = false;
        for (const [weights, sense] of [
          [new Map(columns.map((v) => [v, 1])), "minimize"],
          [new Map(bounded.map((v) => [v, 1])), "maximize"],
        ] as const) {
          if (weights.size === 0) continue;
          const { status, x } = run(weights, sense);
          if (status === highs.constants.modelStatus.infeasible) {
            infeasible = true;
            break;
          }
          if (status !== highs.constants.modelStatus.optimal) continue;
          for (const v of columns) {
            const value = Math.round(itemAt(x, column(v), "solution value"));
            const known = seen.get(v);
            seen.set(
              v,
              known ? { lo: Math.min(known.lo, value), hi: Math.max(known.hi, value) } : { lo: value, hi: value },
            );
          }
        }
        if (infeasible) {
          contradicted.push(itemAt(vars, 0, "wanted unknown of the part"));
          continue;
        }
        for (const v of vars) {
          const known = seen.get(v);
          if (known && known.hi - known.lo + 1 >= wide(v) && Number.isFinite(this.hiOf(v))) continue;
          const lo = optimum(v, "minimize");
          const hi = optimum(v, "maximize");
          if (lo === null || hi === null) {
            contradicted.push(v);
            break;
          }
          this.lo[v] = Math.max(this.loOf(v), lo);
          this.hi[v] = Math.min(this.hiOf(v), hi);
        }
      } finally {
        model.dispose();
      }
    }
    return contradicted;
  }

  /** Narrows every bound to a fixpoint; returns the equations found to be contradicted. */
  solve(limit = 2_000_000): string[] {
    const conflicts: string[] = [];
    const broken = new Set<number>();
    const queued = new Set(this.equations.keys());
    const queue = [...queued];
    let steps = 0;
    for (let e = queue.shift(); e !== undefined; e = queue.shift()) {
      if (++steps > limit) {
        conflicts.push("the bounds did not settle");
        break;
      }
      queued.delete(e);
      if (broken.has(e)) continue;
      for (const v of this.narrow(e)) {
        if (this.loOf(v) > this.hiOf(v)) {
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
    const { terms, rhs } = this.equationAt(index);
    const range = terms.map(([a, v]): [number, number] => {
      const [lo, hi] = [this.loOf(v), this.hiOf(v)];
      return a >= 0 ? [a * lo, a * hi] : [a * hi, a * lo];
    });
    const sum = (pick: 0 | 1, skip: number) => {
      let s = 0;
      for (const [j, r] of range.entries()) if (j !== skip) s += r[pick];
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
      if (newLo > this.loOf(v)) {
        this.lo[v] = newLo;
        moved = true;
      }
      if (newHi < this.hiOf(v)) {
        this.hi[v] = newHi;
        moved = true;
      }
      if (moved) {
        changed.push(v);
        range[i] = a >= 0 ? [a * this.loOf(v), a * this.hiOf(v)] : [a * this.hiOf(v), a * this.loOf(v)];
      }
    });
    return changed;
  }
}
