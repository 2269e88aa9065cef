import { z } from "zod";
import { SnakeIdSchema } from "./common.ts";
import { schemaIssue } from "./issue-codes.ts";

/** A regular expression written in YAML: it must compile, and the message says where it does not. */
const PatternSchema = z.string().superRefine((text, ctx) => {
  try {
    new RegExp(text, "u");
  } catch (e) {
    ctx.addIssue({
      code: "custom",
      ...schemaIssue("pattern-invalid", { pattern: text, detail: e instanceof Error ? e.message : String(e) }),
    });
  }
});

/**
 * Where one target field's text comes from: a column of the file (or a name captured by `unpivot`
 * or made by `pivot`), a constant, or a count derived from a rate and the count it is a rate of.
 * The modifiers apply in the order written here: match, add, map, crosswalk, dimensionOf, round.
 */
export const FieldSourceSchema = z
  .strictObject({
    /** A source column by its header (after `headerRows` are joined), or a name made by `unpivot`/`pivot`. */
    column: z.string().min(1).optional(),
    /** A constant, for a column the file lacks: `"2015"`, `race_ethnicity`. */
    value: z.string().optional(),
    /**
     * A count derived from a rate: the column holding the rate (in the extract's `percentScale`).
     * With `of`, the count is round(rate × of) where the rate is exact; a range or marker stays
     * withheld. Without `of` the file gives no count, so nothing from it is published.
     */
    rate: z.string().min(1).optional(),
    /** With `rate`: the column holding the count the rate is of (the cohort, the births). */
    of: z.string().min(1).optional(),
    /** Keeps only the part of the text a regex matches: its `value` group, else its first group, else the whole match. */
    match: PatternSchema.optional(),
    /** Adds a whole number to a year (a cohort that entered 9th grade in 2001 graduates in 2005: `add: 4`). */
    add: z.number().int().optional(),
    /** Replaces whole labels (compared ignoring case, spacing and punctuation); other labels pass unchanged. */
    map: z.record(z.string(), z.string()).optional(),
    /**
     * Translates a label through a vocabulary's crosswalk: the label is looked up in `from` and
     * replaced by the code its group maps to in `to` (e.g. 2024 OMB categories to the 1997 ones).
     */
    crosswalk: z.strictObject({ from: SnakeIdSchema, to: SnakeIdSchema }).optional(),
    /**
     * Writes the dimension a group label belongs to (`race_ethnicity` for `Black`, `all` for
     * `Total Cohort`), found in the vocabularies, for files that name groups of every kind in one column.
     */
    dimensionOf: z.boolean().optional(),
    /** Rounds a decimal to a whole number (a population estimate used as a count); the notes should say so. */
    round: z.boolean().optional(),
  })
  .superRefine((s, ctx) => {
    const given = (["column", "value", "rate"] as const).filter((k) => s[k] !== undefined);
    if (given.length !== 1)
      ctx.addIssue({
        code: "custom",
        ...(given.length === 0
          ? schemaIssue("field-source-missing", {})
          : schemaIssue("field-source-several", { given })),
      });
    if (s.of !== undefined && s.rate === undefined)
      ctx.addIssue({ code: "custom", path: ["of"], ...schemaIssue("of-without-rate", {}) });
  });
export type FieldSource = z.output<typeof FieldSourceSchema>;

/** Keeps only the rows whose column holds one of `values`, or matches `pattern`. */
export const KeepRuleSchema = z
  .strictObject({
    column: z.string().min(1),
    values: z.array(z.string()).min(1).optional(),
    pattern: PatternSchema.optional(),
    /** Why the other rows are left out, for the partner report. */
    reason: z.string().min(1).optional(),
  })
  .refine((k) => (k.values === undefined) !== (k.pattern === undefined), schemaIssue("keep-rule-needs-one", {}));

/**
 * How an agency's file becomes rows of an extract schema without code: which columns hold the
 * geography, year, group and counts; multi-row headers; wide files unpivoted by a column-name
 * pattern; long metric/value files pivoted; constants; crosswalks; rows kept.
 */
export const ExtractMappingSchema = z
  .strictObject({
    /** How many rows the header takes (ACS tables have two: variable codes, then labels). */
    headerRows: z.number().int().min(1).max(10).default(1),
    /** Which header row names the columns (1-based); defaults to the last. Ignored with `joinHeaderRows`. */
    headerRow: z.number().int().min(1).optional(),
    /** Names each column by all its header rows joined with this text, e.g. `"!!"`. */
    joinHeaderRows: z.string().min(1).optional(),
    /** Rows to keep; a row must pass every rule. The report counts the rows each rule left out. */
    keep: z.array(KeepRuleSchema).default([]),
    /**
     * Wide to long: every column whose name matches `columns` is split by its named groups. The
     * group `measure` names the value's slot (`COHORT`, `RATE`); the other groups (`group`, `age`)
     * become columns of the new row. Columns that do not match are kept on every new row.
     */
    unpivot: z.strictObject({ columns: PatternSchema }).optional(),
    /**
     * Long to wide (a metric/submetric/value file): rows with the same `keys` become one row with
     * a column per `names` (joined with `!!`) holding `value`. The file is held in memory for this.
     */
    pivot: z
      .strictObject({
        keys: z.array(z.string().min(1)).min(1),
        names: z.array(z.string().min(1)).min(1),
        value: z.string().min(1),
      })
      .optional(),
    /** Target field (of the extract's schema) → where its text comes from. */
    fields: z.record(SnakeIdSchema, FieldSourceSchema),
    /**
     * One output row per entry, each adding its own field sources to `fields` (several measures
     * from one wide row: low birth weight and early prenatal care from the same quarter).
     */
    rows: z.array(z.record(SnakeIdSchema, FieldSourceSchema)).min(1).optional(),
    /**
     * Rows whose district is not one of the partnership's districts (by id, name or code) are left
     * out and counted, instead of each being an error: a statewide file read for a few districts.
     */
    skipOtherDistricts: z.boolean().default(false),
  })
  .superRefine((m, ctx) => {
    if (m.headerRow !== undefined && m.headerRow > m.headerRows)
      ctx.addIssue({
        code: "custom",
        path: ["headerRow"],
        ...schemaIssue("header-row-past-header", { headerRow: m.headerRow, headerRows: m.headerRows }),
      });
    if (m.unpivot !== undefined && !/\(\?<measure>/.test(m.unpivot.columns))
      ctx.addIssue({
        code: "custom",
        path: ["unpivot", "columns"],
        ...schemaIssue("unpivot-without-measure", {}),
      });
    if (m.unpivot !== undefined && m.pivot !== undefined)
      ctx.addIssue({ code: "custom", path: ["pivot"], ...schemaIssue("pivot-and-unpivot", {}) });
  });
export type ExtractMapping = z.output<typeof ExtractMappingSchema>;
