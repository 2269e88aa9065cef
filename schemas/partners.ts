import { z } from "zod";
import { KebabIdSchema } from "./common.ts";
import { ExtractMappingSchema } from "./mapping.ts";

/** How one kind of a partner's files is read. */
export const PartnerExtractSchema = z.strictObject({
  /** The extract schema the files follow. */
  schema: KebabIdSchema,
  /** File names this extract covers, with `*` as a wildcard, e.g. `kindergarten-*.csv`. */
  files: z.string().min(1),
  /** Field delimiter; detected when omitted. */
  delimiter: z.enum([",", ";", "\t", "|"]).optional(),
  /** Values that mean the partner withheld a number to protect privacy, e.g. `*`, `n<10`. */
  suppressed: z.array(z.string()).default([]),
  /** Values that mean "does not apply", e.g. `N/A`. */
  notApplicable: z.array(z.string()).default([]),
  /**
   * How the partner writes a percent without a `%` sign: `percent` (42 means 42%) or `fraction`
   * (0.42 means 42%). A value written with `%` is always a percent.
   */
  percentScale: z.enum(["percent", "fraction"]).default("percent"),
  /**
   * `folder`: every row is of the year of the folder the file sits in (a row of another year is an
   * error). `any`: the file is a time series and each row counts under its own year.
   */
  years: z.enum(["folder", "any"]).default("folder"),
  /**
   * When two or more files of this extract arrive for the same year: `replace` reads only the newest
   * (a corrected file replaces the first; the report says so), `combine` reads them all and adds
   * them up as one file (a partner that sends one file per school): a record one of them repeats
   * from another is counted once, and reported.
   */
  versions: z.enum(["replace", "combine"]).default("replace"),
  /**
   * How an agency file that does not follow the schema's layout becomes rows of it: columns,
   * constants, unpivot, multi-row headers, crosswalks (see schemas/mapping.ts). Without it the
   * file's headers must match the schema's fields.
   */
  mapping: ExtractMappingSchema.optional(),
});
export type PartnerExtract = z.output<typeof PartnerExtractSchema>;

export const PartnerSchema = z.strictObject({
  id: KebabIdSchema,
  name: z.string().min(1),
  kind: z.enum(["school-district", "health-department", "college-access", "workforce", "service-provider"]),
  contact: z.string().optional(),
  /** The district this partner's rows belong to when a file has no district column. */
  district: KebabIdSchema.optional(),
  extracts: z.array(PartnerExtractSchema).min(1),
});
export type Partner = z.output<typeof PartnerSchema>;

/** `partners.yaml`: who sends which files. */
export const PartnersFileSchema = z.strictObject({
  partners: z.array(PartnerSchema).min(1),
  /**
   * Whose figures to publish when two partners send different figures for the same cell, first
   * listed first. Without it, conflicting figures are not published at all.
   */
  precedence: z.array(KebabIdSchema).default([]),
});
