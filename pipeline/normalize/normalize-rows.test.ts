import { describe, expect, it } from "vitest";
import { ConfigSchema, PartnerSchema, VocabularySchema } from "../../schemas/index.ts";
import { smallAggregateSchema, smallRecordSchema } from "../test-support/small-schema.ts";
import { createNormalizer, normalizeRows } from "./normalize-rows.ts";

const config = ConfigSchema.parse({
  partnership: { name: "P", introduction: "I" },
  community: { id: "town", name: "Town" },
  districts: [{ id: "north", name: "North Unified", codes: ["0601"] }],
});
const partner = PartnerSchema.parse({
  id: "north-usd",
  name: "North",
  kind: "school-district",
  extracts: [{ schema: "small-records", files: "*.csv" }],
});
const vocab = (id: string, groups: [string, string, string[]][]) =>
  VocabularySchema.parse({ id, title: id, groups: groups.map(([code, label, aliases]) => ({ code, label, aliases })) });
const vocabularies = new Map([
  [
    "race_ethnicity",
    vocab("race_ethnicity", [
      ["asian", "Asian", ["A"]],
      ["hispanic", "Hispanic or Latino", ["H", "Latino"]],
      ["white", "White", ["W"]],
    ]),
  ],
  [
    "dimension",
    vocab("dimension", [
      ["all", "All students", ["Total", "All"]],
      ["race_ethnicity", "Race/ethnicity", ["Race"]],
    ]),
  ],
]);
const triples = (issues: { line: number | null; column: string | null; code: string }[]) =>
  issues.map((i) => [i.line, i.column, i.code]);

describe("normalizeRows", () => {
  it("maps partner codes to canonical ones and district codes to the partnership's districts", () => {
    const n = createNormalizer(smallRecordSchema(), partner, config, vocabularies, { file: "f.csv" }, 2025);
    const { rows, issues } = normalizeRows(
      [
        {
          line: 2,
          values: {
            student_id: "1",
            school_year: 2025,
            district_id: "0601",
            grade: 3,
            race_ethnicity: "latino",
            proficient: true,
          },
          withheld: null,
          bounds: null,
          raw: [],
        },
      ],
      n,
    );
    expect(issues).toEqual([]);
    expect(rows[0]).toMatchObject({ year: 2025, district: "north", values: { race_ethnicity: "hispanic" } });
  });

  it("leaves out rows with an unknown code or district, suggesting the nearest code", () => {
    const n = createNormalizer(smallRecordSchema(), partner, config, vocabularies, { file: "f.csv" }, 2025);
    const { rows, issues } = normalizeRows(
      [
        {
          line: 2,
          values: {
            student_id: "1",
            school_year: 2025,
            district_id: "0601",
            grade: 3,
            race_ethnicity: "Asain",
            proficient: true,
          },
          withheld: null,
          bounds: null,
          raw: [],
        },
        {
          line: 3,
          values: {
            student_id: "2",
            school_year: 2025,
            district_id: "0699",
            grade: 3,
            race_ethnicity: "W",
            proficient: true,
          },
          withheld: null,
          bounds: null,
          raw: [],
        },
      ],
      n,
    );
    expect(rows).toEqual([]);
    expect(triples(issues)).toEqual([
      [2, "race_ethnicity", "unknown-code"],
      [3, "district_id", "unknown-geography"],
    ]);
    expect(issues[0]?.fix).toContain("Did you mean `Asian`?");
  });

  it("leaves out a row whose year is not its folder's, quoting the year as written", () => {
    const n = createNormalizer(smallRecordSchema(), partner, config, vocabularies, { file: "f.csv" }, 2025);
    const { rows, issues } = normalizeRows(
      [
        {
          line: 2,
          values: {
            student_id: "1",
            school_year: 2024,
            district_id: "0601",
            grade: 3,
            race_ethnicity: "A",
            proficient: true,
          },
          withheld: null,
          bounds: null,
          raw: ["1", "2023-24", "0601", "3", "A", "Y"],
        },
      ],
      n,
    );
    expect(rows).toHaveLength(0);
    expect(triples(issues)).toEqual([[2, "school_year", "year-mismatch"]]);
    expect(issues[0]?.message).toContain("`2023-24`");
  });

  it("resolves an aggregate row's group within its dimension, and total rows to all/all", () => {
    const n = createNormalizer(
      smallAggregateSchema(),
      { ...partner, district: "north" },
      config,
      vocabularies,
      { file: "f.csv" },
      2025,
    );
    const { rows } = normalizeRows(
      [
        {
          line: 2,
          values: { year: 2025, group_type: "race_ethnicity", group: "Latino", total: 40, met: 20 },
          withheld: null,
          bounds: null,
          raw: [],
        },
        {
          line: 3,
          values: { year: 2025, group_type: "all", group: "All Students", total: 90, met: 45 },
          withheld: null,
          bounds: null,
          raw: [],
        },
      ],
      n,
    );
    expect(rows.map((r) => [r.dimension, r.group, r.district])).toEqual([
      ["race_ethnicity", "hispanic", "north"],
      ["all", "all", "north"],
    ]);
  });

  it("finds exact repeats and conflicting rows with the same key, across chunks, on canonical codes", () => {
    const n = createNormalizer(smallRecordSchema(), partner, config, vocabularies, { file: "f.csv" }, 2025);
    const row = (line: number, race: string, proficient: boolean) => ({
      line,
      values: { student_id: "1", school_year: 2025, district_id: "0601", grade: 3, race_ethnicity: race, proficient },
      withheld: null,
      bounds: null,
      raw: ["1", "2025", "0601", "3", race, proficient ? "Y" : "N"],
    });
    const first = normalizeRows([row(2, "H", true)], n);
    // `Hispanic` is the same code as `H`: line 3 repeats line 2; line 4 has the same key and another outcome.
    const second = normalizeRows([row(3, "Hispanic", true), row(4, "H", false)], n);
    expect(first.rows).toHaveLength(1);
    expect(second.rows).toEqual([]);
    expect(triples(second.issues)).toEqual([
      [3, null, "duplicate-row"],
      [4, "student_id, school_year", "duplicate-key"],
    ]);
  });
});
