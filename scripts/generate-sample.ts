/**
 * Generates `fixtures/sample-community/`: the fictional River Valley Cradle to Career Partnership,
 * five partners and five years of their files, from a seeded random generator so the fixture is the
 * same on every machine. Every file is clean except one partner's 2025 file, which carries a few
 * deliberate mistakes so its partner report has something to show.
 *
 *   npm run generate:sample
 */
import { mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { IssueCode } from "../pipeline/issues/catalogue.ts";
import { packageRoot } from "../pipeline/package-root.ts";

export const SAMPLE_DIR = "fixtures/sample-community";
export const DEFAULT_SEED = 2026;
export const YEARS = [2021, 2022, 2023, 2024, 2025] as const;
/** The one file with deliberate mistakes, relative to the fixture. */
export const BROKEN_FILE = "data/2025/cedar-hills-sd/outcome-counts-2025.csv";

// ---------------------------------------------------------------------------------------------
// Random numbers

/** mulberry32: a tiny seeded generator of floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The draws the generator needs, over one mulberry32 stream. */
class Random {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  /** A whole number from `lo` to `hi`, both included. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  /** A standard normal draw (Box-Muller). */
  normal(): number {
    const u = 1 - this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }
  pick<T>(weights: readonly (readonly [T, number])[]): T {
    const total = weights.reduce((s, [, w]) => s + w, 0);
    let r = this.next() * total;
    for (const [value, w] of weights) {
      r -= w;
      if (r < 0) return value;
    }
    return weights[weights.length - 1]![0];
  }
}

/**
 * A stream of its own for each file, so changing how one partner's file is drawn leaves every
 * other file as it was.
 */
function fork(seed: number, label: string): Random {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193);
  return new Random(h >>> 0);
}

// ---------------------------------------------------------------------------------------------
// Children and their outcomes

type Race =
  | "hispanic"
  | "white"
  | "black"
  | "asian"
  | "multiracial"
  | "american_indian"
  | "pacific_islander"
  | "unknown";
type Gender = "female" | "male" | "nonbinary";
type Stage = "k" | "g3" | "g8" | "hs";

