import { z } from "zod";
import {
  DimensionSchema,
  KebabIdSchema,
  MilestoneSchema,
  SiteLanguageSchema,
  SnakeIdSchema,
  YearSchema,
} from "./common.ts";
import { schemaIssue } from "./issue-codes.ts";
import { CountedQuantitySchema, MinimumCountSchema, PrivacyOverrideSchema } from "./privacy.ts";

/** How a record-level extract feeds an indicator: safe expressions over the row's fields. */
export const RecordSourceSchema = z.strictObject({
  kind: z.literal("record"),
  schema: KebabIdSchema,
  /** Which rows are counted at all, e.g. `grade == 3 and subject == 'ela' and tested`. */
  denominator: z.string().min(1),
  /** Which of the counted rows reached the outcome, e.g. `proficient`. */
  numerator: z.string().min(1),
});

/** How an aggregate extract feeds an indicator: which rows, and which columns hold the counts. */
export const AggregateSourceSchema = z.strictObject({
  kind: z.literal("aggregate"),
  schema: KebabIdSchema,
  /** Which rows belong to this indicator, e.g. `measure == 'grade3_reading'`. */
  filter: z.string().min(1).optional(),
  numerator: SnakeIdSchema,
  denominator: SnakeIdSchema,
});

export const IndicatorSourceSchema = z.discriminatedUnion("kind", [RecordSourceSchema, AggregateSourceSchema]);
export type IndicatorSource = z.output<typeof IndicatorSourceSchema>;

/**
 * How one of this indicator's counts relates to another indicator's, as a reader could work out:
 * cradle to career follows the same children, so this spring's graduates (graduation's numerator)
 * are the students whose fall enrollment is counted (enrollment's denominator). Protection hides
 * related cells together, so a count hidden under one indicator is not published under the other.
 */
export const IndicatorRelationSchema = z.strictObject({
  /** This indicator's count: `denominator` (everyone counted), `numerator`, or `complement` (counted, not reached). */
  count: CountedQuantitySchema,
  /** ...is the same number of people as this count of the other indicator... */
  equals: CountedQuantitySchema,
  /** ...the other indicator's id (or this one's, with a year offset)... */
  of: KebabIdSchema,
  /** ...in the other indicator's year that is this one's plus this offset (0: the same year; -1: the year before). */
  yearOffset: z.number().int().min(-30).max(30).default(0),
  /** Why they are the same people, for the methods page. */
  note: z.string().min(1).optional(),
});
export type IndicatorRelation = z.output<typeof IndicatorRelationSchema>;

/** An indicator's words in another language; any left out are shown as written in the file. */
export const IndicatorTranslationSchema = z.strictObject({
  title: z.string().min(1),
  shortTitle: z.string().min(1),
  definition: z.string().min(1),
  whyItMatters: z.string().min(1),
  /** The notes, in the same order as the indicator's own. */
  notes: z.array(z.string().min(1)).optional(),
  /** The notes of the breaks in series, by year. */
  breaks: z.array(z.strictObject({ year: YearSchema, note: z.string().min(1) })).optional(),
});
export type IndicatorTranslation = z.output<typeof IndicatorTranslationSchema>;

/** One indicator of the catalog, as written in `indicators/<id>.yaml`. */
export const IndicatorSchema = z
  .strictObject({
    id: KebabIdSchema,
    title: z.string().min(1),
    /** The few words a card or chart axis can hold. */
    shortTitle: z.string().min(1),
    milestone: MilestoneSchema,
    definition: z.string().min(1),
    whyItMatters: z.string().min(1),
    polarity: z.enum(["higher-is-better", "lower-is-better"]),
    unit: z.literal("percent"),
    /** `school`: 2025 means the 2024-25 school year. `calendar`: 2025 is the calendar year. */
    yearType: z.enum(["school", "calendar"]),
    baselineYear: YearSchema,
    target: z.strictObject({
      /** A share between 0 and 1. */
      value: z.number().min(0).max(1),
      year: YearSchema,
    }),
    /** Overrides the partnership's minimum count for this indicator; the same as `privacy.minimumCount`. */
    minimumN: MinimumCountSchema.optional(),
    /** Overrides any part of the partnership's privacy policy for this indicator. */
    privacy: PrivacyOverrideSchema.optional(),
    dimensions: z.array(DimensionSchema).default([]),
    /**
     * Dimensions whose groups, as the sources send them, need not add up to everyone: EDFacts
     * reports students with disabilities but not those without. Their groups are still protected
     * against subtraction from the all-children figure, with the unreported rest as a hidden part.
     */
    partialDimensions: z.array(DimensionSchema).default([]),
    sources: z.array(IndicatorSourceSchema).min(1),
    /** Counts of this indicator that are the same people as another's (see `IndicatorRelationSchema`). */
    relations: z.array(IndicatorRelationSchema).default([]),
    notes: z.array(z.string()).default([]),
    /**
     * Years whose figures cannot be compared with earlier ones (a new test, a new definition): the
     * trend line breaks there and no change is computed across the break.
     */
    breaks: z.array(z.strictObject({ year: YearSchema, note: z.string().min(1) })).default([]),
    /**
     * What each group is compared with: `overall` (everyone), `best` (the group doing best), or
     * a group's code (e.g. `white`) for the dimension that has it, everyone for the others.
     * Defaults to the partnership's `statistics.gapReference`.
     */
    gapReference: z.string().min(1).optional(),
    /** The title, definition and why it matters in the site's other languages: `translations: { es: {...} }`. */
    translations: z.partialRecord(SiteLanguageSchema, IndicatorTranslationSchema).default({}),
  })
  .refine((i) => i.target.year >= i.baselineYear, {
    ...schemaIssue("target-before-baseline", {}),
    path: ["target", "year"],
  })
  .refine((i) => Object.values(i.translations).every((t) => !t?.notes || t.notes.length === i.notes.length), {
    ...schemaIssue("translation-notes-mismatch", {}),
    path: ["translations"],
  })
  .refine((i) => i.partialDimensions.every((d) => i.dimensions.includes(d)), {
    ...schemaIssue("partial-dimension-not-listed", {}),
    path: ["partialDimensions"],
  })
  .refine((i) => i.relations.every((r) => r.of !== i.id || r.yearOffset !== 0), {
    ...schemaIssue("relation-to-itself-same-year", {}),
    path: ["relations"],
  })
  .refine((i) => i.minimumN === undefined || i.privacy?.minimumCount === undefined, {
    ...schemaIssue("minimum-count-twice", {}),
    path: ["minimumN"],
  });
export type Indicator = z.output<typeof IndicatorSchema>;

export const FieldRefSchema = SnakeIdSchema;
