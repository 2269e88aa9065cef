import type { Config, CountedQuantity, Indicator, PrivacyPolicy } from "../../schemas/index.ts";
import { InternalError } from "../internal-error.ts";
import type { Observation } from "../observation.ts";

/** The policy one indicator is protected by: the partnership's, with the indicator's overrides. */
export function policyFor(indicator: Indicator | undefined, config: Config): PrivacyPolicy {
  const base = config.privacy;
  const own = indicator?.privacy;
  return {
    minimumCount: own?.minimumCount ?? indicator?.minimumN ?? base.minimumCount,
    counted: own?.counted ?? base.counted,
    reliability: {
      minimumDenominator: own?.reliability?.minimumDenominator ?? base.reliability.minimumDenominator,
      minimumNumerator: own?.reliability?.minimumNumerator ?? base.reliability.minimumNumerator,
      maximumIntervalWidth: own?.reliability?.maximumIntervalWidth ?? base.reliability.maximumIntervalWidth,
      action: own?.reliability?.action ?? base.reliability.action,
    },
    coding: own?.coding === false ? undefined : (own?.coding ?? base.coding),
  };
}

/** The smallest count an indicator may publish: its own minimum, else the partnership's. */
export function minimumCountFor(indicator: Indicator | undefined, config: Config): number {
  return policyFor(indicator, config).minimumCount;
}

/** The smallest count any of the indicators may publish: the least the site shows. */
export function smallestMinimumCount(indicators: readonly Indicator[], config: Config): number {
  return Math.min(...indicators.map((i) => minimumCountFor(i, config)));
}

/** One of a cell's counts, or null where unknown. */
export function countOf(o: Pick<Observation, "numerator" | "denominator">, q: CountedQuantity): number | null {
  if (o.numerator === null || o.denominator === null) return null;
  if (q === "numerator") return o.numerator;
  if (q === "denominator") return o.denominator;
  return o.denominator - o.numerator;
}

/** Whether a cell's counts break the policy: one of the counted quantities is below the minimum. */
export function breaksPolicy(o: Observation, policy: Pick<PrivacyPolicy, "minimumCount" | "counted">): boolean {
  return policy.counted.some((q) => {
    const n = countOf(o, q);
    return n !== null && n < policy.minimumCount;
  });
}

/** Whether a cell's rate rests on too few people to be read without a caution. */
export function isLowReliability(o: Observation, policy: Pick<PrivacyPolicy, "reliability">): boolean {
  const r = policy.reliability;
  if (r.action === "off" || o.numerator === null || o.denominator === null) return false;
  const wide = o.lower !== null && o.upper !== null && o.upper - o.lower > r.maximumIntervalWidth;
  return o.denominator < r.minimumDenominator || o.numerator < r.minimumNumerator || wide;
}

/** The largest whole number strictly below x (a rate "below 5%" of 200 allows at most 9). */
function largestBelow(x: number): number {
  return Math.ceil(x - 1e-9) - 1;
}

/**
 * How a cell that breaks the policy may be shown coded instead of hidden, or null. Bottom coding
 * ("<5%") applies when the numerator is the only small count and the rate is below `coding.below`;
 * top coding (">95%") when the complement is the only small count and the rate is above
 * `coding.above`. Either only when the coded range leaves at least `minimumCount` possible values
 * of the small count, so the code protects as much as hiding would.
 */
export function codingOf(o: Observation, policy: PrivacyPolicy): "bottom-coded" | "top-coded" | null {
  const { coding, minimumCount } = policy;
  if (!coding || o.numerator === null || o.denominator === null || o.denominator === 0) return null;
  const counts = { numerator: o.numerator, denominator: o.denominator, complement: o.denominator - o.numerator };
  const small = policy.counted.filter((q) => counts[q] < minimumCount);
  if (small.length !== 1) return null;
  const rate = o.numerator / o.denominator;
  if (small[0] === "numerator" && coding.below !== undefined && rate < coding.below)
    return largestBelow(coding.below * o.denominator) + 1 >= minimumCount ? "bottom-coded" : null;
  if (small[0] === "complement" && coding.above !== undefined && rate > coding.above)
    return largestBelow((1 - coding.above) * o.denominator) + 1 >= minimumCount ? "top-coded" : null;
  return null;
}

/** The rate a code names: `coding.below` for "<5%", `coding.above` for ">95%". */
export function codingThreshold(flag: "bottom-coded" | "top-coded", policy: PrivacyPolicy): number {
  const threshold = flag === "bottom-coded" ? policy.coding?.below : policy.coding?.above;
  // `codingOf` codes a cell only under a policy with that threshold.
  if (threshold === undefined) throw new InternalError(`a cell is ${flag} under a policy without that coding`);
  return threshold;
}

/** What a reader is told of a coded cell: its numerator's range, and the denominator it publishes. */
export interface CodedRange {
  lo: number;
  hi: number;
  denominator: number;
}

/**
 * What a coded cell tells a reader about its numerator: every value whose rate is within the code
 * (strictly below `below`, strictly above `above`) and, as the policy is public and a cell is only
 * coded for a small count, whose small count is below the minimum.
 */
export function codedNumeratorRange(
  flag: "bottom-coded" | "top-coded",
  denominator: number,
  policy: PrivacyPolicy,
): CodedRange {
  const small = policy.minimumCount - 1;
  const threshold = codingThreshold(flag, policy);
  if (flag === "bottom-coded")
    return { lo: 0, hi: Math.min(small, largestBelow(threshold * denominator)), denominator };
  return {
    lo: denominator - Math.min(small, largestBelow((1 - threshold) * denominator)),
    hi: denominator,
    denominator,
  };
}