interface Student {
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

/** How a group shifts an outcome, on the logit scale, before the gaps narrow. */
interface OutcomeModel {
  /** The overall rate in 2021 and 2025; years between lie on the line, with a little noise. */
  from: number;
  to: number;
  race?: Partial<Record<Race, number>>;
  econ?: number;
  el?: number;
  swd?: number;
  gender?: Partial<Record<Gender, number>>;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const logit = (p: number) => Math.log(p / (1 - p));

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
function drawOutcomes(
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

const K_READINESS: OutcomeModel = {
  from: 0.46,
  to: 0.52,
  race: { white: 0.25, asian: 0.3, multiracial: 0.1, hispanic: -0.2, black: -0.3, american_indian: -0.35 },
  econ: -0.7,
  el: -0.6,
  swd: -0.9,
  gender: { female: 0.2 },
};
const G3_READING: OutcomeModel = {
  from: 0.4,
  to: 0.48,
  race: { white: 0.35, asian: 0.45, multiracial: 0.1, hispanic: -0.25, black: -0.45, american_indian: -0.5 },
  econ: -0.8,
  el: -1.0,
  swd: -1.2,
  gender: { female: 0.15 },
};
const G3_MATH: OutcomeModel = { ...G3_READING, from: 0.43, to: 0.5, el: -0.7, gender: {} };
const G8_READING: OutcomeModel = { ...G3_READING, from: 0.41, to: 0.46 };
const G8_MATH: OutcomeModel = {
  from: 0.25,
  to: 0.33,
  race: { white: 0.4, asian: 0.6, multiracial: 0.1, hispanic: -0.3, black: -0.55, american_indian: -0.5 },
  econ: -0.8,
  el: -1.1,
  swd: -1.3,
};
const GRADUATION: OutcomeModel = {
  from: 0.82,
  to: 0.875,
  race: { white: 0.3, asian: 0.5, hispanic: -0.15, black: -0.35, american_indian: -0.5, pacific_islander: -0.2 },
  econ: -0.6,
  el: -0.5,
  swd: -0.9,
  gender: { female: 0.3, male: -0.1 },
};
const ENROLLMENT: OutcomeModel = {
  from: 0.55,
  to: 0.62,
  race: { asian: 0.6, white: 0.2, hispanic: -0.2, black: -0.25, american_indian: -0.4 },
  econ: -0.7,
  el: -0.3,
  swd: -0.7,
  gender: { female: 0.35 },
};
const COMPLETION: OutcomeModel = {
  from: 0.35,
  to: 0.43,
  race: { asian: 0.6, white: 0.35, hispanic: -0.35, black: -0.5, american_indian: -0.6 },
  econ: -0.9,
  el: -0.3,
  swd: -0.8,
  gender: { female: 0.3 },
};
const EMPLOYMENT: OutcomeModel = {
  from: 0.61,
  to: 0.67,
  race: { white: 0.25, asian: 0.2, black: -0.35, american_indian: -0.3 },
  gender: { female: -0.05 },
};
const LOW_BIRTH_WEIGHT: OutcomeModel = {
  from: 0.087,
  to: 0.077,
  race: { black: 0.65, american_indian: 0.25, asian: 0.1, white: -0.15, hispanic: -0.05 },
};
const EARLY_PRENATAL_CARE: OutcomeModel = {
  from: 0.7,
  to: 0.77,
  race: { white: 0.45, asian: 0.35, multiracial: 0.1, hispanic: -0.3, black: -0.45, american_indian: -0.6 },
};

// ---------------------------------------------------------------------------------------------
// The two school districts

interface DistrictPlan {
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

const EL_BY_STAGE: Record<Stage, number> = { k: 1, g3: 0.8, g8: 0.45, hs: 0.3 };
const SWD_BY_STAGE: Record<Stage, number> = { k: 0.08, g3: 0.13, g8: 0.14, hs: 0.12 };

const RIVERSIDE: DistrictPlan = {
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

const CEDAR_HILLS: DistrictPlan = {
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

/** Hands out a district's student ids: nine digits with leading zeros, never the same twice. */
class StudentIds {
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

function drawStudents(plan: DistrictPlan, stage: Stage, count: number, ids: StudentIds, rng: Random): Student[] {
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
function gradeSize(base: number, year: number, rng: Random): number {
  return Math.round(base * (1 - 0.006 * (year - YEARS[0])) + rng.int(-18, 18));
}

/** Everything one district's children did in one year, before it is written as files. */
interface DistrictYear {
  kindergarten: { student: Student; assessed: boolean; ready: boolean }[];
  assessment: { student: Student; grade: number; subject: "ELA" | "Math"; tested: boolean; proficient: boolean }[];
  cohort: { student: Student; graduated: boolean }[];
}

function simulateDistrictYear(plan: DistrictPlan, year: number, seed: number, label: string): DistrictYear {
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

// ---------------------------------------------------------------------------------------------
// Writing CSV

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
const yn = (b: boolean) => (b ? "Y" : "N");

/** `2024-25` for the school year ending in 2025. */
export function schoolYear(year: number): string {
  return `${year - 1}-${String(year % 100).padStart(2, "0")}`;
}

function toCsv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const cell = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return `${[header, ...rows].map((r) => r.map(cell).join(",")).join("\n")}\n`;
}

function demographics(s: Student): string[] {
  return [RACE_CODES[s.race], GENDER_CODES[s.gender], yn(s.econ), yn(s.el), yn(s.swd)];
}

const DEMOGRAPHIC_FIELDS = ["race_ethnicity", "gender", "economic_disadvantage", "english_learner", "disability"];

function writeKindergarten(d: DistrictYear, plan: DistrictPlan, year: number): string {
  return toCsv(
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

function writeAssessment(d: DistrictYear, plan: DistrictPlan, year: number): string {
  return toCsv(
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

function writeGraduationCohort(d: DistrictYear, plan: DistrictPlan, year: number): string {
  return toCsv(
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

// ---------------------------------------------------------------------------------------------
// Cedar Hills: the same outcomes as counts, with its own suppression

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
const SUPPRESSION_MARKER = "*";
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

function outcomeCountRows(d: DistrictYear, plan: DistrictPlan, year: number): string[][] {
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

const OUTCOME_COUNT_HEADER = [
  "school_year",
  "district_id",
  "school_id",
  "measure",
  "student_group_type",
  "student_group",
  "total_count",
  "met_count",
] as const;

/** One deliberate mistake in the broken file: where it is and the issue c2c should raise. */
export interface SampleMistake {
  line: number;
  code: IssueCode;
  description: string;
}

/**
 * Plants the deliberate mistakes in Cedar Hills' 2025 rows: one row for each kind of problem a
 * partner report shows. Returns the rows with each mistake's line (the header is line 1).
 */
function plantMistakes(rows: string[][]): { rows: string[][]; mistakes: SampleMistake[] } {
  const column = (name: (typeof OUTCOME_COUNT_HEADER)[number]) => OUTCOME_COUNT_HEADER.indexOf(name);
  const [YEAR, DISTRICT, SCHOOL, MEASURE, GROUP, TOTAL, MET] = [
    column("school_year"),
    column("district_id"),
    column("school_id"),
    column("measure"),
    column("student_group"),
    column("total_count"),
    column("met_count"),
  ];
  const find = (measure: string, school: string, group: string) => {
    const row = rows.find((r) => r[MEASURE] === measure && r[SCHOOL] === school && r[GROUP] === group);
    if (!row) throw new Error(`no row for ${measure} / ${school || "district"} / ${group}`);
    return row;
  };
  const planted: { row: string[]; code: IssueCode; description: string }[] = [];
  const plant = (row: string[], code: IssueCode, description: string) => planted.push({ row, code, description });

  const white = find("Kindergarten Readiness", "", "White");
  const copy = [...white];
  rows.splice(rows.indexOf(white) + 1, 0, copy);
  plant(copy, "duplicate-row", "the district's kindergarten readiness row for White students, pasted twice");

  const swapped = find("Kindergarten Readiness", "102", "All Students");
  if (swapped[MET] === SUPPRESSION_MARKER) throw new Error("school 102's kindergarten row is too small to swap");
  [swapped[TOTAL], swapped[MET]] = [swapped[MET]!, swapped[TOTAL]!];
  plant(
    swapped,
    "numerator-exceeds-denominator",
    `school 102's kindergarten readiness counts swapped: met_count ${swapped[MET]} is larger than total_count ${swapped[TOTAL]}`,
  );

  const typo = find("Grade 3 Reading", "101", "Economically Disadvantaged");
  typo[GROUP] = "Economicaly Disadvantaged";
  plant(typo, "unknown-code", "the group label `Economicaly Disadvantaged` (a typo of Economically Disadvantaged)");

  const lastYear = find("Grade 3 Reading", "102", "Not English Learner");
  lastYear[YEAR] = "2023-24";
  plant(
    lastYear,
    "year-mismatch",
    "a row with school_year `2023-24` in the 2025 file; the row is left out, since a 2024 figure does not belong in the 2025 file",
  );

  const letters = find("Grade 8 Math", "201", "Female");
  if (letters[MET] === SUPPRESSION_MARKER) throw new Error("school 201's grade 8 row is too small");
  letters[MET] = `${letters[MET]}a`;
  plant(letters, "type-error", `the count \`${letters[MET]}\` in met_count, which is not a number`);

  const district = find("4-Year Graduation", "201", "Hispanic");
  district[DISTRICT] = "CHDS";
  plant(district, "unknown-geography", "the district code `CHDS` (a typo of CHSD), which is not in c2c.config.yaml");

  const mistakes = planted
    .map(({ row, code, description }) => ({ line: rows.indexOf(row) + 2, code, description }))
    .sort((a, b) => a.line - b.line);
  return { rows, mistakes };
}

// ---------------------------------------------------------------------------------------------
// Births, college and work

const BIRTH_LABELS: readonly (readonly [Race, string, number])[] = [
  ["hispanic", "Hispanic or Latino", 36],
  ["white", "White", 37],
  ["black", "Black or African American", 15],
  ["asian", "Asian", 7],
  ["multiracial", "Two or more races", 3],
  ["american_indian", "American Indian or Alaska Native", 1],
  ["unknown", "Other/Unknown", 1],
];

function writeBirthOutcomes(year: number, seed: number): string {
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
  return toCsv(
    ["year", "mother_race_ethnicity", "live_births", "low_birth_weight", "early_prenatal_care"],
    [row("Total", () => true), ...BIRTH_LABELS.map(([race, label]) => row(label, (i) => mothers[i]!.race === race))],
  );
}

/** Someone who is not a district's student (a mother, a program exiter), as the outcome model reads them. */
function person(race: Race, gender: Gender = "female"): Student {
  return { id: "", school: "", race, gender, econ: false, el: false, swd: false, ability: 0 };
}

/**
 * Pathways tracks every graduate of both districts: this spring's graduates (the graduation cohort
 * files' own students) for fall enrollment, and graduates of six years ago for a credential.
 */
function writePostsecondary(year: number, districts: readonly [DistrictPlan, DistrictYear][], seed: number): string {
  const rng = fork(seed, `pathways-college-access/${year}`);
  const rows: string[][] = [];
  for (const [plan, d] of districts) {
    const graduates = d.cohort.filter((c) => c.graduated).map((c) => c.student);
    const enrolled = drawOutcomes(graduates, ENROLLMENT, year, 0, rng, false);
    const ids = new StudentIds(
      fork(seed, `pathways-college-access/${year}/${plan.code}/class-of-${year - 6}`),
      plan.idPrefix,
    );
    const older = drawStudents(plan, "hs", Math.round(graduates.length * 0.97), ids, rng);
    const completed = drawOutcomes(older, COMPLETION, year, 0, rng, false);
    const line = (s: Student, tracking: string, e: string, c: string) => [
      s.id,
      schoolYear(year),
      plan.abbreviation,
      s.school,
      tracking,
      ...demographics(s),
      e,
      c,
    ];
    rows.push(
      ...graduates.map((s, i) => line(s, "Enrollment", yn(enrolled[i]!), "")),
      ...older.map((s, i) => line(s, "Completion", "", yn(completed[i]!))),
    );
  }
  return toCsv(
    [
      "student_id",
      "report_year",
      "district_id",
      "school_id",
      "tracking",
      ...DEMOGRAPHIC_FIELDS,
      "enrolled",
      "completed",
    ],
    rows,
  );
}

const WORKFORCE_RACES: readonly (readonly [Race, string, number])[] = [
  ["hispanic", "Hispanic", 40],
  ["white", "White", 25],
  ["black", "Black", 22],
  ["multiracial", "Two or more races", 5.5],
  ["asian", "Asian", 4.5],
  ["american_indian", "American Indian", 2.5],
];

function writeWorkforce(year: number, seed: number): string {
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
  return toCsv(
    ["program_year", "group_type", "group", "exiters", "employed_q2"],
    [
      row("All Participants", "All", () => true),
      ...WORKFORCE_RACES.map(([race, label]) => row("Race/Ethnicity", label, (p) => p.race === race)),
      row("Gender", "Female", (p) => p.gender === "female"),
      row("Gender", "Male", (p) => p.gender === "male"),
    ],
  );
}

// ---------------------------------------------------------------------------------------------
// The project's own files

const CONFIG_YAML = `# The fictional River Valley Cradle to Career Partnership: c2c's sample community.
# Generated by scripts/generate-sample.ts; run \`npm run generate:sample\` after changing it.
partnership:
  name: River Valley Cradle to Career Partnership
  introduction: >-
    River Valley Cradle to Career brings together the valley's two school districts, its health
    department, a college-access nonprofit and the regional workforce board to track how the
    community's children and young people are doing, from birth to a first job, and to close the
    gaps between groups. The partnership and its data are fictional: this is c2c's sample community.
  url: https://river-valley.example.org/
  translations:
    es:
      introduction: >-
        River Valley Cradle to Career reúne a los dos distritos escolares del valle, su departamento
        de salud, una organización sin fines de lucro de acceso a la universidad y la junta regional
        de empleo para seguir cómo les va a los niños y jóvenes de la comunidad, desde el nacimiento
        hasta el primer empleo, y para cerrar las brechas entre grupos. La asociación y sus datos son
        ficticios: esta es la comunidad de ejemplo de c2c.
community:
  id: river-valley
  name: River Valley
districts:
  - id: riverside
    name: Riverside Unified School District
    codes: ["0601", "RUSD"]
  - id: cedar-hills
    name: Cedar Hills School District
    codes: ["0602", "CHSD"]
# Made-up outlines of the two districts, so the indicator pages draw a map.
boundaries: boundaries/districts.geojson
reportingYear: 2025
privacy:
  minimumCount: 10
  # Where fewer than 10 reached a milestone (or did not) but 100 or so were counted, show "<10%"
  # (">90%") and how many were counted, as EDFacts codes its rates, rather than hide the figure.
  coding: { below: 0.1, above: 0.9 }
site:
  title: River Valley Cradle to Career Outcomes
  language: en
  url: https://river-valley.example.org/outcomes/
`;

/**
 * The districts' outlines: two made-up polygons side by side along a fictional valley (longitude and
 * latitude; exterior rings clockwise, as d3-geo and so Vega expect).
 */
const SHARED_BORDER = [
  [-100.02, 40.16],
  [-100.05, 40.08],
  [-100.01, 39.99],
  [-100.04, 39.9],
];
const BOUNDARIES_GEOJSON = `${JSON.stringify(
  {
    type: "FeatureCollection",
    features: [
      {
        type: "Feature",
        properties: { id: "riverside", name: "Riverside Unified School District" },
        geometry: {
          type: "Polygon",
          coordinates: [
            [
              [-100.36, 40.13],
              [-100.2, 40.19],
              ...SHARED_BORDER,
              [-100.17, 39.86],
              [-100.33, 39.91],
              [-100.38, 40.02],
              [-100.36, 40.13],
            ],
          ],
        },
      },
      {
        type: "Feature",
        properties: { id: "cedar-hills", name: "Cedar Hills School District" },
        geometry: {
          type: "Polygon",
          coordinates: [
            [
              ...SHARED_BORDER.slice(0, 1),
              [-99.85, 40.21],
              [-99.7, 40.12],
              [-99.72, 39.94],
              [-99.86, 39.86],
              ...[...SHARED_BORDER].reverse(),
            ],
          ],
        },
      },
    ],
  },
  null,
  1,
)}\n`;

const PARTNERS_YAML = `# Who sends which files. Generated by scripts/generate-sample.ts.
partners:
  - id: riverside-usd
    name: Riverside Unified School District
    kind: school-district
    contact: Office of Assessment and Accountability, data@riverside-usd.example.org
    district: riverside
    extracts:
      - schema: student-kindergarten
        files: kindergarten-*.csv
      - schema: student-assessment
        files: assessment-*.csv
      - schema: graduation-cohort
        files: graduation-cohort-*.csv
  - id: cedar-hills-sd
    name: Cedar Hills School District
    kind: school-district
    contact: District Office, records@cedar-hills-sd.example.org
    district: cedar-hills
    extracts:
      - schema: outcome-counts
        files: outcome-counts-*.csv
        suppressed: ["*"]
  - id: river-valley-health
    name: River Valley Health Department
    kind: health-department
    contact: Vital Statistics, vitalstats@rvhealth.example.org
    extracts:
      - schema: birth-outcomes
        files: birth-outcomes-*.csv
  - id: pathways-college-access
    name: Pathways College Access Network
    kind: college-access
    contact: Research and Evaluation, research@pathways.example.org
    extracts:
      - schema: postsecondary-records
        files: postsecondary-*.csv
  - id: river-valley-works
    name: River Valley Works
    kind: workforce
    contact: Performance Team, performance@rvworks.example.org
    extracts:
      - schema: workforce-outcomes
        files: workforce-outcomes-*.csv
`;

/** The repository's indicator catalog, file name to text, to copy verbatim into the fixture. */
export function readIndicatorCatalog(root: string = packageRoot()): Map<string, string> {
  const dir = path.join(root, "indicators");
  const files = readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
  return new Map(files.map((f) => [f, readFileSync(path.join(dir, f), "utf8")]));
}

/** What the README reports about the generated files. */
interface Shape {
  rows: Map<string, number>;
  mistakes: SampleMistake[];
  /** The sizes of the small groups, by description. */
  small: [string, number[]][];
}

/** How many of a district's children in each of the stages belong to a group. */
function countInStages(d: DistrictYear, member: (s: Student) => boolean, stages: readonly Stage[]): number[] {
  const students: Record<Stage, Student[]> = {
    k: d.kindergarten.map((k) => k.student),
    g3: d.assessment.filter((a) => a.grade === 3 && a.subject === "ELA").map((a) => a.student),
    g8: d.assessment.filter((a) => a.grade === 8 && a.subject === "ELA").map((a) => a.student),
    hs: d.cohort.map((c) => c.student),
  };
  return stages.map((stage) => students[stage].filter(member).length);
}

/** A column of the row whose second-to-fourth cell is `label`, from a file with no quoted cells. */
function cellOf(csv: string, label: string, column: number): number {
  const row = csv.split("\n").find((line) => line.split(",").slice(1, 3).includes(label));
  return Number(row?.split(",")[column]);
}

function noteSmallGroups(
  small: Map<string, number[]>,
  riverside: DistrictYear,
  cedar: DistrictYear,
  births: string,
  workforce: string,
): void {
  const all: Stage[] = ["k", "g3", "g8", "hs"];
  const notes: [string, number[]][] = [
    [
      "Riverside, Pacific Islander students a grade",
      countInStages(riverside, (s) => s.race === "pacific_islander", all),
    ],
    ["Riverside, American Indian students a grade", countInStages(riverside, (s) => s.race === "american_indian", all)],
    [
      "Riverside, nonbinary students in grade 8 and the graduation cohort",
      countInStages(riverside, (s) => s.gender === "nonbinary", ["g8", "hs"]),
    ],
    ["Cedar Hills, American Indian students a grade", countInStages(cedar, (s) => s.race === "american_indian", all)],
    ["Cedar Hills, Black students a grade", countInStages(cedar, (s) => s.race === "black", all)],
    [
      "Cedar Hills, English learners in grade 8 and the graduation cohort",
      countInStages(cedar, (s) => s.el, ["g8", "hs"]),
    ],
    [
      "River Valley Health, births to American Indian or Alaska Native mothers",
      [cellOf(births, "American Indian or Alaska Native", 2)],
    ],
    [
      "River Valley Health, low-birth-weight births to American Indian or Alaska Native mothers",
      [cellOf(births, "American Indian or Alaska Native", 3)],
    ],
    [
      "River Valley Health, low-birth-weight births to mothers of two or more races",
      [cellOf(births, "Two or more races", 3)],
    ],
    ["River Valley Works, American Indian exiters", [cellOf(workforce, "American Indian", 3)]],
    ["River Valley Works, Asian exiters", [cellOf(workforce, "Asian", 3)]],
  ];
  for (const [label, counts] of notes) small.set(label, [...(small.get(label) ?? []), ...counts]);
}

function dataRows(text: string): number {
  return text.split("\n").length - 2;
}

function renderReadme(shape: Shape): string {
  const rowsOf = (partner: string, file: (y: number) => string) =>
    YEARS.map((y) => shape.rows.get(`data/${y}/${partner}/${file(y)}`) ?? 0).join(" | ");
  const table = [
    `| file | ${YEARS.join(" | ")} |`,
    `|---|${YEARS.map(() => "---:").join("|")}|`,
    `| riverside-usd/kindergarten-<year>.csv | ${rowsOf("riverside-usd", (y) => `kindergarten-${y}.csv`)} |`,
    `| riverside-usd/assessment-<year>.csv | ${rowsOf("riverside-usd", (y) => `assessment-${y}.csv`)} |`,
    `| riverside-usd/graduation-cohort-<year>.csv | ${rowsOf("riverside-usd", (y) => `graduation-cohort-${y}.csv`)} |`,
    `| cedar-hills-sd/outcome-counts-<year>.csv | ${rowsOf("cedar-hills-sd", (y) => `outcome-counts-${y}.csv`)} |`,
    `| river-valley-health/birth-outcomes-<year>.csv | ${rowsOf("river-valley-health", (y) => `birth-outcomes-${y}.csv`)} |`,
    `| pathways-college-access/postsecondary-<year>.csv | ${rowsOf("pathways-college-access", (y) => `postsecondary-${y}.csv`)} |`,
    `| river-valley-works/workforce-outcomes-<year>.csv | ${rowsOf("river-valley-works", (y) => `workforce-outcomes-${y}.csv`)} |`,
  ].join("\n");
  const mistakes = shape.mistakes
    .map((m) => `| ${m.line} | \`${m.code}\` | ${m.description.replace(/\|/g, "\\|")} |`)
    .join("\n");
  return `# River Valley: c2c's sample community

A complete, fictional c2c project: the **River Valley Cradle to Career Partnership** (community id
\`river-valley\`), two school districts and three other partners, with five years of partner files
(2021 to 2025). Every child, school and number here is made up. The files are generated by
\`scripts/generate-sample.ts\` from a fixed seed; do not edit them by hand. To change them, change
the script and run

\`\`\`sh
npm run generate:sample
\`\`\`

A test (\`scripts/generate-sample.test.ts\`) fails whenever these files and the script disagree.

## The partners

| partner | kind | sends |
|---|---|---|
| \`riverside-usd\` | school district (\`riverside\`, codes 0601 / RUSD) | one row per student: kindergarten readiness, grade 3 and 8 state tests (ELA and math), the four-year graduation cohort |
| \`cedar-hills-sd\` | school district (\`cedar-hills\`, codes 0602 / CHSD) | the same outcomes as counts (\`outcome-counts\`), by school and student group, with district rows (school blank); counts under 10 are withheld as \`*\` |
| \`river-valley-health\` | health department | births by calendar year and mother's race/ethnicity: low birth weight, first-trimester prenatal care |
| \`pathways-college-access\` | college access | one row per high-school graduate of both districts: this spring's graduates tracked for fall enrollment, graduates of six years ago tracked for a credential |
| \`river-valley-works\` | workforce board | young adults leaving its programs and employed in the second quarter after exit, by race/ethnicity and gender |

Years are folder names: \`data/2025/\` holds the 2024-25 school and program year, and calendar year
2025 for the health department. Riverside has four elementary schools (014, 022, 037, 045), a middle
school (061) and a high school (082), with roughly 750 to 850 children a grade; Cedar Hills has two
elementary schools (101, 102) and a junior/senior high (201), with about 250 a grade.

Data rows in each file:

${table}

## What the numbers do

Rates start near where many American communities are (kindergarten readiness near 46%, third-grade
reading near 40%, eighth-grade math near 25%, graduation near 82%, fall enrollment near 55%,
completion near 35%, young-adult employment near 60%, low birth weight near 8.7%, early prenatal care
near 70%) and improve a little each year, with noise. Gaps by economic disadvantage, race/ethnicity,
English learner status and disability persist and narrow slowly.

Small groups are there on purpose, so the dashboard has something to protect (the least and most
in any one grade, cohort or year of 2021 to 2025):

${shape.small.map(([label, counts]) => `- ${label}: ${Math.min(...counts)} to ${Math.max(...counts)}`).join("\n")}

Riverside sends records, so c2c itself must suppress its small groups. Cedar Hills withholds every
count under 10 as \`*\`; c2c must still keep the withheld counts from being recovered by subtraction.
The health department's and the workforce board's small groups fall below the minimum count (11 for
the birth indicators, 10 otherwise).

## Deliberate mistakes

Every file is clean except \`${BROKEN_FILE}\`, which has one row for each kind of problem
Cedar Hills' partner report should show (lines as a spreadsheet numbers them; the header is line 1):

| line | issue | mistake |
|---:|---|---|
${mistakes}

The file also withholds small counts with \`*\`, reported as information (\`source-suppressed\`), as
in every Cedar Hills file.
`;
}

/**
 * The whole sample community, relative path to file text. Pure for a given seed and catalog: the
 * same seed always gives the same files.
 */
export function generateSampleCommunity(
  seed: number = DEFAULT_SEED,
  indicators: ReadonlyMap<string, string> = readIndicatorCatalog(),
): Map<string, string> {
  return buildSampleCommunity(seed, indicators).files;
}

/** The files and the deliberate mistakes planted in them. */
export function buildSampleCommunity(
  seed: number = DEFAULT_SEED,
  indicators: ReadonlyMap<string, string> = readIndicatorCatalog(),
): { files: Map<string, string>; mistakes: SampleMistake[] } {
  const data = new Map<string, string>();
  const small = new Map<string, number[]>();
  let mistakes: SampleMistake[] = [];
  for (const year of YEARS) {
    const riverside = simulateDistrictYear(RIVERSIDE, year, seed, "riverside-usd");
    const cedar = simulateDistrictYear(CEDAR_HILLS, year, seed, "cedar-hills-sd");
    const dir = `data/${year}`;
    data.set(`${dir}/riverside-usd/kindergarten-${year}.csv`, writeKindergarten(riverside, RIVERSIDE, year));
    data.set(`${dir}/riverside-usd/assessment-${year}.csv`, writeAssessment(riverside, RIVERSIDE, year));
    data.set(`${dir}/riverside-usd/graduation-cohort-${year}.csv`, writeGraduationCohort(riverside, RIVERSIDE, year));

    let counts = outcomeCountRows(cedar, CEDAR_HILLS, year);
    if (`${dir}/cedar-hills-sd/outcome-counts-${year}.csv` === BROKEN_FILE) {
      const planted = plantMistakes(counts);
      counts = planted.rows;
      mistakes = planted.mistakes;
    }
    data.set(`${dir}/cedar-hills-sd/outcome-counts-${year}.csv`, toCsv(OUTCOME_COUNT_HEADER, counts));

    const births = writeBirthOutcomes(year, seed);
    data.set(`${dir}/river-valley-health/birth-outcomes-${year}.csv`, births);
    data.set(
      `${dir}/pathways-college-access/postsecondary-${year}.csv`,
      writePostsecondary(
        year,
        [
          [RIVERSIDE, riverside],
          [CEDAR_HILLS, cedar],
        ],
        seed,
      ),
    );
    const workforce = writeWorkforce(year, seed);
    data.set(`${dir}/river-valley-works/workforce-outcomes-${year}.csv`, workforce);
    noteSmallGroups(small, riverside, cedar, births, workforce);
  }

  const files = new Map<string, string>();
  const rows = new Map([...data].map(([p, t]) => [p, dataRows(t)]));
  files.set("README.md", renderReadme({ rows, mistakes, small: [...small] }));
  files.set("c2c.config.yaml", CONFIG_YAML);
  files.set("partners.yaml", PARTNERS_YAML);
  files.set("boundaries/districts.geojson", BOUNDARIES_GEOJSON);
  for (const [name, text] of indicators) files.set(`indicators/${name}`, text);
  for (const [p, text] of data) files.set(p, text);
  return { files, mistakes };
}

/** Writes the sample community into the repository, replacing the previous data and catalog. */
export function writeSampleCommunity(root: string, files: ReadonlyMap<string, string>): void {
  const dir = path.join(root, SAMPLE_DIR);
  for (const stale of ["data", "indicators"]) rmSync(path.join(dir, stale), { recursive: true, force: true });
  for (const [rel, text] of files) {
    const target = path.join(dir, rel);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, text);
  }
}

if (process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = packageRoot();
  const files = generateSampleCommunity();
  writeSampleCommunity(root, files);
  const bytes = [...files.values()].reduce((n, t) => n + Buffer.byteLength(t), 0);
  process.stdout.write(`wrote ${files.size} files (${(bytes / 1e6).toFixed(1)} MB) to ${SAMPLE_DIR}/\n`);
}
