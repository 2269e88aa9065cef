import { z } from "zod";
import { KebabIdSchema, SiteLanguageSchema, YearSchema } from "./common.ts";
import { PrivacyPolicySchema } from "./privacy.ts";

export const DistrictSchema = z.strictObject({
  id: KebabIdSchema,
  name: z.string().min(1),
  /** The ids partners write for this district (state codes, abbreviations). */
  codes: z.array(z.string()).default([]),
});

/**
 * Where a build counts the rows: `builtin` in memory as they stream (the default), or `duckdb`,
 * out of core in a temporary DuckDB database, for files too large for the machine's memory.
 */
export const EngineSchema = z.enum(["builtin", "duckdb"]);

/** `c2c.config.yaml`: the partnership, its geography, and its privacy policy. */
export const ConfigSchema = z.strictObject({
  partnership: z.strictObject({
    name: z.string().min(1),
    introduction: z.string().min(1),
    url: z.url().optional(),
    /**
     * The introduction in the site's other languages: `translations: { es: { introduction: ... } }`.
     * Without one, a page in another language shows it as written, marked as the site's language.
     */
    translations: z.partialRecord(SiteLanguageSchema, z.strictObject({ introduction: z.string().min(1) })).default({}),
  }),
  community: z.strictObject({
    id: KebabIdSchema,
    name: z.string().min(1),
  }),
  districts: z.array(DistrictSchema).default([]),
  /**
   * A GeoJSON file (relative to the project folder) of the districts' boundaries, each feature with
   * an `id` property equal to a district's `id`: the indicator pages then draw a map by district.
   */
  boundaries: z.string().min(1).optional(),
  /** Where the build counts the rows (`c2c build --engine` overrides it); default `builtin`. */
  engine: EngineSchema.optional(),
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
      /** The language of the site's root pages; the other language is built under its own folder (`es/`). */
      language: SiteLanguageSchema.default("en"),
      /** Where the site is published, for the embed code partners copy (absolute `<iframe>` addresses). */
      url: z.url().optional(),
    })
    .default({ language: "en" }),
});
export type Config = z.output<typeof ConfigSchema>;
export type District = z.output<typeof DistrictSchema>;
