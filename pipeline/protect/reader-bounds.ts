import type { CountedQuantity, PrivacyPolicy } from "../../schemas/index.ts";
import type { Observation } from "../observation.ts";
import type { LinkedSet } from "./linked-sets.ts";
import type { CodedRange } from "./privacy-policy.ts";

/** The smallest and largest value a reader can give one count of a hidden cell. */
export interface Bounds {
  lo: number;
  hi: number;
}

export type CellBounds = Record<CountedQuantity, Bounds>;

/** One count a reader does not see: the interval it is narrowed to, and the equations it is in. */
interface Unknown {
  lo: number;
  hi: number;
  uses: Equation[];
}

/** A cell's numerator, denominator and complement. */
type Counts = readonly [numerator: Unknown, denominator: Unknown, complement: Unknown];

/** Σ coefficient × unknown = 0. */
type Equation = readonly (readonly [coefficient: number, unknown: Unknown])[];

/**
 * What a reader can work out about every hidden cell from the published ones: each cell's
 * numerator, denominator and complement are nonnegative integers with complement = denominator −
 * numerator, each sum set adds up, and the counts of each `same` set are equal. A coded cell
 * ("<5%") publishes its denominator, and its numerator lies in the range `codedRange` gives.
 * Interval bounds are propagated through these relations until nothing changes.
 */
export function readerBounds(
  cells: readonly Observation[],
  sets: readonly LinkedSet[],
  isHidden: (o: Observation) => boolean,
  codedRange: (o: Observation) => CodedRange | null = () => null,
): Map<Observation, CellBounds> {
  const unknown = (from: number | null, to: number | null = from): Unknown => ({
    lo: from ?? 0,
    hi: to ?? Number.POSITIVE_INFINITY,
    uses: [],
  });
  const index = new Map<Observation, Counts>();
  for (const o of cells) {
    const range = codedRange(o);
    if (range) {
      const d = range.denominator;
      index.set(o, [unknown(range.lo, range.hi), unknown(d), unknown(d - range.hi, d - range.lo)]);
    } else if (!isHidden(o) && o.numerator !== null && o.denominator !== null) {
      index.set(o, [unknown(o.numerator), unknown(o.denominator), unknown(o.denominator - o.numerator)]);
    } else {
      index.set(o, [unknown(null), unknown(null), unknown(null)]);
    }
  }
  // A term on a cell outside `cells` is null, and its equation is left out.
  const equations: (readonly (readonly [number, Unknown | null])[])[] = [];
  const addsUp = ([n, d, c]: Counts) =>
    equations.push([
      [1, d],
      [-1, n],
      [-1, c],
    ]);
  for (const counts of index.values()) addsUp(counts);
  for (const set of sets) {
    if (set.kind === "same") {
      const slot = { numerator: 0, denominator: 1, complement: 2 } as const;
      const [first, ...rest] = set.members.map((m) => index.get(m.cell)?.[slot[m.count]] ?? null);
      if (first === undefined) continue;
      for (const d of rest)
        equations.push([
          [1, first],
          [-1, d],
        ]);
      continue;
    }
    const members = [set.total, ...set.parts];
    if (!members.some(isHidden)) continue;
    // A partial dimension's unreported rest: three more unknowns, with rest complement = d − n.
    const rest: Counts | null = set.rest ? [unknown(null), unknown(null), unknown(null)] : null;
    if (rest) addsUp(rest);
    for (const q of [0, 1, 2] as const)
      equations.push([
        [-1, index.get(set.total)?.[q] ?? null],
        ...set.parts.map((p): [number, Unknown | null] => [1, index.get(p)?.[q] ?? null]),
        ...(rest ? [[1, rest[q]] as const] : []),
      ]);
  }
  propagate(equations.filter((e): e is Equation => e.every(([, v]) => v !== null)));
  const out = new Map<Observation, CellBounds>();
  const at = ({ lo, hi }: Unknown): Bounds => ({ lo, hi });
  for (const [o, [n, d, c]] of index)
    if (isHidden(o)) out.set(o, { numerator: at(n), denominator: at(d), complement: at(c) });
  return out;
}

/** Whether a reader can pin a hidden cell, or confine a count that may be small to fewer than the minimum's values. */
export function isExposed(bounds: CellBounds, policy: PrivacyPolicy): boolean {
  const exact = (b: Bounds) => b.lo === b.hi;
  if (exact(bounds.numerator) && exact(bounds.denominator)) return true;
  return policy.counted.some((q) => {
    const { lo, hi } = bounds[q];
    return lo < policy.minimumCount && hi - lo + 1 < policy.minimumCount;
  });
}

/** Every equation held, its unknowns' intervals narrowed to a fixpoint (or until contradicted). */
function propagate(equations: readonly Equation[]): void {
  for (const e of equations) for (const [, v] of e) v.uses.push(e);
  const queued = new Set(equations);
  const queue = [...queued];
  for (let steps = 0; steps < 1_000_000; steps++) {
    const e = queue.shift();
    if (e === undefined) break;
    queued.delete(e);
    for (const [a, v] of e) {
      let restMin = 0;
      let restMax = 0;
      for (const [b, w] of e) {
        if (w === v) continue;
        restMin += b > 0 ? b * w.lo : b * w.hi;
        restMax += b > 0 ? b * w.hi : b * w.lo;
      }
      // a·v = −rest
      const [p, q] = [-restMax / a, -restMin / a];
      const newLo = Math.ceil(Math.min(p, q));
      const newHi = Math.floor(Math.max(p, q));
      let moved = false;
      if (newLo > v.lo) {
        v.lo = newLo;
        moved = true;
      }
      if (newHi < v.hi) {
        v.hi = newHi;
        moved = true;
      }
      if (moved && v.lo <= v.hi)
        for (const other of v.uses)
          if (!queued.has(other)) {
            queued.add(other);
            queue.push(other);
          }
    }
  }
}
