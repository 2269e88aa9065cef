import { describe, expect, it } from "vitest";
import { booleanVocabulary, extract, smallAggregateSchema, smallRecordSchema } from "../test-support/small-schema.ts";
import { parseDecimal, parseInteger, parseSchoolYear } from "../values/parse-values.ts";
import { createRowValidator, lostZeros, newValidationState, validateRows } from "./validate-rows.ts";

const vocabularies = new Map([["boolean", booleanVocabulary]]);
const triples = (issues: { line: number | null; column: string | null; code: string }[]) =>
  issues.map((i) => [i.line, i.column, i.code]);

describe("parse values", () => {
  it("reads school years the ways partners write them", () => {
    for (const t of ["2023-24", "2023-2024", "2024", "SY2023-24", "2023–24", " 2023/24 "])
      expect(parseSchoolYear(t)).toBe(2024);
    expect(parseSchoolYear("1999-00")).toBe(2000);
    for (const t of ["2023-25", "24", "2023-", "twenty"]) expect(parseSchoolYear(t)).toBeNull();
  });
  it("reads numbers with thousands separators and never turns a blank into 0", () => {
    expect(parseInteger("1,059")).toBe(1059);
    expect(parseInteger(" 42 ")).toBe(42);
    expect(parseInteger("")).toBeUndefined();
    expect(parseInteger("12 students")).toBeUndefined();
    expect(parseDecimal("37.200000000000003")).toBeCloseTo(37.2);
    expect(parseDecimal("")).toBeUndefined();
  });
});

describe("validateRows", () => {
  it("types every cell and keeps ids as text with their leading zeros", () => {
    const v = createRowValidator(smallRecordSchema(), extract(), vocabularies, { file: "f.csv" });
    const { rows, issues } = validateRows(
      [{ line: 2, cells: ["000123", "2024-25", "0601", "3", "H", "Y"] }],
      v,
      newValidationState(),
    );
    expect(issues).toEqual([]);
    expect(rows[0]?.values).toEqual({
      student_id: "000123",
      school_year: 2025,
      district_id: "0601",
      grade: 3,
      race_ethnicity: "H",
      proficient: true,
    });
  });

  it("reports every bad cell of a row with line, column, value and a fix, and drops the row", () => {
    const v = createRowValidator(smallRecordSchema(), extract(), vocabularies, { file: "f.csv" });
    const { rows, issues } = validateRows(
      [{ line: 7, cells: ["", "2025", "0601", "3rd", "H", "maybe"] }],
      v,
      newValidationState(),
    );
    expect(rows).toEqual([]);
    expect(triples(issues)).toEqual([
      [7, "student_id", "required-value"],
      [7, "grade", "type-error"],
      [7, "proficient", "type-error"],
    ]);
    expect(issues[1]?.value).toBe("3rd");
    expect(issues[1]?.message).toContain("`3rd` is not a whole number");
    expect(issues[2]?.fix).toContain("yes or no");
  });

  it("reports out-of-range values and Excel-mangled ids", () => {
    const v = createRowValidator(smallRecordSchema(), extract(), vocabularies, { file: "f.csv" });
    const { issues } = validateRows(
      [{ line: 2, cells: ["1.23457E+11", "2025", "0601", "13", "H", "Y"] }],
      v,
      newValidationState(),
    );
    expect(triples(issues)).toEqual([
      [2, "grade", "out-of-range"],
      [2, "student_id", "id-mangled"],
    ]);
  });

  it("warns about an id that lost its leading zeros, and keeps the row", () => {
    const v = createRowValidator(smallRecordSchema(), extract(), vocabularies, { file: "f.csv" });
    const state = newValidationState();
    // An id before the padded ones is judged against the whole column, as one after them is.
    const ids = ["107", "000101", "000102", "000103", "101104", "105"];
    const { rows, issues } = validateRows(
      ids.map((id, i) => ({ line: i + 2, cells: [id, "2025", "0601", "3", "H", "Y"] })),
      v,
      state,
    );
    expect(rows).toHaveLength(6);
    expect(issues).toEqual([]);
    const lost = lostZeros(state, { file: "f.csv" });
    expect(triples(lost)).toEqual([
      [2, "student_id", "id-mangled"],
      [7, "student_id", "id-mangled"],
    ]);
    expect(lost[1]?.fix).toContain("`000105`");
  });

  it("counts ids that lost their zeros past the first 1,000 on the last kept", () => {
    const v = createRowValidator(smallRecordSchema(), extract(), vocabularies, { file: "f.csv" });
    const state = newValidationState();
    const ids = ["000101", "000102", "000103", ...Array.from({ length: 1500 }, (_, i) => String(200 + i))];
    validateRows(
      ids.map((id, i) => ({ line: i + 2, cells: [id, "2025", "0601", "3", "H", "Y"] })),
      v,
      state,
    );
    const lost = lostZeros(state, { file: "f.csv" });
    expect(lost).toHaveLength(1000);
    expect(lost.reduce((n, i) => n + (i.count ?? 1), 0)).toBe(1500);
    expect(lost[999]?.line).toBe(1004);
  });

  it("keeps a range or a top/bottom code as bounds, never as a number or an error", () => {
    const v = createRowValidator(smallAggregateSchema(), extract(), vocabularies, { file: "f.csv" });
    const { rows, issues } = validateRows(
      [
        { line: 2, cells: ["2025", "All", "All", "<10", "3"] },
        { line: 3, cells: ["2025", "Race", "Hispanic", "120", "GE95"] },
      ],
      v,
      newValidationState(),
    );
    expect(issues).toEqual([]);
    expect(rows[0]).toMatchObject({
      values: { total: null },
      withheld: { total: "bounded" },
      bounds: { total: { lower: 0, upper: 9 } },
    });
    expect(rows[1]?.withheld).toEqual({ met: "bounded" });
  });

  it("turns the partner's markers into withheld nulls, never 0, and checks numerator against denominator", () => {
    const v = createRowValidator(
      smallAggregateSchema(),
      extract({ schema: "small-counts", suppressed: ["*", "n<10"], notApplicable: ["N/A"] }),
      vocabularies,
      { file: "f.csv" },
    );
    const { rows, issues } = validateRows(
      [
        { line: 2, cells: ["2025", "Race", "Asian", "*", "*"] },
        { line: 3, cells: ["2025", "Race", "Black", "N<10", "n/a"] },
        { line: 4, cells: ["2025", "Race", "White", "40", "41"] },
        { line: 5, cells: ["2025", "Race", "Hispanic", "1,204", ""] },
      ],
      v,
      newValidationState(),
    );
    expect(rows.map((r) => [r.line, r.values.total, r.values.met, r.withheld])).toEqual([
      [2, null, null, { total: "suppressed", met: "suppressed" }],
      [3, null, null, { total: "suppressed", met: "not-applicable" }],
      [5, 1204, null, null],
    ]);
    expect(triples(issues)).toEqual([[4, "met", "numerator-exceeds-denominator"]]);
  });
});
