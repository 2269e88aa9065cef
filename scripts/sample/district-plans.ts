import type { Race, Stage } from "./student.ts";

export interface DistrictPlan {
  /** The district code the partner writes. */
  code: string;
  /** The code other partners write for the district. */
  abbreviation: string;
  /** How its student ids start, so two districts' ids never meet in one file. */
  idPrefix: string;
  schools: Record<Stage, readonly (readonly [string, number])[]>;
  /** Each school's pull on the share of economically disadvantaged children (logit). */
  schoolEcon: Readonly<Record<string, number>>;
  /** Children per grade, before the year's wobble. */
  size: Record<Stage, number>;
  race: readonly (readonly [Race, number])[];
  /** Economically disadvantaged, by race. */
  econ: Readonly<Record<Race, number>>;
  /** English learners in kindergarten, by race; fewer in later grades as children reach proficiency. */
  el: Partial<Record<Race, number>>;
  /** The district's difference from the community's rates, by stage. */
  offset: Record<Stage, number>;
}

export const RIVERSIDE: DistrictPlan = {
  code: "0601",
  abbreviation: "RUSD",
  idPrefix: "00",
  schools: {
    k: [
      ["014", 0.28],
      ["022", 0.26],
      ["037", 0.24],
      ["045", 0.22],
    ],
    g3: [
      ["014", 0.28],
      ["022", 0.26],
      ["037", 0.24],
      ["045", 0.22],
    ],
    g8: [["061", 1]],
    hs: [["082", 1]],
  },
  schoolEcon: { "014": 0.6, "022": -0.4, "037": 0.2, "045": -0.5, "061": 0, "082": 0 },
  size: { k: 760, g3: 790, g8: 810, hs: 840 },
  race: [
    ["hispanic", 38],
    ["white", 30],
    ["black", 14],
    ["asian", 8],
    ["multiracial", 6.5],
    ["american_indian", 1.3],
    ["pacific_islander", 0.7],
    ["unknown", 1.5],
  ],
  econ: {
    hispanic: 0.7,
    white: 0.35,
    black: 0.7,
    asian: 0.35,
    multiracial: 0.5,
    american_indian: 0.72,
    pacific_islander: 0.6,
    unknown: 0.5,
  },
  el: { hispanic: 0.45, asian: 0.35, pacific_islander: 0.2, unknown: 0.1, white: 0.02, black: 0.04 },
  offset: { k: 0, g3: 0, g8: 0, hs: 0 },
};

export const CEDAR_HILLS: DistrictPlan = {
  code: "CHSD",
  abbreviation: "CHSD",
  idPrefix: "08",
  schools: {
    k: [
      ["101", 0.55],
      ["102", 0.45],
    ],
    g3: [
      ["101", 0.55],
      ["102", 0.45],
    ],
    g8: [["201", 1]],
    hs: [["201", 1]],
  },
  schoolEcon: { "101": 0.3, "102": -0.3, "201": 0 },
  size: { k: 240, g3: 250, g8: 255, hs: 235 },
  race: [
    ["white", 56],
    ["hispanic", 25],
    ["multiracial", 7],
    ["black", 4.5],
    ["asian", 4.5],
    ["american_indian", 2.5],
  ],
  econ: {
    hispanic: 0.6,
    white: 0.32,
    black: 0.6,
    asian: 0.3,
    multiracial: 0.45,
    american_indian: 0.65,
    pacific_islander: 0.5,
    unknown: 0.5,
  },
  el: { hispanic: 0.2, asian: 0.15 },
  offset: { k: -0.03, g3: 0.02, g8: -0.02, hs: 0.03 },
};
