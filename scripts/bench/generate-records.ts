import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mulberry32 } from "../sample/random.ts";

/**
 * A seeded generator of record-level student assessment files (the `student-assessment` extract),
 * with the messiness real extracts have: codes written several ways, mixed-case yes/no, ids with
 * leading zeros, blank outcomes for untested students. The same seed and size give the same bytes.
 */

/** The project a generated file is built in: two districts, one partner sending `assessment-YEAR.csv`. */
export const BENCH_CONFIG_YAML = `partnership: { name: Bench, introduction: A generated statewide extract. }
community: { id: bench, name: Bench }
districts:
  - { id: north, name: North, codes: ["0601"] }
  - { id: south, name: South, codes: ["0602"] }
`;
export const BENCH_PARTNERS_YAML = `partners:
  - id: district
    name: District
    kind: school-district
    extracts:
      - { schema: student-assessment, files: "assessment-*.csv" }
`;

export const BENCH_HEADER =
  "student_id,school_year,district_id,school_id,grade,subject,race_ethnicity,gender,economic_disadvantage,english_learner,disability,tested,proficient";

const RACE: [string[], number][] = [
  [["HI", "Hispanic", "hispanic"], 0.32],
  [["WH", "White", "WHITE"], 0.38],
  [["BL", "Black", "Black or African American"], 0.14],
  [["AS", "Asian"], 0.08],
  [["MU", "Two or more races"], 0.05],
  [["AI", "American Indian"], 0.02],
  [["PI", "Pacific Islander"], 0.01],
];
const YES = ["Y", "Yes", "y", "1"];
const NO = ["N", "No", "n", "0"];

/** One CSV line per record; `rows` lines in all, after the header. */
export function* benchLines(rows: number, seed = 2026): Generator<string> {
  const random = mulberry32(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)] as T;
  const yes = (p: number) => (random() < p ? pick(YES) : pick(NO));
  for (let i = 0; i < rows; i++) {
    const district = random() < 0.7 ? "0601" : "0602";
    const school = String(10 + Math.floor(random() * 90)).padStart(3, "0");
    const grade = random() < 0.5 ? "3" : "8";
    const subject = random() < 0.5 ? "ELA" : "Math";
    let r = random();
    let race = RACE[0]![0];
    for (const [codes, share] of RACE) {
      if (r < share) {
        race = codes;
        break;
      }
      r -= share;
    }
    const econ = random() < 0.45;
    const tested = random() < 0.97;
    const p = 0.45 - (econ ? 0.15 : 0) + (grade === "8" && subject === "Math" ? -0.12 : 0);
    const proficient = tested ? (random() < p ? pick(YES) : pick(NO)) : "";
    yield [
      String(100000000 + i).padStart(10, "0"),
      "2024-25",
      district,
      school,
      grade,
      subject,
      pick(race),
      random() < 0.5 ? "F" : random() < 0.98 ? "M" : "X",
      econ ? pick(YES) : pick(NO),
      yes(0.12),
      yes(0.13),
      tested ? pick(YES) : pick(NO),
      proficient,
    ].join(",");
  }
}

/** Writes a file of `rows` records, streamed, so 10M rows never sit in memory. */
export async function writeBenchFile(path: string, rows: number, seed = 2026): Promise<void> {
  const out = createWriteStream(path);
  let buffer = `${BENCH_HEADER}\n`;
  for (const line of benchLines(rows, seed)) {
    buffer += `${line}\n`;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, "drain");
      buffer = "";
    }
  }
  out.end(buffer);
  await once(out, "finish");
}
