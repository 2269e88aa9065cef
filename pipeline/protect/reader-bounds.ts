import type { CountedQuantity, PrivacyPolicy } from "../../schemas/index.ts";
import type { Observation } from "../observation.ts";
import type { LinkedSet } from "./linked-sets.ts";

/** The smallest and largest value a reader can give one count of a hidden cell. */
export interface Bounds {
  lo: number;
  hi: number;
}

export type CellBounds = Record<CountedQuantity, Bounds>;

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
  codedRange: (o: Observation) => Bounds | null = () => null,
): Map<Observation, CellBounds> {
  const lo: number[] = [];
  const hi: number[] = [];
  const index = new Map<Observation, [number, number, number]>();
  const unknown = (from: number | null, to: number | null = from) => {
    lo.push(from ?? 0);
    hi.push(to ?? Number.POSITIVE_INFINITY);
    return lo.length - 1;
  };
  for (const o of cells) {
    const shown = !isHidden(o) && o.numerator !== null && o.denominator !== null;
    const range = codedRange(o);
    const d = o.denominator as number;
    index.set(
      o,
      range
        ? [unknown(range.lo, range.hi), unknown(d), unknown(d - range.hi, d - range.lo)]
        : [
            unknown(shown ? o.numerator : null),
            unknown(shown ? o.denominator : null),
            unknown(shown ? d - (o.numerator as number) : null),
          ],
    );
  }
  const equations: [number, number][][] = [];
  for (const vars of index.values())
    equations.push([
      [1, vars[1]],
      [-1, vars[0]],
      [-1, vars[2]],
    ]);
  for (const set of sets) {
    if (set.kind === "same") {
      const slot = { numerator: 0, denominator: 1, complement: 2 } as const;
      const [first, ...rest] = set.members.map((m) => index.get(m.cell)?.[slot[m.count]] ?? -1);
      for (const d of rest)
        equations.push([
          [1, first as number],
          [-1, d],
        ]);
      continue;
    }
    const members = [set.total, ...set.parts];
    if (!members.some(isHidden)) continue;
    // A partial dimension's unreported rest: three more unknowns, with rest complement = d − n.
    const rest = set.rest ? [unknown(null), unknown(null), unknown(null)] : null;
    if (rest)
      equations.push([
        [1, rest[1] as number],
        [-1, rest[0] as number],
        [-1, rest[2] as number],
      ]);
    for (const q of [0, 1, 2])
      equations.push([
        [-1, index.get(set.total)?.[q] ?? -1],
        ...set.parts.map((p): [number, number] => [1, index.get(p)?.[q] ?? -1]),
        ...(rest ? [[1, rest[q] as number] as [number, number]] : []),
      ]);
  }
  propagate(
    lo,
    hi,
    equations.filter((e) => e.every(([, v]) => v >= 0)),
  );
  const out = new Map<Observation, CellBounds>();
  const at = (v: number): Bounds => ({ lo: lo[v] as number, hi: hi[v] as number });
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

/** Σ coefficient × unknown = 0 for every equation, narrowed to a fixpoint (or until contradicted). */
function propagate(lo: number[], hi: number[], equations: [number, number][][]): void {
  const uses: number[][] = lo.map(() => []);
  equations.forEach((e, i) => {
    for (const [, v] of e) uses[v]?.push(i);
  });
  const queued = new Set(equations.keys());
  const queue = [...queued];
  for (let steps = 0; queue.length > 0 && steps < 1_000_000; steps++) {
    const i = queue.shift() as number;
    queued.delete(i);
    const e = equations[i] as [number, number][];
    for (const [a, v] of e) {
      let restMin = 0;
      let restMax = 0;
      for (const [b, w] of e) {
        if (w === v) continue;
        restMin += b > 0 ? b * (lo[w] as number) : b * (hi[w] as number);
        restMax += b > 0 ? b * (hi[w] as number) : b * (lo[w] as number);
      }
      // a·v = −rest
      const [p, q] = [-restMax / a, -restMin / a];
      const newLo = Math.ceil(Math.min(p, q));
      const newHi = Math.floor(Math.max(p, q));
      let moved = false;
      if (newLo > (lo[v] as number)) {
        lo[v] = newLo;
        moved = true;
      }
      if (newHi < (hi[v] as number)) {
        hi[v] = newHi;
        moved = true;
      }
      if (moved && (lo[v] as number) <= (hi[v] as number))
        for (const j of uses[v] ?? [])
          if (!queued.has(j)) {
            queued.add(j);
            queue.push(j);
          }
    }
  }
}
