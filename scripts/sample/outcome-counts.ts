import type { DistrictPlan } from "./district-plans.ts";
import type { DistrictYear } from "./district-year.ts";
import type { Student } from "./student.ts";
import { schoolYear } from "./years.ts";

/** Cedar Hills sends the same outcomes as counts, by school and student group, with its own suppression. */

const GROUP_ROWS: readonly { type: string; group: string; member: (s: Student) => boolean }[] = [
  { type: "All Students", group: "All Students", member: () => true },
  { type: "Race/Ethnicity", group: "Hispanic", member: (s) => s.race === "hispanic" },
  { type: "Race/Ethnicity", group: "White", member: (s) => s.race === "white" },
  { type: "Race/Ethnicity", group: "Black", member: (s) => s.race === "black" },
  { type: "Race/Ethnicity", group: "Asian", member: (s) => s.race === "asian" },
  { type: "Race/Ethnicity", group: "Two or More Races", member: (s) => s.race === "multiracial" },
  { type: "Race/Ethnicity", group: "American Indian", member: (s) => s.race === "american_indian" },
  { type: "Gender", group: "Female", member: (s) => s.gender === "female" },
  { type: "Gender", group: "Male", member: (s) => s.gender === "male" },
  { type: "Economically Disadvantaged", group: "Economically Disadvantaged", member: (s) => s.econ },
  { type: "Economically Disadvantaged", group: "Not Economically Disadvantaged", member: (s) => !s.econ },
  { type: "English Learner", group: "English Learner", member: (s) => s.el },
  { type: "English Learner", group: "Not English Learner", member: (s) => !s.el },
  { type: "Students with Disabilities", group: "Students with Disabilities", member: (s) => s.swd },
  { type: "Students with Disabilities", group: "Students without Disabilities", member: (s) => !s.swd },
];

/** Cedar Hills withholds every count under 10 with `*`. */
export const SUPPRESSION_MARKER = "*";
const CEDAR_HILLS_MINIMUM = 10;

type Counted = { student: Student; met: boolean }[];

function countedByMeasure(d: DistrictYear): [string, Counted][] {
  const tested = (grade: number, subject: string) =>
    d.assessment
      .filter((a) => a.grade === grade && a.subject === subject && a.tested)
      .map((a) => ({ student: a.student, met: a.proficient }));
  return [
    [
      "Kindergarten Readiness",
      d.kindergarten.filter((k) => k.assessed).map((k) => ({ student: k.student, met: k.ready })),
    ],
    ["Grade 3 Reading", tested(3, "ELA")],
    ["Grade 8 Math", tested(8, "Math")],
    ["4-Year Graduation", d.cohort.map((c) => ({ student: c.student, met: c.graduated }))],
  ];
}

export function outcomeCountRows(d: DistrictYear, plan: DistrictPlan, year: number): string[][] {
  const count = (n: number) => (n < CEDAR_HILLS_MINIMUM ? SUPPRESSION_MARKER : String(n));
  const rows: string[][] = [];
  for (const [measure, counted] of countedByMeasure(d)) {
    const schools = [...new Set(counted.map((c) => c.student.school))].sort();
    for (const school of ["", ...schools]) {
      const here = counted.filter((c) => school === "" || c.student.school === school);
      for (const g of GROUP_ROWS) {
        const members = here.filter((c) => g.member(c.student));
        const met = members.filter((c) => c.met).length;
        rows.push([schoolYear(year), plan.code, school, measure, g.type, g.group, count(members.length), count(met)]);
      }
    }
  }
  return rows;
}

export const OUTCOME_COUNT_HEADER = [
  "school_year",
  "district_id",
  "school_id",
  "measure",
  "student_group_type",
  "student_group",
  "total_count",
  "met_count",
] as const;
