import type { DistrictPlan } from "./district-plans.ts";
import { drawStudents, gradeSize, StudentIds } from "./draw-students.ts";
import { drawOutcomes, G3_MATH, G3_READING, G8_MATH, G8_READING, GRADUATION, K_READINESS } from "./outcomes.ts";
import { fork } from "./random.ts";
import type { Student } from "./student.ts";

/** Everything one district's children did in one year, before it is written as files. */
export interface DistrictYear {
  kindergarten: { student: Student; assessed: boolean; ready: boolean }[];
  assessment: { student: Student; grade: number; subject: "ELA" | "Math"; tested: boolean; proficient: boolean }[];
  cohort: { student: Student; graduated: boolean }[];
}

export function simulateDistrictYear(plan: DistrictPlan, year: number, seed: number, label: string): DistrictYear {
  const rng = fork(seed, `${label}/${year}`);
  const ids = new StudentIds(rng, plan.idPrefix);
  const participation = year === 2021 ? 0.89 : year === 2022 ? 0.95 : 0.97;

  const kids = drawStudents(plan, "k", gradeSize(plan.size.k, year, rng), ids, rng);
  const ready = drawOutcomes(kids, K_READINESS, year, plan.offset.k, rng, false);
  const kindergarten = kids.map((student, i) => {
    const assessed = rng.chance(participation + 0.01);
    return { student, assessed, ready: assessed && ready[i]! };
  });

  const assessment: DistrictYear["assessment"] = [];
  for (const [stage, grade, models] of [
    ["g3", 3, [G3_READING, G3_MATH]],
    ["g8", 8, [G8_READING, G8_MATH]],
  ] as const) {
    const students = drawStudents(plan, stage, gradeSize(plan.size[stage], year, rng), ids, rng);
    const ela = drawOutcomes(students, models[0], year, plan.offset[stage], rng);
    const math = drawOutcomes(students, models[1], year, plan.offset[stage], rng);
    students.forEach((student, i) => {
      const tested = rng.chance(participation);
      assessment.push({ student, grade, subject: "ELA", tested, proficient: tested && ela[i]! });
      const testedMath = tested || rng.chance(0.3);
      assessment.push({ student, grade, subject: "Math", tested: testedMath, proficient: testedMath && math[i]! });
    });
  }

  const seniors = drawStudents(plan, "hs", gradeSize(plan.size.hs, year, rng), ids, rng);
  const graduated = drawOutcomes(seniors, GRADUATION, year, plan.offset.hs, rng, false);
  const cohort = seniors.map((student, i) => ({ student, graduated: graduated[i]! }));
  return { kindergarten, assessment, cohort };
}
