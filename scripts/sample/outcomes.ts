import type { Random } from "./random.ts";
import type { Gender, Race, Student } from "./student.ts";
import { YEARS } from "./years.ts";

/** How a group shifts an outcome, on the logit scale, before the gaps narrow. */
export interface OutcomeModel {
  /** The overall rate in 2021 and 2025; years between lie on the line, with a little noise. */
  from: number;
  to: number;
  race?: Partial<Record<Race, number>>;
  econ?: number;
  el?: number;
  swd?: number;
  gender?: Partial<Record<Gender, number>>;
}

export const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
export const logit = (p: number) => Math.log(p / (1 - p));

function effectOf(model: OutcomeModel, s: Student): number {
  return (
    (model.race?.[s.race] ?? 0) +
    (s.econ ? (model.econ ?? 0) : 0) +
    (s.el ? (model.el ?? 0) : 0) +
    (s.swd ? (model.swd ?? 0) : 0) +
    (model.gender?.[s.gender] ?? 0)
  );
}

/** The intercept that makes the mean of sigmoid(a + effect) equal the target (bisection). */
function solveIntercept(effects: readonly number[], target: number): number {
  let lo = -10;
  let hi = 10;
  for (let i = 0; i < 50; i++) {
    const mid = (lo + hi) / 2;
    const mean = effects.reduce((s, e) => s + sigmoid(mid + e), 0) / Math.max(1, effects.length);
    if (mean < target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** The year's target rate: on the line from 2021 to 2025, nudged by noise and the district's offset. */
function targetRate(model: OutcomeModel, year: number, offset: number, rng: Random): number {
  const t = (year - YEARS[0]) / (YEARS[YEARS.length - 1]! - YEARS[0]);
  return model.from + (model.to - model.from) * t + offset + rng.normal() * 0.006;
}

/**
 * Draws one outcome per student: the overall rate follows the model's trend, groups keep their
 * gaps, and the gaps narrow by about 4% of their size a year.
 */
export function drawOutcomes(
  students: readonly Student[],
  model: OutcomeModel,
  year: number,
  offset: number,
  rng: Random,
  withAbility = true,
): boolean[] {
  const shrink = 1 - 0.04 * (year - YEARS[0]);
  const effects = students.map((s) => shrink * effectOf(model, s) + (withAbility ? s.ability : 0));
  const a = solveIntercept(effects, targetRate(model, year, offset, rng));
  return effects.map((e) => rng.chance(sigmoid(a + e)));
}

export const K_READINESS: OutcomeModel = {
  from: 0.46,
  to: 0.52,
  race: { white: 0.25, asian: 0.3, multiracial: 0.1, hispanic: -0.2, black: -0.3, american_indian: -0.35 },
  econ: -0.7,
  el: -0.6,
  swd: -0.9,
  gender: { female: 0.2 },
};
export const G3_READING: OutcomeModel = {
  from: 0.4,
  to: 0.48,
  race: { white: 0.35, asian: 0.45, multiracial: 0.1, hispanic: -0.25, black: -0.45, american_indian: -0.5 },
  econ: -0.8,
  el: -1.0,
  swd: -1.2,
  gender: { female: 0.15 },
};
export const G3_MATH: OutcomeModel = { ...G3_READING, from: 0.43, to: 0.5, el: -0.7, gender: {} };
export const G8_READING: OutcomeModel = { ...G3_READING, from: 0.41, to: 0.46 };
export const G8_MATH: OutcomeModel = {
  from: 0.25,
  to: 0.33,
  race: { white: 0.4, asian: 0.6, multiracial: 0.1, hispanic: -0.3, black: -0.55, american_indian: -0.5 },
  econ: -0.8,
  el: -1.1,
  swd: -1.3,
};
export const GRADUATION: OutcomeModel = {
  from: 0.82,
  to: 0.875,
  race: { white: 0.3, asian: 0.5, hispanic: -0.15, black: -0.35, american_indian: -0.5, pacific_islander: -0.2 },
  econ: -0.6,
  el: -0.5,
  swd: -0.9,
  gender: { female: 0.3, male: -0.1 },
};
export const ENROLLMENT: OutcomeModel = {
  from: 0.55,
  to: 0.62,
  race: { asian: 0.6, white: 0.2, hispanic: -0.2, black: -0.25, american_indian: -0.4 },
  econ: -0.7,
  el: -0.3,
  swd: -0.7,
  gender: { female: 0.35 },
};
export const COMPLETION: OutcomeModel = {
  from: 0.35,
  to: 0.43,
  race: { asian: 0.6, white: 0.35, hispanic: -0.35, black: -0.5, american_indian: -0.6 },
  econ: -0.9,
  el: -0.3,
  swd: -0.8,
  gender: { female: 0.3 },
};
export const EMPLOYMENT: OutcomeModel = {
  from: 0.61,
  to: 0.67,
  race: { white: 0.25, asian: 0.2, black: -0.35, american_indian: -0.3 },
  gender: { female: -0.05 },
};
export const LOW_BIRTH_WEIGHT: OutcomeModel = {
  from: 0.087,
  to: 0.077,
  race: { black: 0.65, american_indian: 0.25, asian: 0.1, white: -0.15, hispanic: -0.05 },
};
export const EARLY_PRENATAL_CARE: OutcomeModel = {
  from: 0.7,
  to: 0.77,
  race: { white: 0.45, asian: 0.35, multiracial: 0.1, hispanic: -0.3, black: -0.45, american_indian: -0.6 },
};
