import type { IssueCode } from "../../pipeline/issues/catalogue.ts";
import { OUTCOME_COUNT_HEADER, SUPPRESSION_MARKER } from "./outcome-counts.ts";

/** The one file with deliberate mistakes, relative to the fixture. */
export const BROKEN_FILE = "data/2025/cedar-hills-sd/outcome-counts-2025.csv";

/** One deliberate mistake in the broken file: where it is and the issue c2c should raise. */
export interface SampleMistake {
  line: number;
  code: IssueCode;
  description: string;
}

/**
 * Plants the deliberate mistakes in Cedar Hills' 2025 rows: one row for each kind of problem a
 * partner report shows. Returns the rows with each mistake's line (the header is line 1).
 */
export function plantMistakes(rows: string[][]): { rows: string[][]; mistakes: SampleMistake[] } {
  const column = (name: (typeof OUTCOME_COUNT_HEADER)[number]) => OUTCOME_COUNT_HEADER.indexOf(name);
  const [YEAR, DISTRICT, SCHOOL, MEASURE, GROUP, TOTAL, MET] = [
    column("school_year"),
    column("district_id"),
    column("school_id"),
    column("measure"),
    column("student_group"),
    column("total_count"),
    column("met_count"),
  ];
  const find = (measure: string, school: string, group: string) => {
    const row = rows.find((r) => r[MEASURE] === measure && r[SCHOOL] === school && r[GROUP] === group);
    if (!row) throw new Error(`no row for ${measure} / ${school || "district"} / ${group}`);
    return row;
  };
  const planted: { row: string[]; code: IssueCode; description: string }[] = [];
  const plant = (row: string[], code: IssueCode, description: string) => planted.push({ row, code, description });

  const white = find("Kindergarten Readiness", "", "White");
  const copy = [...white];
  rows.splice(rows.indexOf(white) + 1, 0, copy);
  plant(copy, "duplicate-row", "the district's kindergarten readiness row for White students, pasted twice");

  const swapped = find("Kindergarten Readiness", "102", "All Students");
  if (swapped[MET] === SUPPRESSION_MARKER) throw new Error("school 102's kindergarten row is too small to swap");
  [swapped[TOTAL], swapped[MET]] = [swapped[MET]!, swapped[TOTAL]!];
  plant(
    swapped,
    "numerator-exceeds-denominator",
    `school 102's kindergarten readiness counts swapped: met_count ${swapped[MET]} is larger than total_count ${swapped[TOTAL]}`,
  );

  const typo = find("Grade 3 Reading", "101", "Economically Disadvantaged");
  typo[GROUP] = "Economicaly Disadvantaged";
  plant(typo, "unknown-code", "the group label `Economicaly Disadvantaged` (a typo of Economically Disadvantaged)");

  const lastYear = find("Grade 3 Reading", "102", "Not English Learner");
  lastYear[YEAR] = "2023-24";
  plant(
    lastYear,
    "year-mismatch",
    "a row with school_year `2023-24` in the 2025 file; the row is left out, since a 2024 figure does not belong in the 2025 file",
  );

  const letters = find("Grade 8 Math", "201", "Female");
  if (letters[MET] === SUPPRESSION_MARKER) throw new Error("school 201's grade 8 row is too small");
  letters[MET] = `${letters[MET]}a`;
  plant(letters, "type-error", `the count \`${letters[MET]}\` in met_count, which is not a number`);

  const district = find("4-Year Graduation", "201", "Hispanic");
  district[DISTRICT] = "CHDS";
  plant(district, "unknown-geography", "the district code `CHDS` (a typo of CHSD), which is not in c2c.config.yaml");

  const mistakes = planted
    .map(({ row, code, description }) => ({ line: rows.indexOf(row) + 2, code, description }))
    .sort((a, b) => a.line - b.line);
  return { rows, mistakes };
}
