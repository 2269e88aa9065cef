import { z } from "zod";

/** The counts of one cell that the minimum applies to: `complement` is denominator − numerator. */
export const CountedQuantitySchema = z.enum(["denominator", "numerator", "complement"]);
export type CountedQuantity = z.output<typeof CountedQuantitySchema>;

/** How c2c treats a rate that is based on few people but breaks no privacy rule. */
export const ReliabilitySchema = z.strictObject({
  /** A rate on fewer than this many people counted (the denominator) is unreliable. */
  minimumDenominator: z.number().int().min(0).default(30),
  /** A rate on fewer than this many people reaching the outcome (the numerator) is unreliable. */
  minimumNumerator: z.number().int().min(0).default(20),
  /** A rate whose interval is wider than this (0.3 is 30 percentage points) is unreliable. */
  maximumIntervalWidth: z.number().gt(0).max(1).default(0.3),
  /** `caution`: publish it flagged low-reliability, with a footnote. `hide`: hide it (and complement it). `off`: no rule. */
  action: z.enum(["caution", "hide", "off"]).default("caution"),
});

/**
 * `privacy:` in `c2c.config.yaml`: the small-number policy for the whole partnership. Every key is
 * optional; `{ minimumCount: 10 }` alone is a complete policy.
 */
export const PrivacyPolicySchema = z.strictObject({
  /** No published count (children, cases) may be below this; health data commonly uses 11. */
  minimumCount: z.number().int().min(1).default(10),
  /**
   * Which of a cell's counts must reach `minimumCount`. All three by default, so that neither a
   * small group nor "all" or "none" of a group (0 of 12, 12 of 12) is ever shown.
   */
  counted: z.array(CountedQuantitySchema).min(1).default(["denominator", "numerator", "complement"]),
  /** Rates on few people: flagged with a caution, hidden, or left alone. */
  reliability: ReliabilitySchema.prefault({}),
});
export type PrivacyPolicy = z.output<typeof PrivacyPolicySchema>;

/** `privacy:` in an indicator's YAML: any key given replaces the partnership's for that indicator. */
export const PrivacyOverrideSchema = z.strictObject({
  /** Overrides `privacy.minimumCount` (and the older `minimumN`) for this indicator. */
  minimumCount: z.number().int().min(1).optional(),
  /** Overrides `privacy.counted`. */
  counted: z.array(CountedQuantitySchema).min(1).optional(),
  /** Overrides any of `privacy.reliability`'s keys. */
  reliability: ReliabilitySchema.partial().optional(),
});
export type PrivacyOverride = z.output<typeof PrivacyOverrideSchema>;
