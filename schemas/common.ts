import { z } from "zod";
import { schemaIssue } from "./issue-codes.ts";

/** A lowercase, hyphenated identifier such as `early-grade-reading`. */
export const KebabIdSchema = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, schemaIssue("id-not-kebab", {}).message);

/** A lowercase, underscored identifier such as `race_ethnicity`, used for fields and dimensions. */
export const SnakeIdSchema = z.string().regex(/^[a-z][a-z0-9_]*$/, schemaIssue("id-not-snake", {}).message);

/** The stages of the cradle-to-career continuum, in the order a child meets them. */
export const MILESTONES = [
  "healthy-start",
  "kindergarten-readiness",
  "early-grade-reading",
  "middle-grade-math",
  "high-school-graduation",
  "postsecondary-enrollment",
  "postsecondary-completion",
  "employment",
] as const;
export const MilestoneSchema = z.enum(MILESTONES);
export type Milestone = z.infer<typeof MilestoneSchema>;

/** The subgroup dimensions c2c knows; `all` is the whole population. */
export const DIMENSIONS = [
  "race_ethnicity",
  "gender",
  "economic_disadvantage",
  "english_learner",
  "disability",
] as const;
export const DimensionSchema = z.enum(DIMENSIONS);
export type Dimension = z.infer<typeof DimensionSchema>;

export const YearSchema = z.number().int().min(1900).max(2200);

/** The languages the public site is written in; every page is built in each of them. */
export const SITE_LANGUAGES = ["en", "es"] as const;
export const SiteLanguageSchema = z.enum(SITE_LANGUAGES);
export type SiteLanguage = z.infer<typeof SiteLanguageSchema>;
