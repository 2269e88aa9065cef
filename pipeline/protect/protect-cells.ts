import type { Config, Indicator, PrivacyPolicy } from "../../schemas/index.ts";
import { type Observation, observationKey } from "../observation.ts";
import { type LinkedSet, linkedSets } from "./linked-sets.ts";
import { breaksPolicy, countOf, isLowReliability, policyFor } from "./privacy-policy.ts";
import { isExposed, readerBounds } from "./reader-bounds.ts";

export { breaksPolicy, minimumCountFor, policyFor } from "./privacy-policy.ts";

/**
 * Why c2c hid a cell. `primary`: a counted quantity is below the minimum. `reliability`: the policy
 * hides unreliable rates. `complementary`: showing it would let a hidden cell be worked out.
 */
export type SuppressionReason = "primary" | "reliability" | "complementary";

export interface ProtectionResult {
  /** The table with every hidden cell's counts, value and interval removed. */
  published: Observation[];
  /** Each cell c2c hid, by observation key, with the reason. Partner-withheld cells keep their own flag. */
  hidden: Map<string, SuppressionReason>;
}

/**
 * Stage 8: nothing below the threshold leaves this stage.
 *
 * 1. Primary suppression hides every cell that breaks its indicator's policy (and, where the policy
 *    says so, every unreliable rate).
 * 2. Complementary suppression then visits every linked set (see `linkedSets`) until nothing changes.
 *    Cells withheld by a partner, or incomplete, count as hidden. A sum set with hidden members is
 *    given one more hidden cell when a single member is hidden (it could be recovered by subtraction)
 *    or when the hidden members together, as a reader can work out from the published total and
 *    parts, hold fewer than the minimum children, or who reached the outcome, or who did not (so the
 *    hidden members could be narrowed to a small range). A `same` set hides all its cells together.
 *    After each round, the bounds a reader can derive from all the sets together are computed
 *    (`readerBounds`), and any hidden cell that is still pinned or narrowed gets one more
 *    complement from its nearest sets; the rounds repeat until no cell is exposed.
 * 3. Published cells on few people are flagged `low-reliability` when the policy asks for a caution.
 */
export function protectCells(
  observations: readonly Observation[],
  indicators: readonly Indicator[],
  config: Config,
  options: { complementary?: boolean } = {},
): ProtectionResult {
  const byId = new Map(indicators.map((i) => [i.id, i]));
  const policies = new Map<string, PrivacyPolicy>();
  const policyOf = (o: Observation) => {
    const known = policies.get(o.indicator);
    if (known) return known;
    const policy = policyFor(byId.get(o.indicator), config);
    policies.set(o.indicator, policy);
    return policy;
  };
  const cells = observations.map((o) => ({ ...o }));
  const hidden = new Map<string, SuppressionReason>();
  const isHidden = (o: Observation) => !isShown(o) || hidden.has(observationKey(o));

  for (const o of cells) {
    if (o.flag !== "ok") continue;
    const policy = policyOf(o);
    if (breaksPolicy(o, policy)) hidden.set(observationKey(o), "primary");
    else if (policy.reliability.action === "hide" && isLowReliability(o, policy))
      hidden.set(observationKey(o), "reliability");
  }

  if (options.complementary !== false) {
    const sets = linkedSets(cells, indicators);
    const setsOf = new Map<Observation, LinkedSet[]>();
    for (const set of sets)
      for (const o of set.kind === "sum" ? [set.total, ...set.parts] : set.cells)
        setsOf.set(o, [...(setsOf.get(o) ?? []), set]);
    for (let changed = true; changed; ) {
      changed = false;
      for (let local = true; local; ) {
        local = false;
        for (const set of sets)
          for (const o of complementsFor(set, isHidden, policyOf)) {
            hidden.set(observationKey(o), "complementary");
            local = true;
          }
      }
      // The rules above look at one set at a time; a reader combines them all.
      const bounds = readerBounds(cells, sets, isHidden);
      const touched = new Set<LinkedSet>();
      for (const o of cells) {
        const b = bounds.get(o);
        if (!b || !isExposed(b, policyOf(o)) || (setsOf.get(o) ?? []).some((s) => touched.has(s))) continue;
        const complement = nearestComplement(o, setsOf, isHidden, policyOf(o));
        if (!complement) continue;
        hidden.set(observationKey(complement), "complementary");
        for (const s of setsOf.get(complement) ?? []) touched.add(s);
        changed = true;
      }
    }
  }

  const published = cells.map((o): Observation => {
    if (hidden.has(observationKey(o)))
      return { ...o, numerator: null, denominator: null, value: null, lower: null, upper: null, flag: "suppressed" };
    if (o.flag === "ok" && policyOf(o).reliability.action === "caution" && isLowReliability(o, policyOf(o)))
      return { ...o, flag: "low-reliability" };
    return o;
  });
  return { published, hidden };
}

