export type Race =
  | "hispanic"
  | "white"
  | "black"
  | "asian"
  | "multiracial"
  | "american_indian"
  | "pacific_islander"
  | "unknown";
export type Gender = "female" | "male" | "nonbinary";
export type Stage = "k" | "g3" | "g8" | "hs";

export interface Student {
  id: string;
  school: string;
  race: Race;
  gender: Gender;
  econ: boolean;
  el: boolean;
  swd: boolean;
  /** A child's own pull on every outcome (logit scale), so ELA and math go together. */
  ability: number;
}

/** Someone who is not a district's student (a mother, a program exiter), as the outcome model reads them. */
export function person(race: Race, gender: Gender = "female"): Student {
  return { id: "", school: "", race, gender, econ: false, el: false, swd: false, ability: 0 };
}
