import { z } from "zod";
import { SnakeIdSchema } from "./common.ts";

/** One canonical group of a dimension and the labels partners write for it. */
export const VocabularyGroupSchema = z.strictObject({
  code: SnakeIdSchema,
  label: z.string().min(1),
  aliases: z.array(z.string()).default([]),
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
