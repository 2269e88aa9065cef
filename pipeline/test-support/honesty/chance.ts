/**
 * Whether a change is larger than chance, worked out here from the published counts alone: a share's
 * variance is p(1-p)/n, groups and years taken as independent samples (which overstates a gap's
 * variance where the group is part of its reference, so the test errs towards "no clear change").
 */
import type { Figure } from "./published-tables.ts";

/** Two-sided normal quantiles for the confidence levels c2c offers. */
const Z: Record<string, number> = {
  "0.8": 1.2815515655446004,
  "0.9": 1.6448536269514722,
  "0.95": 1.959963984540054,
  "0.99": 2.5758293035489004,
};

export function zFor(level: number): number {
  const z = Z[String(level)];
  if (z === undefined) throw new Error(`no normal quantile for the level ${level}`);
  return z;
}

function variance(f: Figure): number | null {
  if (f.value === null || f.denominator === null || f.denominator === 0) return null;
  return (f.value * (1 - f.value)) / f.denominator;
}

/** The trend of a group's gap to its reference between two years, as the published counts support it. */
export type GapTrend = "narrowing" | "widening" | "reversed" | "no clear change" | "unknown";

export function gapTrend(
  group: { from: Figure; to: Figure },
  reference: { from: Figure; to: Figure },
  z: number,
): GapTrend {
  const parts = [group.from, group.to, reference.from, reference.to];
  const variances = parts.map(variance);
  if (variances.some((v) => v === null)) return "unknown";
  const v = (f: Figure) => f.value ?? 0;
  const before = v(group.from) - v(reference.from);
  const after = v(group.to) - v(reference.to);
  const se = Math.sqrt(variances.reduce<number>((s, v) => s + (v ?? 0), 0));
  const significant = Math.abs(after - before) > z * se;
  if (!significant) return "no clear change";
  if (before !== 0 && after !== 0 && Math.sign(before) !== Math.sign(after)) return "reversed";
  return Math.abs(after) < Math.abs(before) ? "narrowing" : "widening";
}

/** Whether two figures' intervals separate, so that one may be called higher than the other. */
export function intervalsSeparate(a: Figure, b: Figure): boolean {
  if (a.lower === null || a.upper === null || b.lower === null || b.upper === null) return false;
  return a.lower > b.upper || b.lower > a.upper;
}
