import type { Config, CountedQuantity, Indicator, PrivacyPolicy } from "../../schemas/index.ts";
import { type Observation, observationKey } from "../observation.ts";
import { type LinkedSet, linkedSets } from "./linked-sets.ts";
import { breaksPolicy, codedNumeratorRange, codingOf, countOf, isLowReliability, policyFor } from "./privacy-policy.ts";
import { isExposed, readerBounds } from "./reader-bounds.ts";

export { breaksPolicy, codingOf, minimumCountFor, policyFor } from "./privacy-policy.ts";

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
 *    says so, every unreliable rate). Where the policy codes rates (`privacy.coding`) and the
 *    only small count is who reached the outcome (or who did not), the cell is coded instead: it
 *    shows its denominator and "<5%" (or ">95%"), and its numerator is hidden, so to every rule
 *    below it is a hidden cell whose denominator is known and whose numerator lies in the code's
 *    range.
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
  // Each cell's key, built once: the rules below ask for it many times a round.
  const keys = new Map<Observation, string>(cells.map((o) => [o, observationKey(o)]));
  const keyOf = (o: Observation) => keys.get(o) ?? observationKey(o);
  const hidden = new Map<string, SuppressionReason>();
  const coded = new Map<string, "bottom-coded" | "top-coded">();
  /** Whether a cell publishes none of its counts. */
  const isGone = (o: Observation) => !isShown(o) || hidden.has(keyOf(o));
  /** Whether a cell does not publish all its counts: gone, or coded. */
  const isHidden = (o: Observation) => isGone(o) || coded.has(keyOf(o));
  /** The numerator range a reader is told for a coded cell, or null for any other cell. */
  const codedRange = (o: Observation) => {
    const code = coded.get(keyOf(o));
    return code && !hidden.has(keyOf(o)) ? codedNumeratorRange(code, o.denominator as number, policyOf(o)) : null;
  };
  /** A count of a cell a reader can read: all of a shown cell's, and a coded cell's denominator. */
  const known = (o: Observation, q: CountedQuantity): number | null =>
    !isHidden(o) ? countOf(o, q) : q === "denominator" && codedRange(o) ? o.denominator : null;

  for (const o of cells) {
    if (o.flag !== "ok") continue;
    const policy = policyOf(o);
    const code = breaksPolicy(o, policy) ? codingOf(o, policy) : null;
    if (code) coded.set(keyOf(o), code);
    else if (breaksPolicy(o, policy)) hidden.set(keyOf(o), "primary");
    else if (policy.reliability.action === "hide" && isLowReliability(o, policy)) hidden.set(keyOf(o), "reliability");
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
          for (const o of complementsFor(set, isHidden, isGone, known, policyOf)) {
            hidden.set(keyOf(o), "complementary");
            local = true;
          }
      }
      // The rules above look at one set at a time; a reader combines them all.
      const bounds = readerBounds(cells, sets, isHidden, codedRange);
      const touched = new Set<LinkedSet>();
      for (const o of cells) {
        const b = bounds.get(o);
        if (!b || !isExposed(b, policyOf(o)) || (setsOf.get(o) ?? []).some((s) => touched.has(s))) continue;
        const complement = nearestComplement(o, setsOf, isHidden, isGone, policyOf(o));
        if (!complement) continue;
        hidden.set(keyOf(complement), "complementary");
        for (const s of setsOf.get(complement) ?? []) touched.add(s);
        changed = true;
      }
    }
  }

  const published = cells.map((o): Observation => {
    if (hidden.has(keyOf(o)))
      return { ...o, numerator: null, denominator: null, value: null, lower: null, upper: null, flag: "suppressed" };
    const code = coded.get(keyOf(o));
    const coding = policyOf(o).coding;
    if (code && coding) {
      // What the code says of the rate, in the interval's columns: [0, 5%) or (95%, 100%].
      const [lower, upper] = code === "bottom-coded" ? [0, coding.below as number] : [coding.above as number, 1];
      return { ...o, numerator: null, value: null, lower, upper, flag: code };
    }
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
  isGone: (o: Observation) => boolean,
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
    // A published cell if there is one; else a coded cell, hidden whole.
    const open = next.filter((o) => !isHidden(o));
    const coded = next.filter((o) => !isGone(o));
    if (open.length > 0 || coded.length > 0) return pickComplement(open.length > 0 ? open : coded, null, policy);
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
  isGone: (o: Observation) => boolean,
  known: (o: Observation, q: CountedQuantity) => number | null,
  policyOf: (o: Observation) => PrivacyPolicy,
): Observation[] {
  if (set.kind === "same") return set.cells.some(isHidden) ? set.cells.filter((o) => !isHidden(o)) : [];
  const members = [set.total, ...set.parts];
  // The unreported rest of a partial dimension is one more hidden part.
  const hiddenCount = members.filter(isHidden).length + (set.rest ? 1 : 0);
  if (members.every((o) => !isHidden(o)) || members.every(isGone)) return [];
  const policy = policyOf(set.total);
  const open = set.parts.filter((o) => !isHidden(o));
  // What a reader can work out, count by count: the hidden parts' combined count, where the
  // total's is published (a coded cell publishes its denominator), and any count that is the only
  // one of its set not published, which is recovered exactly by subtraction.
  const hiddenSums: { q: CountedQuantity; sum: number }[] = [];
  let short = false;
  for (const q of policy.counted) {
    const unknown = members.filter((o) => known(o, q) === null);
    if (unknown.length === 1 && !set.rest && (countOf(unknown[0] as Observation, q) ?? 0) < policy.minimumCount)
      short = true;
    const total = known(set.total, q);
    if (total === null) continue;
    const sum = total - set.parts.reduce((n, o) => n + (known(o, q) ?? 0), 0);
    hiddenSums.push({ q, sum });
    if (sum < policy.minimumCount && (unknown.length > 0 || set.rest)) short = true;
  }
  if (hiddenCount > 1 && !short) return [];
  // A published part, else the total if published, else a coded member, hidden whole.
  const candidates = open.length > 0 ? open : !isHidden(set.total) ? [set.total] : members.filter((o) => !isGone(o));
  return [pickComplement(candidates, hiddenSums.length > 0 ? hiddenSums : null, policy)];
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
