import {
  type ExtractSchema,
  ExtractSchemaSchema,
  type PartnerExtract,
  PartnerExtractSchema,
  type Vocabulary,
  VocabularySchema,
} from "../../schemas/index.ts";

/** A small record-level schema for unit tests: id, year, district, grade, race, a yes/no outcome. */
export function smallRecordSchema(): ExtractSchema {
  return ExtractSchemaSchema.parse({
    id: "small-records",
    title: "Small records",
    description: "A record-level schema for tests.",
    kind: "record",
    fields: [
      {
        name: "student_id",
        title: "Student ID",
        description: "id",
        type: "id",
        required: true,
        allowBlank: false,
        example: "001",
      },
      {
        name: "school_year",
        title: "School year",
        description: "year",
        type: "year",
        required: true,
        allowBlank: false,
        aliases: ["year"],
        example: "2024-25",
      },
      {
        name: "district_id",
        title: "District",
        description: "district",
        type: "id",
        required: true,
        allowBlank: false,
        example: "0601",
      },
      {
        name: "grade",
        title: "Grade",
        description: "grade",
        type: "integer",
        required: true,
        allowBlank: false,
        minimum: 0,
        maximum: 12,
        example: "3",
      },
      {
        name: "race_ethnicity",
        title: "Race",
        description: "race",
        type: "code",
        vocabulary: "race_ethnicity",
        aliases: ["race"],
        example: "H",
      },
      {
        name: "proficient",
        title: "Proficient",
        description: "outcome",
        type: "boolean",
        required: true,
        example: "Y",
      },
    ],
    roles: {
      year: "school_year",
      district: "district_id",
      recordId: "student_id",
      dimensions: { race_ethnicity: "race_ethnicity" },
    },
    primaryKey: ["student_id", "school_year"],
  });
}

/** A small aggregate schema for unit tests: year, group type, group, met and total counts. */
export function smallAggregateSchema(): ExtractSchema {
  return ExtractSchemaSchema.parse({
    id: "small-counts",
    title: "Small counts",
    description: "An aggregate schema for tests.",
    kind: "aggregate",
    fields: [
      {
        name: "year",
        title: "Year",
        description: "year",
        type: "year",
        required: true,
        allowBlank: false,
        example: "2025",
      },
      {
        name: "group_type",
        title: "Group type",
        description: "dimension",
        type: "code",
        vocabulary: "dimension",
        required: true,
        allowBlank: false,
        example: "Race",
      },
      {
        name: "group",
        title: "Group",
        description: "group",
        type: "text",
        required: true,
        allowBlank: false,
        example: "Black",
      },
      { name: "total", title: "Total", description: "denominator", type: "count", required: true, example: "40" },
      { name: "met", title: "Met", description: "numerator", type: "count", required: true, example: "20" },
    ],
    roles: { year: "year", groupDimension: "group_type", group: "group" },
    primaryKey: ["year", "group_type", "group"],
    checks: [{ type: "not-greater", field: "met", limit: "total" }],
  });
}

export function extract(overrides: Partial<PartnerExtract> = {}): PartnerExtract {
  return PartnerExtractSchema.parse({ schema: "small-records", files: "*.csv", ...overrides });
}

export const booleanVocabulary: Vocabulary = VocabularySchema.parse({
  id: "boolean",
  title: "Yes or no",
  groups: [
    { code: "yes", label: "Yes", aliases: ["Y", "1", "true"] },
    { code: "no", label: "No", aliases: ["N", "0", "false"] },
  ],
});
