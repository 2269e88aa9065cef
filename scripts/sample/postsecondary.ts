import { writeCsv } from "../../pipeline/csv/write-csv.ts";
import type { DistrictPlan } from "./district-plans.ts";
import type { DistrictYear } from "./district-year.ts";
import { drawStudents, StudentIds } from "./draw-students.ts";
import { COMPLETION, drawOutcomes, ENROLLMENT } from "./outcomes.ts";
import { fork } from "./random.ts";
import type { Student } from "./student.ts";
import { DEMOGRAPHIC_FIELDS, demographics, yn } from "./student-columns.ts";
import { schoolYear } from "./years.ts";

/**
 * Pathways tracks every graduate of both districts: this spring's graduates (the graduation cohort
 * files' own students) for fall enrollment, and graduates of six years ago for a credential.
 */
export function writePostsecondary(
  year: number,
  districts: readonly [DistrictPlan, DistrictYear][],
  seed: number,
): string {
  const rng = fork(seed, `pathways-college-access/${year}`);
  const rows: string[][] = [];
  for (const [plan, d] of districts) {
    const graduates = d.cohort.filter((c) => c.graduated).map((c) => c.student);
    const enrolled = drawOutcomes(graduates, ENROLLMENT, year, 0, rng, false);
    const ids = new StudentIds(
      fork(seed, `pathways-college-access/${year}/${plan.code}/class-of-${year - 6}`),
      plan.idPrefix,
    );
    const older = drawStudents(plan, "hs", Math.round(graduates.length * 0.97), ids, rng);
    const completed = drawOutcomes(older, COMPLETION, year, 0, rng, false);
    const line = (s: Student, tracking: string, e: string, c: string) => [
      s.id,
      schoolYear(year),
      plan.abbreviation,
      s.school,
      tracking,
      ...demographics(s),
      e,
      c,
    ];
    rows.push(
      ...graduates.map((s, i) => line(s, "Enrollment", yn(enrolled[i]!), "")),
      ...older.map((s, i) => line(s, "Completion", "", yn(completed[i]!))),
    );
  }
  return writeCsv(
    [
      "student_id",
      "report_year",
      "district_id",
      "school_id",
      "tracking",
      ...DEMOGRAPHIC_FIELDS,
      "enrolled",
      "completed",
    ],
    rows,
  );
}
