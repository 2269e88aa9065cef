import { writeCsv } from "../../pipeline/csv/write-csv.ts";
import { drawOutcomes, EARLY_PRENATAL_CARE, LOW_BIRTH_WEIGHT } from "./outcomes.ts";
import { fork } from "./random.ts";
import { person, type Race } from "./student.ts";
import { YEARS } from "./years.ts";

const BIRTH_LABELS: readonly (readonly [Race, string, number])[] = [
  ["hispanic", "Hispanic or Latino", 36],
  ["white", "White", 37],
  ["black", "Black or African American", 15],
  ["asian", "Asian", 7],
  ["multiracial", "Two or more races", 3],
  ["american_indian", "American Indian or Alaska Native", 1],
  ["unknown", "Other/Unknown", 1],
];

/** River Valley Health's births in a calendar year, in total and by the mother's race/ethnicity. */
export function writeBirthOutcomes(year: number, seed: number): string {
  const rng = fork(seed, `river-valley-health/${year}`);
  const births = Math.round(2050 - 15 * (year - YEARS[0]) + rng.int(-25, 25));
  const races = BIRTH_LABELS.map(([race, , w]) => [race, w] as const);
  const mothers = Array.from({ length: births }, () => person(rng.pick(races)));
  const low = drawOutcomes(mothers, LOW_BIRTH_WEIGHT, year, 0, rng, false);
  const early = drawOutcomes(mothers, EARLY_PRENATAL_CARE, year, 0, rng, false);
  const row = (label: string, member: (i: number) => boolean) => {
    const who = mothers.map((_, i) => i).filter(member);
    return [
      String(year),
      label,
      String(who.length),
      String(who.filter((i) => low[i]).length),
      String(who.filter((i) => early[i]).length),
    ];
  };
  return writeCsv(
    ["year", "mother_race_ethnicity", "live_births", "low_birth_weight", "early_prenatal_care"],
    [row("Total", () => true), ...BIRTH_LABELS.map(([race, label]) => row(label, (i) => mothers[i]!.race === race))],
  );
}
