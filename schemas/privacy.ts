import { z } from "zod";
import { schemaIssue } from "./issue-codes.ts";

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
 * Top and bottom coding: where the only small count of a cell is who reached the outcome (or who
 * did not) and the rate is below `below` (or above `above`), the cell shows "<5%" (or ">95%") and
 * how many were counted, instead of being hidden. A cell is coded only when its range holds at
 * least the minimum count's possible values (with 10 and 5%, 180 or more counted); otherwise it is
 * hidden as before. The numerator stays hidden, so complementary suppression still protects it.
 */
export const CodingSchema = z
  .strictObject({
    /** Show "<5%" (0.05) rather than hide a rate below it that few reached. */
    below: z.number().gt(0).lt(0.5).optional(),
    /** Show ">95%" (0.95) rather than hide a rate above it that few did not reach. */
    above: z.number().gt(0.5).lt(1).optional(),
  })
  .refine((c) => c.below !== undefined || c.above !== undefined, schemaIssue("coding-without-bound", {}));
export type Coding = z.output<typeof CodingSchema>;

/**
 * The smallest minimum count c2c accepts: below 3, a published count can be one child's outcome,
 * or two children's who each learn the other's ("2 of 2"), which no small-number policy allows.
 * Policies in use start at 5 or 10 (11 for health data); 3 is the floor, not a recommendation.
 */
export const MINIMUM_COUNT_FLOOR = 3;

/** A minimum count, at or above the floor. */
export const MinimumCountSchema = z
  .number()
  .int()
  .refine((n) => n >= MINIMUM_COUNT_FLOOR, schemaIssue("minimum-count-below-floor", { floor: MINIMUM_COUNT_FLOOR }));

/**
 * `privacy:` in `c2c.config.yaml`: the small-number policy for the whole partnership. Every key is
 * optional; `{ minimumCount: 10 }` alone is a complete policy.
 */
export const PrivacyPolicySchema = z.strictObject({
  /** No published count (children, cases) may be below this; health data commonly uses 11. */
  minimumCount: MinimumCountSchema.default(10),
  /**
   * Which of a cell's counts must reach `minimumCount`. All three by default, so that neither a
   * small group nor "all" or "none" of a group (0 of 12, 12 of 12) is ever shown.
   */
  counted: z.array(CountedQuantitySchema).min(1).default(["denominator", "numerator", "complement"]),
  /** Rates on few people: flagged with a caution, hidden, or left alone. */
  reliability: ReliabilitySchema.prefault({}),
  /** Top and bottom coding of rates (`{ below: 0.05, above: 0.95 }`); none unless given. */
  coding: CodingSchema.optional(),
});
export type PrivacyPolicy = z.output<typeof PrivacyPolicySchema>;

/** `privacy:` in an indicator's YAML: any key given replaces the partnership's for that indicator. */
export const PrivacyOverrideSchema = z.strictObject({
  /** Overrides `privacy.minimumCount` (and the older `minimumN`) for this indicator. */
  minimumCount: MinimumCountSchema.optional(),
  /** Overrides `privacy.counted`. */
  counted: z.array(CountedQuantitySchema).min(1).optional(),
  /** Overrides any of `privacy.reliability`'s keys. */
  reliability: ReliabilitySchema.partial().optional(),
  /** Replaces `privacy.coding` for this indicator; `false` turns coding off for it. */
  coding: z.union([CodingSchema, z.literal(false)]).optional(),
});
export type PrivacyOverride = z.output<typeof PrivacyOverrideSchema>;
