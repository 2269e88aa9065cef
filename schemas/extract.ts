import { z } from "zod";
import { DimensionSchema, KebabIdSchema, SnakeIdSchema } from "./common.ts";
import { schemaIssue } from "./issue-codes.ts";

export const FIELD_TYPES = [
  "id",
  "text",
  "integer",
  "count",
  "number",
  "percent",
  "boolean",
  "year",
  "date",
  "code",
] as const;
export const FieldTypeSchema = z.enum(FIELD_TYPES);
export type FieldType = z.infer<typeof FieldTypeSchema>;

/** One column of a partner extract. */
export const ExtractFieldSchema = z
  .strictObject({
    name: SnakeIdSchema,
    title: z.string().min(1),
    description: z.string().min(1),
    type: FieldTypeSchema,
    /** The column must be present in the file. */
    required: z.boolean().default(false),
    /** A present column may still hold blanks. */
    allowBlank: z.boolean().default(true),
    aliases: z.array(z.string()).default([]),
    /** For `code` fields: the vocabulary whose codes and aliases are accepted. */
    vocabulary: SnakeIdSchema.optional(),
    minimum: z.number().optional(),
    maximum: z.number().optional(),
    example: z.string(),
  })
  .refine((f) => f.type !== "code" || f.vocabulary !== undefined, {
    ...schemaIssue("code-field-without-vocabulary", {}),
    path: ["vocabulary"],
  });
export type ExtractField = z.output<typeof ExtractFieldSchema>;

/** Which fields play which part in aggregation. */
export const ExtractRolesSchema = z.strictObject({
  year: SnakeIdSchema,
  district: SnakeIdSchema.optional(),
  school: SnakeIdSchema.optional(),
  /** Record-level: the identifier of the child or client; never published. */
  recordId: SnakeIdSchema.optional(),
  /** Record-level: the field that holds each dimension's group. */
  dimensions: z.partialRecord(DimensionSchema, SnakeIdSchema).default({}),
  /** Aggregate: the field naming the dimension of a row (values from the `dimension` vocabulary). */
  groupDimension: SnakeIdSchema.optional(),
  /** Aggregate: the field naming the group within that dimension. */
  group: SnakeIdSchema.optional(),
  /** Aggregate with no dimension field: the one dimension its `group` field belongs to. */
  fixedDimension: DimensionSchema.optional(),
});

/**
 * A check across fields of one row: `not-greater`, `field` may not exceed `limit`; `requires`, the
 * yes/no `field` may be yes only where the yes/no `requires` is yes (proficient only where tested),
 * `because` saying why in the partner's words.
 */
export const RowCheckSchema = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("not-greater"),
    field: SnakeIdSchema,
    limit: SnakeIdSchema,
  }),
  z.strictObject({
    type: z.literal("requires"),
    field: SnakeIdSchema,
    requires: SnakeIdSchema,
    because: z.string().min(1).optional(),
  }),
]);

/**
 * An extract schema: the shape of one kind of partner file. Record-level files have one row per
 * child or client; aggregate files have one row per year, geography and group with counts.
 */
export const ExtractSchemaSchema = z.strictObject({
  id: KebabIdSchema,
  title: z.string().min(1),
  description: z.string().min(1),
  kind: z.enum(["record", "aggregate"]),
  fields: z.array(ExtractFieldSchema).min(1),
  roles: ExtractRolesSchema,
  /** Fields that identify a row; two rows with the same key are duplicates. */
  primaryKey: z.array(SnakeIdSchema).min(1),
  checks: z.array(RowCheckSchema).default([]),
});
export type ExtractSchema = z.output<typeof ExtractSchemaSchema>;