/**
 * The cell to hide for a hidden one a reader can still narrow: a published member of its own sets,
 * else of the sets next to those, and so on outwards; the smallest that is not a zero or a one.
 */
function nearestComplement(
  start: Observation,
  setsOf: ReadonlyMap<Observation, LinkedSet[]>,
  isHidden: (o: Observation) => boolean,
  policy: PrivacyPolicy,
): Observation | undefined {
  const seenSets = new Set<LinkedSet>();
  const seenCells = new Set<Observation>([start]);
  let frontier = [start];
  while (frontier.length > 0) {
    const next: Observation[] = [];
    for (const o of frontier)
      for (const set of setsOf.get(o) ?? []) {
        if (seenSets.has(set)) continue;
        seenSets.add(set);
        for (const m of set.kind === "sum" ? [set.total, ...set.parts] : set.cells)
          if (!seenCells.has(m)) {
            seenCells.add(m);
            next.push(m);
          }
      }
    const open = next.filter((o) => !isHidden(o));
    if (open.length > 0) return pickComplement(open, null, policy);
    frontier = next;
  }
  return undefined;
}

/** Whether a cell arrived with its counts: partner-withheld and incomplete cells did not. */
function isShown(o: Observation): boolean {
  return o.flag === "ok" || o.flag === "low-reliability";
}

/** The cells one linked set needs hidden next, given what is hidden now. */
function complementsFor(
  set: LinkedSet,
  isHidden: (o: Observation) => boolean,
  policyOf: (o: Observation) => PrivacyPolicy,
): Observation[] {
  if (set.kind === "same") return set.cells.some(isHidden) ? set.cells.filter((o) => !isHidden(o)) : [];
  const members = [set.total, ...set.parts];
  const hiddenCount = members.filter(isHidden).length;
  if (hiddenCount === 0 || hiddenCount === members.length) return [];
  const policy = policyOf(set.total);
  const open = set.parts.filter((o) => !isHidden(o));
  // What a reader can work out: the hidden parts' combined counts, when the total is published.
  const hiddenSums = isHidden(set.total)
    ? null
    : policy.counted.map((q) => {
        const known = open.reduce((sum, o) => sum + (countOf(o, q) ?? 0), 0);
        return { q, sum: (countOf(set.total, q) ?? 0) - known };
      });
  const short = hiddenSums?.some((s) => s.sum < policy.minimumCount) ?? false;
  if (hiddenCount > 1 && !short) return [];
  const candidates = open.length > 0 ? open : [set.total];
  return [pickComplement(candidates, hiddenSums, policy)];
}

/**
 * The published cell to hide beside the hidden ones: the smallest that, with them, holds at least
 * the minimum of every counted quantity, and is not a zero or a one; failing that, the one that
 * brings the hidden sums closest to the minimum (another follows on the next pass).
 */
function pickComplement(
  candidates: Observation[],
  hiddenSums: { q: PrivacyPolicy["counted"][number]; sum: number }[] | null,
  policy: PrivacyPolicy,
): Observation {
  const size = (o: Observation) => o.denominator ?? Number.POSITIVE_INFINITY;
  const byKey = (a: Observation, b: Observation) => (observationKey(a) < observationKey(b) ? -1 : 1);
  const weakest = (o: Observation) =>
    Math.min(...(hiddenSums ?? []).map(({ q, sum }) => sum + (countOf(o, q) ?? 0)), Number.POSITIVE_INFINITY);
  const notTiny = (o: Observation) => policy.counted.every((q) => (countOf(o, q) ?? 0) >= 2);
  const enough = candidates.filter((o) => notTiny(o) && weakest(o) >= policy.minimumCount);
  if (enough.length > 0) return [...enough].sort((a, b) => size(a) - size(b) || byKey(a, b))[0] as Observation;
  return [...candidates].sort((a, b) => weakest(b) - weakest(a) || size(a) - size(b) || byKey(a, b))[0] as Observation;
}
