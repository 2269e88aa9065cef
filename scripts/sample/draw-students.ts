import type { DistrictPlan } from "./district-plans.ts";
import { logit, sigmoid } from "./outcomes.ts";
import type { Random } from "./random.ts";
import type { Gender, Stage, Student } from "./student.ts";
import { YEARS } from "./years.ts";

const EL_BY_STAGE: Record<Stage, number> = { k: 1, g3: 0.8, g8: 0.45, hs: 0.3 };
const SWD_BY_STAGE: Record<Stage, number> = { k: 0.08, g3: 0.13, g8: 0.14, hs: 0.12 };

/** Hands out a district's student ids: nine digits with leading zeros, never the same twice. */
export class StudentIds {
  private readonly used = new Set<string>();
  constructor(
    private readonly rng: Random,
    private readonly prefix: string,
  ) {}
  next(): string {
    for (;;) {
      const id = `${this.prefix}${String(this.rng.int(0, 9_999_999)).padStart(7, "0")}`;
      if (!this.used.has(id)) {
        this.used.add(id);
        return id;
      }
    }
  }
}

export function drawStudents(plan: DistrictPlan, stage: Stage, count: number, ids: StudentIds, rng: Random): Student[] {
  const students: Student[] = [];
  for (let i = 0; i < count; i++) {
    const school = rng.pick(plan.schools[stage]);
    const race = rng.pick(plan.race);
    const econ = rng.chance(sigmoid(logit(plan.econ[race]) + (plan.schoolEcon[school] ?? 0)));
    const older = stage === "g8" || stage === "hs";
    const gender: Gender = older && rng.chance(0.004) ? "nonbinary" : rng.chance(0.49) ? "female" : "male";
    students.push({
      id: ids.next(),
      school,
      race,
      gender,
      econ,
      el: rng.chance((plan.el[race] ?? 0.01) * EL_BY_STAGE[stage]),
      swd: rng.chance(SWD_BY_STAGE[stage] * (econ ? 1.15 : 0.85)),
      ability: rng.normal() * 0.5,
    });
  }
  return students.sort((a, b) => a.school.localeCompare(b.school) || a.id.localeCompare(b.id));
}

/** This year's count for a grade: a slow drift plus a wobble. */
export function gradeSize(base: number, year: number, rng: Random): number {
  return Math.round(base * (1 - 0.006 * (year - YEARS[0])) + rng.int(-18, 18));
}
