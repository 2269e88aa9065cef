import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import {
  ConfigSchema,
  type ExtractSchema,
  ExtractSchemaSchema,
  PartnerExtractSchema,
  PartnerSchema,
} from "../../schemas/index.ts";
import { memoryEffects } from "../effects-memory.ts";
import { loadProject, type Project } from "../load/load-project.ts";
import { processPartnerFile } from "../per-file/process-partner-file.ts";
import { REPO_ROOT } from "../test-support/load-fixture.ts";
import { createRowValidator, newValidationState, type TypedRow, validateRows } from "../validate/validate-rows.ts";
import { readPartnerFile } from "./read-partner-file.ts";

/**
 * Files public agencies really published (fixtures/realdata/README.md says where each is from),
 * read with their own column names and their own suppression markers: no crash, markers counted
 * as suppressed by the source and never as errors, ranges kept as bounds, values read right.
 */

const FIXTURES = path.join(REPO_ROOT, "fixtures/realdata");
const ROOT = "/work";

type FieldInput = z.input<typeof ExtractSchemaSchema>["fields"][number];
type ExtractOptions = Omit<z.input<typeof PartnerExtractSchema>, "schema" | "files">;

/** A field named after the agency's own column header, which is its title (headers match on title). */
function column(header: string, type: FieldInput["type"], extra: Partial<FieldInput> = {}): FieldInput {
  const name = header
    .toLowerCase()
    .replace(/%/g, "pct")
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_|_$/g, "")
    .replace(/^(\d)/, "c$1");
  return { name, title: header, description: `The agency's column ${header}.`, type, example: "1", ...extra };
}

function aggregateSchema(id: string, fields: FieldInput[], year: string, primaryKey: string[]): ExtractSchema {
  return ExtractSchemaSchema.parse({
    id,
    title: id,
    description: `The agency file ${id}, as published.`,
    kind: "aggregate",
    fields,
    roles: { year },
    primaryKey,
  });
}

// NYC DOE graduation outcomes: one row per school, demographic and cohort; 19 count and percent columns.
const NYC_OUTCOMES = [
  "Total Grads",
  "Total Regents",
  "Advanced Regents",
  "Regents w/o Advanced",
  "Local",
  "Still Enrolled",
  "Dropped Out",
];
const NYC_NUMERIC = [
  "Total Cohort",
  ...NYC_OUTCOMES.flatMap((o) =>
    o === "Total Grads" || o === "Still Enrolled" || o === "Dropped Out"
      ? [`${o} - n`, `${o} - % of cohort`]
      : [`${o} - n`, `${o} - % of cohort`, `${o} - % of grads`],
  ),
];
const NYC_DOE = aggregateSchema(
  "nyc-doe-graduation",
  [
    column("Demographic", "text", { required: true }),
    column("DBN", "id", { required: true }),
    column("School Name", "text"),
    column("Cohort", "year", { required: true }),
    ...NYC_NUMERIC.map((h) => column(h, h.includes("%") ? "percent" : "count")),
  ],
  "cohort",
  ["demographic", "dbn", "cohort"],
);

// EDFacts adjusted cohort graduation rates, SY2014-15: one row per high school, groups in the column names.
const EDFACTS_GROUPS = ["ALL", "MAM", "MAS", "MBL", "MHI", "MTR", "MWH", "CWD", "ECD", "LEP"];
const EDFACTS_NUMERIC = EDFACTS_GROUPS.flatMap((g) => [`${g}_COHORT_1415`, `${g}_RATE_1415`]);
const EDFACTS = aggregateSchema(
  "edfacts-acgr",
  [
    column("STNAM", "text", { required: true }),
    column("FIPST", "id"),
    column("LEAID", "id", { required: true }),
    column("LEANM", "text"),
    column("NCESSCH", "id", { required: true }),
    column("SCHNAM", "text"),
    ...EDFACTS_NUMERIC.map((h) => column(h, h.includes("RATE") ? "percent" : "count")),
    column("DATE_CUR", "text"),
    // The file is all of SY2014-15 and has no year column.
    column("School year", "year"),
  ],
  "school_year",
  ["ncessch"],
);

