import type { CountedQuantity, PrivacyPolicy } from "../../schemas/index.ts";
import type { Observation } from "../observation.ts";
import type { Range, RangeSolver, TargetRange } from "./integer-ranges.ts";
import { COUNTS, type CountTarget, type ReaderModelInput, readerModel } from "./reader-model.ts";

/** The range a reader can give each count of one hidden cell; `exact` where the solver proved it. */
export type ExactBounds = Record<CountedQuantity, Range & { exact: boolean }>;

export interface ExactAuditResult {
  bounds: Map<Observation, ExactBounds>;
  /** Hidden cells a reader can pin, or narrow a count that may be small to fewer than the minimum's values. */
  exposed: Observation[];
  /** Hidden cells the figures contradict even with no sum taken as exact that c2c could not check. */
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

export type ExactAuditInput = ReaderModelInput;

/**
 * The exact audit: every hidden cell's counts as a reader who combines everything published can
 * bound them (the programme `readerModel` writes). For each count, the solver gives its smallest and
 * largest value over every whole-number solution. Where a part of the programme has no solution (the
 * figures contradict a sum taken as exact that c2c could not check), that part is solved again
 * without such sums, as a reader who found the contradiction would. `wide` says how many values make
 * a range wide enough not to need its exact ends: protection needs them under the minimum, the
 * summary's narrowest range a little beyond.
 */
export function auditExactly(
  solver: RangeSolver,
  input: ExactAuditInput,
  wide: (policy: PrivacyPolicy) => number = (p) => p.minimumCount,
): ExactAuditResult {
  const { policyOf } = input;
  const bounds = new Map<Observation, ExactBounds>();
  const stats = { parts: 0, solves: 0, integerSolves: 0 };
  let hidden: Observation[] = [];
  let counts = 0;
  let pending: Set<Observation> | null = null;
  for (const assume of ["family", "none"] as const) {
    const model = readerModel(input, assume);
    if (assume === "family") {
      hidden = model.hidden;
      counts = model.targets.length;
    }
    const answer = solver.ranges(model.problem, (t, seen) => {
      const { cell } = model.targets[t] as CountTarget;
      if (pending !== null && !pending.has(cell)) return false;
      return seen.hi - seen.lo + 1 < wide(policyOf(cell));
    });
    stats.parts += answer.parts;
    stats.solves += answer.solves;
    stats.integerSolves += answer.integerSolves;
    const contradicted = new Set<Observation>();
    model.targets.forEach(({ cell, count, constant }, t) => {
      if (pending !== null && !pending.has(cell)) return;
      const r = answer.ranges[t] as TargetRange;
      if (Number.isNaN(r.lo)) contradicted.add(cell);
      const entry =
        bounds.get(cell) ??
        (Object.fromEntries(COUNTS.map((q) => [q, fixed(model.expression(cell, q).constant)])) as ExactBounds);
      entry[count] = { lo: r.lo + constant, hi: r.hi + constant, exact: r.exact };
      bounds.set(cell, entry);
    });
    if (contradicted.size === 0) break;
    pending = contradicted;
  }

  const exposed: Observation[] = [];
  const contradicted: Observation[] = [];
  let narrowest: ExactAuditResult["narrowest"] = null;
  for (const o of hidden) {
    // Every hidden cell has a target: its numerator is never published.
    const b = bounds.get(o) as ExactBounds;
    if (COUNTS.some((q) => Number.isNaN(b[q].lo))) {
      contradicted.push(o);
      continue;
    }
    const policy = policyOf(o);
    if (isExposedExactly(b, policy)) exposed.push(o);
    for (const q of guarded(policy)) {
      const { lo, hi, exact } = b[q];
      if (lo >= policy.minimumCount) continue;
      if (narrowest === null || hi - lo < narrowest.hi - narrowest.lo) narrowest = { cell: o, count: q, lo, hi, exact };
    }
  }
  return { bounds, exposed, contradicted, narrowest, cells: hidden.length, counts, ...stats };
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
