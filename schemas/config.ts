import { z } from "zod";
import { KebabIdSchema, YearSchema } from "./common.ts";
import { PrivacyPolicySchema } from "./privacy.ts";

export const DistrictSchema = z.strictObject({
  id: KebabIdSchema,
  name: z.string().min(1),
  /** The ids partners write for this district (state codes, abbreviations). */
  codes: z.array(z.string()).default([]),
});

/** `c2c.config.yaml`: the partnership, its geography, and its privacy policy. */
export const ConfigSchema = z.strictObject({
  partnership: z.strictObject({
    name: z.string().min(1),
    introduction: z.string().min(1),
    url: z.url().optional(),
  }),
  community: z.strictObject({
    id: KebabIdSchema,
    name: z.string().min(1),
  }),
  districts: z.array(DistrictSchema).default([]),
  /** The latest year to publish; defaults to the latest year with data. */
  reportingYear: YearSchema.optional(),
  /** How figures are computed and compared. */
  statistics: z
    .strictObject({
      /** The confidence level of every interval (0.95 is a 95% interval). */
      confidenceLevel: z.number().gt(0.5).lt(1).default(0.95),
      /** What groups' gaps are measured against: `overall`, `best`, or a group's code such as `white`. */
      gapReference: z.string().min(1).default("overall"),
    })
    .prefault({}),
  /** Checks on partners' figures beyond what any one row shows. */
  checks: z
    .strictObject({
      /**
       * Warn the partner when a district's count of children for an indicator grows or shrinks by
       * more than this factor from one year to the next (2 means doubling or halving).
       */
      changeFactor: z.number().gt(1).default(2),
    })
    .prefault({}),
  /** The small-number policy: minimum count, which counts it applies to, and the reliability rule. */
  privacy: PrivacyPolicySchema.prefault({}),
  site: z
    .strictObject({
      title: z.string().min(1).optional(),
      language: z.enum(["en", "es"]).default("en"),
    })
    .default({ language: "en" }),
});
export type Config = z.output<typeof ConfigSchema>;
export type District = z.output<typeof DistrictSchema>;