// KIDS COUNT long format: one row per place and year.
const KIDS_COUNT_KY = aggregateSchema(
  "kids-count-ky",
  [
    column("LocationType", "text", { required: true }),
    column("Location", "text", { required: true }),
    column("TimeFrame", "year", { required: true }),
    column("DataFormat", "text"),
    column("Data", "percent", { required: true }),
  ],
  "timeframe",
  ["locationtype", "location", "timeframe"],
);
const KIDS_COUNT_CO = aggregateSchema(
  "kids-count-co",
  [
    column("Location", "text", { required: true }),
    column("Race Ethnicity", "text", { required: true }),
    column("TimeFrame", "year", { required: true }),
    column("DataFormat", "text"),
    column("Data", "percent", { required: true }),
  ],
  "timeframe",
  ["location", "race_ethnicity", "timeframe"],
);

// Chicago Public Schools progress reports: 182 columns; these are the outcome ones c2c would use.
const CPS_NUMERIC = [
  "School_Survey_Parent_Response_Rate_Pct",
  "Student_Attendance_Year_2_Pct",
  "Freshmen_On_Track_School_Pct_Year_2",
  "Graduation_4_Year_School_Pct_Year_2",
  "College_Enrollment_School_Pct_Year_2",
];
const CPS = aggregateSchema(
  "cps-progress-reports",
  [
    column("School_ID", "id", { required: true }),
    column("Short_Name", "text"),
    column("Progress_Report_Year", "year", { required: true }),
    ...CPS_NUMERIC.map((h) => column(h, "percent")),
  ],
  "progress_report_year",
  ["school_id"],
);

let project: Project;
const effects = memoryEffects({}, { readDisk: true });

beforeAll(async () => {
  const config = ConfigSchema.parse({
    partnership: { name: "Real files", introduction: "Agency files as published." },
    community: { id: "anywhere", name: "Anywhere" },
  });
  const partner = PartnerSchema.parse({
    id: "agency",
    name: "Agency",
    kind: "school-district",
    extracts: [{ schema: "outcome-counts", files: "*" }],
  });
  const loaded = await loadProject(ROOT, REPO_ROOT, effects, { config, partners: [partner] });
  const extracts = new Map(loaded.extracts);
  for (const s of [NYC_DOE, EDFACTS, KIDS_COUNT_KY, KIDS_COUNT_CO, CPS]) extracts.set(s.id, s);
  project = { ...loaded, extracts };
});

/** Reads an agency file through the build's own stages, and again through reader and validator for typed rows. */
async function readAgencyFile(
  file: string,
  schema: ExtractSchema,
  options: ExtractOptions,
  folderYear: number | null = null,
) {
  const bytes = new Uint8Array(readFileSync(path.join(FIXTURES, file)));
  const rel = `data/agency/${file}`;
  effects.files.set(`${ROOT}/${rel}`, bytes);
  const extract = PartnerExtractSchema.parse({ schema: schema.id, files: "*", years: "any", ...options });
  const { result } = await processPartnerFile(
    { path: rel, partner: "agency", year: folderYear, extract },
    project,
    effects,
  );

  const where = { partner: "agency", file: rel };
  const validator = createRowValidator(schema, extract, project.vocabularies, where);
  const state = newValidationState();
  const rows = new Map<number, TypedRow>();
  async function* once() {
    yield bytes;
  }
  await readPartnerFile(once(), { schema, where, delimiter: extract.delimiter }, (raw) => {
    for (const r of validateRows(raw, validator, state).rows) rows.set(r.line, r);
  });
  const count = (code: string) =>
    result.issues
      .find((i) => i.code === code)
      ?.message.match(/^([\d,]+) cells/)?.[1]
      ?.replace(/,/g, "");
  return {
    result,
    errors: result.issues.filter((i) => i.severity === "error"),
    suppressed: Number(count("source-suppressed") ?? 0),
    bounded: Number(count("value-bounded") ?? 0),
    row: (line: number) => rows.get(line),
    table: parseCsv(new TextDecoder("utf-8").decode(bytes)),
  };
}

