import type { Gender, Race, Student } from "./student.ts";

/** A student's demographic cells, as both districts' records and Pathways' write them. */

const RACE_CODES: Record<Race, string> = {
  hispanic: "HI",
  white: "WH",
  black: "BL",
  asian: "AS",
  multiracial: "MR",
  american_indian: "AI",
  pacific_islander: "PI",
  unknown: "UNK",
};
const GENDER_CODES: Record<Gender, string> = { female: "F", male: "M", nonbinary: "X" };
export const yn = (b: boolean) => (b ? "Y" : "N");

export function demographics(s: Student): string[] {
  return [RACE_CODES[s.race], GENDER_CODES[s.gender], yn(s.econ), yn(s.el), yn(s.swd)];
}

export const DEMOGRAPHIC_FIELDS = [
  "race_ethnicity",
  "gender",
  "economic_disadvantage",
  "english_learner",
  "disability",
];
