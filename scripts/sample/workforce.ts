import { writeCsv } from "../../pipeline/csv/write-csv.ts";
import { drawOutcomes, EMPLOYMENT } from "./outcomes.ts";
import { fork } from "./random.ts";
import { person, type Race, type Student } from "./student.ts";
import { schoolYear, YEARS } from "./years.ts";

const WORKFORCE_RACES: readonly (readonly [Race, string, number])[] = [
  ["hispanic", "Hispanic", 40],
  ["white", "White", 25],
  ["black", "Black", 22],
  ["multiracial", "Two or more races", 5.5],
  ["asian", "Asian", 4.5],
  ["american_indian", "American Indian", 2.5],
];

/** River Valley Works' program exiters and those employed in the second quarter after exit, by group. */
export function writeWorkforce(year: number, seed: number): string {
  const rng = fork(seed, `river-valley-works/${year}`);
  const races = WORKFORCE_RACES.map(([race, , w]) => [race, w] as const);
  const exiters = Array.from({ length: 290 + 8 * (year - YEARS[0]) + rng.int(-15, 15) }, () =>
    person(rng.pick(races), rng.chance(0.52) ? "female" : "male"),
  );
  const employed = drawOutcomes(exiters, EMPLOYMENT, year, 0, rng, false);
  const row = (type: string, label: string, member: (p: Student) => boolean) => {
    const who = exiters.map((_, i) => i).filter((i) => member(exiters[i]!));
    return [schoolYear(year), type, label, String(who.length), String(who.filter((i) => employed[i]).length)];
  };
  return writeCsv(
    ["program_year", "group_type", "group", "exiters", "employed_q2"],
    [
      row("All Participants", "All", () => true),
      ...WORKFORCE_RACES.map(([race, label]) => row("Race/Ethnicity", label, (p) => p.race === race)),
      row("Gender", "Female", (p) => p.gender === "female"),
      row("Gender", "Male", (p) => p.gender === "male"),
    ],
  );
}
