import type { Config, CountedQuantity, Indicator, PrivacyPolicy } from "../../schemas/index.ts";
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
  };
}

/** The smallest count an indicator may publish: its own minimum, else the partnership's. */
export function minimumCountFor(indicator: Indicator | undefined, config: Config): number {
  return policyFor(indicator, config).minimumCount;
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
