import { z } from "zod";
import { SiteLanguageSchema, SnakeIdSchema } from "./common.ts";

/** One canonical group of a dimension and the labels partners write for it. */
export const VocabularyGroupSchema = z.strictObject({
  code: SnakeIdSchema,
  label: z.string().min(1),
  /** The label in the site's other languages, e.g. `labels: { es: Hispano o latino }`. */
  labels: z.partialRecord(SiteLanguageSchema, z.string().min(1)).default({}),
  aliases: z.array(z.string()).default([]),
  /** This group's code in other vocabularies, by vocabulary id: a crosswalk kept as data. */
  crosswalk: z.record(SnakeIdSchema, SnakeIdSchema).optional(),
});

/**
 * A controlled vocabulary: the canonical codes of one dimension (or of any coded field) and a
 * crosswalk from the labels partners use. Matching ignores case, spacing and punctuation.
 */
export const VocabularySchema = z.strictObject({
  id: SnakeIdSchema,
  title: z.string().min(1),
  description: z.string().default(""),
  groups: z.array(VocabularyGroupSchema).min(1),
});
export type Vocabulary = z.output<typeof VocabularySchema>;
export type VocabularyGroup = z.output<typeof VocabularyGroupSchema>;
