import { writeCsv } from "../../pipeline/csv/write-csv.ts";
import type { DistrictPlan } from "./district-plans.ts";
import type { DistrictYear } from "./district-year.ts";
import { DEMOGRAPHIC_FIELDS, demographics, yn } from "./student-columns.ts";
import { schoolYear } from "./years.ts";

/** Riverside's record-level extracts: one row per child, as the district's own systems export them. */

export function writeKindergarten(d: DistrictYear, plan: DistrictPlan, year: number): string {
  return writeCsv(
    ["student_id", "school_year", "district_id", "school_id", ...DEMOGRAPHIC_FIELDS, "assessed", "ready"],
    d.kindergarten.map(({ student: s, assessed, ready }) => [
      s.id,
      schoolYear(year),
      plan.code,
      s.school,
      ...demographics(s),
      yn(assessed),
      assessed ? yn(ready) : "",
    ]),
  );
}

export function writeAssessment(d: DistrictYear, plan: DistrictPlan, year: number): string {
  return writeCsv(
    [
      "student_id",
      "school_year",
      "district_id",
      "school_id",
      "grade",
      "subject",
      ...DEMOGRAPHIC_FIELDS,
      "tested",
      "proficient",
    ],
    d.assessment.map(({ student: s, grade, subject, tested, proficient }) => [
      s.id,
      schoolYear(year),
      plan.code,
      s.school,
      String(grade),
      subject,
      ...demographics(s),
      yn(tested),
      tested ? yn(proficient) : "",
    ]),
  );
}

export function writeGraduationCohort(d: DistrictYear, plan: DistrictPlan, year: number): string {
  return writeCsv(
    ["student_id", "cohort_year", "district_id", "school_id", ...DEMOGRAPHIC_FIELDS, "graduated"],
    d.cohort.map(({ student: s, graduated }) => [
      s.id,
      schoolYear(year),
      plan.code,
      s.school,
      ...demographics(s),
      yn(graduated),
    ]),
  );
}
