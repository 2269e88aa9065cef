import type { Config, Indicator } from "../../schemas/index.ts";
import { type Observation, observationKey } from "../observation.ts";

/** Why a cell was hidden by c2c: it broke the policy itself, or it could have revealed one that did. */
export type SuppressionReason = "primary" | "complementary";

export interface ProtectionResult {
  /** The table with every hidden cell's counts, value and interval removed. */
  published: Observation[];
  /** Each cell c2c hid, by observation key, with the reason. */
  hidden: Map<string, SuppressionReason>;
}

/** The smallest count an indicator may publish: its own minimum, else the partnership's. */
export function minimumCountFor(indicator: Indicator | undefined, config: Config): number {
  return indicator?.minimumN ?? config.privacy.minimumCount;
}

/** Whether a cell's counts break the policy: its children, those who reached the outcome, or those who did not, number fewer than the minimum. */
export function breaksPolicy(o: Observation, minimum: number): boolean {
  if (o.numerator === null || o.denominator === null) return false;
  return o.denominator < minimum || o.numerator < minimum || o.denominator - o.numerator < minimum;
}

/**
 * Stage 8: nothing below the threshold leaves this stage. Primary suppression hides every cell that
 * breaks the policy; complementary suppression then hides, in every set of cells linked by a sum
 * (the groups of a dimension and their total; the districts and the community), one more cell
 * wherever a single hidden cell could be recovered by subtraction, repeating until nothing changes.
 */
export function protectCells(
  observations: readonly Observation[],
  indicators: readonly Indicator[],
  config: Config,
  options: { complementary?: boolean } = {},
): ProtectionResult {
  const byId = new Map(indicators.map((i) => [i.id, i]));
  const cells = observations.map((o) => ({ ...o }));
  const hidden = new Map<string, SuppressionReason>();
  const isHidden = (o: Observation) =>
    o.flag !== "ok" && o.flag !== "low-reliability" ? true : hidden.has(observationKey(o));

  for (const o of cells) {
    if (o.flag === "ok" && breaksPolicy(o, minimumCountFor(byId.get(o.indicator), config)))
      hidden.set(observationKey(o), "primary");
  }

  if (options.complementary !== false) {
    const sets = linkedSets(cells);
    for (let changed = true; changed; ) {
      changed = false;
      for (const set of sets) {
        const hiddenCount = set.filter(isHidden).length;
        if (hiddenCount !== 1) continue;
        const complement = pickComplement(set.filter((o) => !isHidden(o)));
        if (complement) {
          hidden.set(observationKey(complement), "complementary");
          changed = true;
        }
      }
    }
  }

  const published = cells.map((o) =>
    hidden.has(observationKey(o))
      ? { ...o, numerator: null, denominator: null, value: null, lower: null, upper: null, flag: "suppressed" as const }
      : o,
  );
  return { published, hidden };
}

/**
 * The sets of cells whose counts add up: for each indicator, year and geography, every dimension's
 * groups with the all-children cell; for each indicator, year and group, the districts with the
 * community. Sorted, so the same table always protects the same way.
 */
export function linkedSets(cells: readonly Observation[]): Observation[][] {
  const sets = new Map<string, Observation[]>();
  const add = (key: string, o: Observation) => {
    const list = sets.get(key);
    if (list) list.push(o);
    else sets.set(key, [o]);
  };
  const totals = new Map<string, Observation>();
  for (const o of cells)
    if (o.dimension === "all") totals.set(`${o.indicator}|${o.year}|${o.geo_level}|${o.geo_id}`, o);
  for (const o of cells) {
    if (o.dimension !== "all") add(`dim|${o.indicator}|${o.year}|${o.geo_level}|${o.geo_id}|${o.dimension}`, o);
    add(`geo|${o.indicator}|${o.year}|${o.dimension}|${o.group}`, o);
  }
  for (const [key, list] of sets) {
    if (!key.startsWith("dim|")) continue;
    const [, indicator, year, level, geo] = key.split("|");
    const total = totals.get(`${indicator}|${year}|${level}|${geo}`);
    if (total) list.push(total);
  }
  return [...sets.entries()]
    .filter(([, list]) => list.length > 1)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, list]) => list.sort((a, b) => (observationKey(a) < observationKey(b) ? -1 : 1)));
}

/** The published cell to hide beside a lone hidden one: the smallest that is not a zero or a one. */
function pickComplement(candidates: Observation[]): Observation | undefined {
  const size = (o: Observation) => o.denominator ?? Number.POSITIVE_INFINITY;
  const usable = candidates.filter((o) => (o.denominator ?? 0) >= 2 && (o.numerator ?? 0) >= 1);
  const pool = usable.length > 0 ? usable : candidates;
  return [...pool].sort((a, b) => size(a) - size(b) || (observationKey(a) < observationKey(b) ? -1 : 1))[0];
}