/**
 * A plain RFC 4180 reader, independent of the pipeline's: rows of cells, BOM dropped, CRLF or LF.
 * Only for counting cells in the test.
 */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  const body = text.replace(/^\uFEFF/, "");
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(cell);
      cell = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && body[i + 1] === "\n") i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else cell += ch;
  }
  if (cell !== "" || row.length > 0) rows.push([...row, cell]);
  return rows;
}

/** How many cells of the named columns hold one of the markers, counted from the raw text. */
function countCells(table: string[][], columns: readonly string[], test: (cell: string) => boolean): number {
  const [header = [], ...data] = table;
  const indexes = columns.map((c) => header.indexOf(c));
  expect(indexes).not.toContain(-1);
  return data.reduce((n, r) => n + indexes.filter((i) => test((r[i] ?? "").trim())).length, 0);
}

const RANGE = /^(\d+(\.\d+)?-\d+(\.\d+)?|(GE|GT|LE|LT)\d+|[<>]\s*\d+(\.\d+)?%?)$/;

describe("real agency files", () => {
  it("NYC DOE graduation outcomes: `s` suppressed, `.` not applicable, `1,059` a count", async () => {
    const markers = { suppressed: ["s"], notApplicable: ["."] };
    const f = await readAgencyFile("nyc-doe/graduation.csv", NYC_DOE, markers);
    const sCells = countCells(f.table, NYC_NUMERIC, (c) => c === "s");
    const dotCells = countCells(f.table, NYC_NUMERIC, (c) => c === ".");
    expect(sCells).toBeGreaterThan(500);
    expect(dotCells).toBeGreaterThan(0);
    expect(f.suppressed).toBe(sCells + dotCells);
    expect(f.bounded).toBe(0);
    // The only errors, none from a marker: the cohort `2006 Aug` (the 2006 cohort again in August)
    // is not a year, and line 211 says 108% of graduates got a local diploma (27 of 25): the agency's slip.
    const august = f.table.slice(1).filter((r) => r[3] === "2006 Aug").length;
    expect(august).toBeGreaterThan(0);
    const errors = f.errors.map((i) => [i.line, i.column, i.code, i.value]);
    expect(errors.filter(([, column]) => column === "cohort")).toHaveLength(august);
    expect(
      errors
        .filter(([, column]) => column === "cohort")
        .every(([, , code, v]) => code === "type-error" && v === "2006 Aug"),
    ).toBe(true);
    expect(errors.filter(([, column]) => column !== "cohort")).toEqual([
      [211, "local_pct_of_grads", "out-of-range", "108"],
    ]);
    expect(f.result.rowsRead).toBe(829);
    expect(f.result.rowsAccepted).toBe(829 - august - 1);

    // Line 2: `Total Cohort,01M292,HENRY STREET SCHOOL FOR INTERNATIONAL,2003,5,s,s,...`
    expect(f.row(2)?.values).toMatchObject({ dbn: "01M292", cohort: 2003, total_cohort: 5, total_grads_n: null });
    expect(f.row(2)?.withheld).toMatchObject({ total_grads_n: "suppressed", dropped_out_pct_of_cohort: "suppressed" });
    // Line 3: `...,2004,55,37,67.3,17,30.9,45.9,...`
    expect(f.row(3)?.values).toMatchObject({
      cohort: 2004,
      total_cohort: 55,
      total_grads_n: 37,
      total_grads_pct_of_cohort: expect.closeTo(0.673, 10),
    });
    // Line 341: `...,2001,66,0,0,0,0,.,...`: no graduates, so `% of grads` does not apply.
    expect(f.row(341)?.values).toMatchObject({ total_cohort: 66, total_grads_n: 0, total_regents_pct_of_grads: null });
    expect(f.row(341)?.withheld).toMatchObject({ total_regents_pct_of_grads: "not-applicable" });
    // Line 819: `Total Cohort,08X405,HERBERT H. LEHMAN HIGH SCHOOL,2004,"1,059",453,42.8,...`
    expect(f.row(819)?.values).toMatchObject({ dbn: "08X405", total_cohort: 1059, total_grads_n: 453 });
    expect(f.row(819)?.values.total_grads_pct_of_cohort).toBeCloseTo(0.428, 10);
  });

  it("EDFacts graduation rates: `PS` suppressed, `.` not applicable, ranges and GE/LT codes as bounds", async () => {
    const markers = { suppressed: ["PS"], notApplicable: ["."] };
    // The file has no year column: it is placed in time by its folder, as data/2015/<partner>/.
    const f = await readAgencyFile("nces-edfacts/EdFacts 2015.csv", EDFACTS, markers, 2015);
    const markerCells = countCells(f.table, EDFACTS_NUMERIC, (c) => c === "PS" || c === ".");
    const rangeCells = countCells(f.table, EDFACTS_NUMERIC, (c) => RANGE.test(c));
    expect(markerCells).toBe(666 + 967 + 967);
    expect(f.suppressed).toBe(markerCells);
    expect(rangeCells).toBeGreaterThan(1000);
    expect(f.bounded).toBe(rangeCells);
    expect(f.errors).toEqual([]);
    expect(f.result.rowsRead).toBe(300);

    // Line 2: `ALABAMA,01,0100005,Albertville City,010000500871,Albertville High Sch,252,91,.,.,1,PS,...,178,90-94,...`
    const r2 = f.row(2);
    expect(r2?.values).toMatchObject({
      fipst: "01",
      leaid: "0100005",
      ncessch: "010000500871",
      all_cohort_1415: 252,
      all_rate_1415: 0.91,
      mam_cohort_1415: null,
      mas_cohort_1415: 1,
      mas_rate_1415: null,
      mwh_cohort_1415: 178,
      mwh_rate_1415: null,
    });
    expect(r2?.withheld).toMatchObject({ mam_cohort_1415: "not-applicable", mas_rate_1415: "suppressed" });
    expect(r2?.bounds).toMatchObject({
      mhi_rate_1415: { lower: 0.85, upper: 0.89 },
      mwh_rate_1415: { lower: 0.9, upper: 0.94 },
      cwd_rate_1415: { lower: 0, upper: 0.5 },
      lep_rate_1415: { lower: 0.5, upper: 1 },
    });
    // Line 3: `...,Asbury Sch,63,GE95,...`
    expect(f.row(3)?.values).toMatchObject({ schnam: "Asbury Sch", all_cohort_1415: 63, all_rate_1415: null });
    expect(f.row(3)?.bounds?.all_rate_1415).toEqual({ lower: 0.95, upper: 1 });
  });

  it("Kentucky KIDS COUNT graduation rates: `*`, `**` and `***` suppressed", async () => {
    const markers = { suppressed: ["*", "**", "***"] };
    const f = await readAgencyFile("kidscount-ky/Cohort graduation rate.csv", KIDS_COUNT_KY, markers);
    const markerCells = countCells(f.table, ["Data"], (c) => /^\*{1,3}$/.test(c));
    expect(markerCells).toBe(56 + 44 + 1);
    expect(f.suppressed).toBe(markerCells);
    expect(f.bounded).toBe(0);
    expect(f.errors).toEqual([]);
    expect(f.result.rowsRead).toBe(2124);
    expect(f.result.rowsAccepted).toBe(2124);

    // Line 2: `State,Kentucky,2013,Rate,86.1` (after the byte-order mark).
    expect(f.row(2)?.values).toEqual({
      locationtype: "State",
      location: "Kentucky",
      timeframe: 2013,
      dataformat: "Rate",
      data: 0.861,
    });
    // Line 38: `School District,Anchorage Ind.,2013,Rate,*`; line 938: `...,Harrodsburg Ind.,2013,Rate,**`.
    expect(f.row(38)?.values).toMatchObject({ location: "Anchorage Ind.", data: null });
    expect(f.row(38)?.withheld).toEqual({ data: "suppressed" });
    expect(f.row(938)?.values).toMatchObject({ location: "Harrodsburg Ind.", data: null });
    // Line 100: `School District,Barbourville Ind.,2015,Rate,91.9`
    expect(f.row(100)?.values).toMatchObject({ location: "Barbourville Ind.", timeframe: 2015, data: 0.919 });
  });

  it("Colorado KIDS COUNT math proficiency: `LNE` suppressed, `N/A` not applicable, fractions, CRLF", async () => {
    const markers = { suppressed: ["LNE"], notApplicable: ["N/A"], percentScale: "fraction" as const };
    const file = "kidscount-co/Average proficiency on the CSAP_TCAP by race_ethnicity_ Math.csv";
    const f = await readAgencyFile(file, KIDS_COUNT_CO, markers);
    const lne = countCells(f.table, ["Data"], (c) => c === "LNE");
    const na = countCells(f.table, ["Data"], (c) => c === "N/A");
    expect([lne, na]).toEqual([77, 101]);
    expect(f.suppressed).toBe(lne + na);
    expect(f.bounded).toBe(0);
    expect(f.errors).toEqual([]);
    expect(f.result.rowsAccepted).toBe(400);

    // Line 2: `Colorado,All Students,2011,Percent,0.5573`
    expect(f.row(2)?.values).toMatchObject({ location: "Colorado", race_ethnicity: "All Students", data: 0.5573 });
    // Line 67: `ADAMS COUNTY 14,Asian,2011,Percent,N/A`; line 83: `ADAMS COUNTY 14,Asian,2013,Percent,LNE`.
    expect(f.row(67)?.withheld).toEqual({ data: "not-applicable" });
    expect(f.row(83)?.values).toMatchObject({ location: "ADAMS COUNTY 14", timeframe: 2013, data: null });
    expect(f.row(83)?.withheld).toEqual({ data: "suppressed" });
  });

  it("Chicago Public Schools progress reports: `< 30%` and `> 75%` as bounds, `.` not applicable", async () => {
    const file = "chicago-cps/Chicago_Public_Schools_-_School_Progress_Reports_SY1819.csv";
    const f = await readAgencyFile(file, CPS, { notApplicable: ["."] });
    const rangeCells = countCells(f.table, CPS_NUMERIC, (c) => RANGE.test(c));
    expect(rangeCells).toBe(35 + 5);
    expect(f.bounded).toBe(rangeCells);
    const dots = countCells(f.table, CPS_NUMERIC, (c) => c === ".");
    expect(dots).toBeGreaterThan(0);
    expect(f.suppressed).toBe(dots);
    expect(f.errors).toEqual([]);
    expect(f.result.issues.filter((i) => i.code === "unknown-column")).toHaveLength(182 - 8);
    expect(f.result.rowsAccepted).toBe(80);

    // Line 2: `609869,LANGFORD,...` with a parent response rate of `< 30%` and attendance 91.9.
    expect(f.row(2)?.values).toMatchObject({
      school_id: "609869",
      short_name: "LANGFORD",
      progress_report_year: 2018,
      school_survey_parent_response_rate_pct: null,
      student_attendance_year_2_pct: 0.919,
      graduation_4_year_school_pct_year_2: null,
    });
    expect(f.row(2)?.bounds).toEqual({ school_survey_parent_response_rate_pct: { lower: 0, upper: 0.3 } });
    // Line 3: `610225,WHISTLER,...`, `46%`; line 4: `609734,TAFT HS,...`, graduation 80.4.
    expect(f.row(3)?.values.school_survey_parent_response_rate_pct).toBe(0.46);
    expect(f.row(4)?.values).toMatchObject({ short_name: "TAFT HS", graduation_4_year_school_pct_year_2: 0.804 });
  });
});
