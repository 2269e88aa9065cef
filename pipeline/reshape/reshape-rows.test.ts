import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { z } from "zod";
import {
  type ExtractMapping,
  ExtractMappingSchema,
  ExtractSchemaSchema,
  PartnerExtractSchema,
  type Vocabulary,
  VocabularySchema,
} from "../../schemas/index.ts";
import { checkMapping } from "../load/check-mapping.ts";
import { codeOf } from "../load/yaml-document.ts";
import { renderConfigMessage } from "../messages/config/index.ts";
import { readPartnerFile } from "../read/read-partner-file.ts";
import { REPO_ROOT } from "../test-support/load-fixture.ts";
import { deriveCount } from "./derive-count.ts";
import { fileReshape, headerNames } from "./reshape-file.ts";
import { createReshaper, type Reshaper } from "./reshape-rows.ts";

const SCHEMA = ExtractSchemaSchema.parse(
  parse(readFileSync(path.join(REPO_ROOT, "fixtures/real-community/schemas/extracts/agency-counts.yaml"), "utf8")),
);
const FIELDS = SCHEMA.fields.map((f) => f.name);
const VOCABULARIES = new Map<string, Vocabulary>(
  readdirSync(path.join(REPO_ROOT, "schemas/vocabularies")).map((f) => {
    const v = VocabularySchema.parse(parse(readFileSync(path.join(REPO_ROOT, "schemas/vocabularies", f), "utf8")));
    return [v.id, v];
  }),
);
const DISTRICTS = [{ id: "staten-island", name: "Staten Island", codes: ["3600103", "Richmond County, New York"] }];

function reshaper(
  header: string[],
  mapping: z.input<typeof ExtractMappingSchema>,
  scale: "percent" | "fraction" = "percent",
  markers: string[] = [],
) {
  const r = createReshaper(header, {
    mapping: ExtractMappingSchema.parse(mapping),
    schema: SCHEMA,
    percentScale: scale,
    vocabularies: VOCABULARIES,
    districts: DISTRICTS,
    markers,
    where: { partner: "p", file: "f.csv" },
  });
  if (!("reshape" in r)) throw new Error(r.issues.map((i) => i.message).join("; "));
  return r;
}

/** Rows as field → cell objects, only the fields that are filled. */
function rowsOf(r: Reshaper, rows: string[][], firstLine = 2) {
  const out = rows.flatMap((cells, i) => r.reshape(cells, firstLine + i));
  out.push(...r.finish());
  return out.map((row) => ({
    line: row.line,
    ...Object.fromEntries(FIELDS.map((f, i) => [f, row.cells[i]]).filter(([, c]) => c !== "")),
  }));
}

describe("deriveCount: a count from a rate only when the rate is exact and its count known", () => {
  it.each([
    ["81", "595", "percent", { kind: "count", cell: "482" }],
    ["0.42", "100", "fraction", { kind: "count", cell: "42" }],
    ["42%", "100", "fraction", { kind: "count", cell: "42" }],
    ["90-94", "101", "percent", { kind: "bounded", cell: "90-95" }],
    ["GE95", "40", "percent", { kind: "bounded", cell: "38-40" }],
    ["LT50", "12", "percent", { kind: "bounded", cell: "0-6" }],
    ["PS", "3", "percent", { kind: "marker", cell: "PS" }],
    ["", "30", "percent", { kind: "blank", cell: "" }],
    ["84", ".", "percent", { kind: "no-count", cell: "", bounded: false }],
    ["84", undefined, "percent", { kind: "no-count", cell: "", bounded: false }],
    ["90-94", undefined, "percent", { kind: "no-count", cell: "", bounded: true }],
    ["< 30%", undefined, "percent", { kind: "no-count", cell: "", bounded: true }],
    ["0", undefined, "percent", { kind: "no-count", cell: "", bounded: false }],
    ["1,059", "2,000", "fraction", { kind: "exceeds", cell: "", share: 1059 }],
  ] as const)("%s of %s (%s) → %o", (rate, of, scale, expected) => {
    expect(deriveCount(rate, of, scale)).toEqual(expected);
  });

  it("a share over 100% is never a count", () => {
    expect(deriveCount("108", "25", "percent").kind).toBe("exceeds");
    expect(deriveCount("100", "25", "percent")).toEqual({ kind: "count", cell: "25" });
  });
});

describe("createReshaper", () => {
  it("unpivots EDFacts-style columns by a pattern with named groups, with constants and a derived numerator", () => {
    const header = [
      "LEAID",
      "NCESSCH",
      "ALL_COHORT_1415",
      "ALL_RATE_1415",
      "MBL_COHORT_1415",
      "MBL_RATE_1415",
      "DATE_CUR",
    ];
    const r = reshaper(header, {
      unpivot: { columns: "^(?<group>[A-Z]{3})_(?<measure>COHORT|RATE)_1415$" },
      fields: {
        year: { value: "2015" },
        district_id: { column: "LEAID" },
        school_id: { column: "NCESSCH" },
        measure: { value: "graduation_acgr" },
        group_type: { column: "group", dimensionOf: true },
        group: { column: "group" },
        denominator: { column: "COHORT" },
        numerator: { rate: "RATE", of: "COHORT" },
      },
    });
    expect(rowsOf(r, [["3600103", "360010301939", "595", "81", "191", "70-74", "26NOV16"]])).toEqual([
      {
        line: 2,
        year: "2015",
        district_id: "3600103",
        school_id: "360010301939",
        measure: "graduation_acgr",
        group_type: "all",
        group: "ALL",
        denominator: "595",
        numerator: "482",
      },
      {
        line: 2,
        year: "2015",
        district_id: "3600103",
        school_id: "360010301939",
        measure: "graduation_acgr",
        group_type: "race_ethnicity",
        group: "MBL",
        denominator: "191",
        numerator: "133-142",
      },
    ]);
    expect(r.issues.map((i) => [i.code, i.column])).toEqual([["count-derived", "RATE"]]);
  });

  it("finds each NYC DOE Demographic label's dimension in the vocabularies, totals included", () => {
    const r = reshaper(["Demographic", "Cohort"], {
      fields: {
        year: { column: "Cohort", add: 4 },
        measure: { value: "g" },
        group_type: { column: "Demographic", dimensionOf: true },
        group: { column: "Demographic" },
      },
    });
    const labels = ["Total Cohort", "Black", "Female", "English Language Learners", "Special Education Students"];
    expect(
      rowsOf(
        r,
        labels.map((l) => [l, "2006"]),
      ).map((row) => [row.group_type, row.year]),
    ).toEqual([
      ["all", "2010"],
      ["race_ethnicity", "2010"],
      ["gender", "2010"],
      ["english_learner", "2010"],
      ["disability", "2010"],
    ]);
  });

  it("keeps only matching rows, counts the rest with the reason, and takes part of a code by `match`", () => {
    const r = reshaper(["DBN", "Cohort"], {
      keep: [{ column: "Cohort", pattern: "^\\d{4}$", reason: "August counts are repeats" }],
      fields: {
        year: { column: "Cohort" },
        district_id: { column: "DBN", match: "^\\d{2}[MXKQR]" },
        measure: { value: "g" },
        group_type: { value: "all" },
        group: { value: "all" },
      },
    });
    const rows = rowsOf(r, [
      ["31R440", "2006"],
      ["31R440", "2006 Aug"],
    ]);
    expect(rows.map((row) => [row.line, row.district_id])).toEqual([[2, "31R"]]);
    expect(r.issues.map((i) => [i.code, i.message])).toEqual([
      ["rows-left-out", "1 rows were left out by the extract's mapping: August counts are repeats."],
    ]);
  });

  it("leaves out the rows of places that are not the partnership's, when asked to", () => {
    const r = reshaper(["Geographic Area Name"], {
      skipOtherDistricts: true,
      fields: {
        year: { value: "2018" },
        district_id: { column: "Geographic Area Name" },
        measure: { value: "m" },
        group_type: { value: "all" },
        group: { value: "all" },
      },
    });
    expect(rowsOf(r, [["Albany County, New York"], ["Richmond County, New York"]]).map((x) => x.line)).toEqual([3]);
    expect(r.issues[0]?.message).toContain("`Albany County, New York`");
  });

  it("crosswalks the 2024 OMB categories to the 1997 ones c2c publishes, as data", () => {
    const r = reshaper(["race"], {
      fields: {
        year: { value: "2025" },
        measure: { value: "m" },
        group_type: { value: "race_ethnicity" },
        group: { column: "race", crosswalk: { from: "race_ethnicity_omb2024", to: "race_ethnicity" } },
      },
    });
    const labels = ["Middle Eastern or North African", "Multiracial and/or Multiethnic", "Hispanic or Latino"];
    expect(
      rowsOf(
        r,
        labels.map((l) => [l]),
      ).map((row) => row.group),
    ).toEqual(["white", "multiracial", "hispanic"]);
  });

  it("pivots a metric/submetric/value file into one row per key, then one row per measure", () => {
    const header = ["date", "metric", "submetric", "value"];
    const r = reshaper(header, {
      pivot: { keys: ["date"], names: ["metric", "submetric"], value: "value" },
      fields: {
        year: { column: "date", match: "\\d{4}$" },
        subset: { column: "date" },
        group_type: { value: "all" },
        group: { value: "all" },
        denominator: { column: "Total births!!Total" },
      },
      rows: [
        { measure: { value: "lbw" }, numerator: { rate: "Births by birthweight!!Low", of: "Total births!!Total" } },
        { measure: { value: "pnc" }, numerator: { rate: "Prenatal!!Prenatal", of: "Total births!!Total" } },
      ],
    });
    const rows = rowsOf(r, [
      ["Jan 1 2024", "Total births", "Total", "24518"],
      ["Jan 1 2024", "Births by birthweight", "Low", "9.09"],
      ["Jan 1 2024", "Prenatal", "Prenatal", "72.65"],
    ]);
    expect(rows.map((row) => [row.year, row.measure, row.numerator, row.denominator])).toEqual([
      ["2024", "lbw", "2229", "24518"],
      ["2024", "pnc", "17812", "24518"],
    ]);
  });

  it("reports a rate over 100% on its line and hands the row on to nobody", () => {
    const r = reshaper(["n", "rate"], {
      fields: {
        year: { value: "2025" },
        measure: { value: "m" },
        group_type: { value: "all" },
        group: { value: "all" },
        denominator: { column: "n" },
        numerator: { rate: "rate", of: "n" },
      },
    });
    expect(
      rowsOf(r, [
        ["25", "108"],
        ["25", "96"],
      ]).map((row) => [row.line, row.numerator]),
    ).toEqual([[3, "24"]]);
    expect(r.issues.map((i) => [i.code, i.line, i.column, i.severity])).toEqual([
      ["rate-exceeds-one", 2, "rate", "error"],
      ["count-derived", null, "rate", "info"],
    ]);
  });

  it("reports rates that come with no count at all and hands none of them on", () => {
    const r = reshaper(
      ["Location", "TimeFrame", "Data"],
      {
        fields: {
          year: { column: "TimeFrame" },
          district_id: { column: "Location" },
          measure: { value: "m" },
          group_type: { value: "all" },
          group: { value: "all" },
          numerator: { rate: "Data" },
        },
      },
      "percent",
      ["*"],
    );
    expect(
      rowsOf(r, [
        ["Jefferson Co.", "2015", "79.9"],
        ["Jefferson Co.", "2016", "*"],
      ]),
    ).toEqual([]);
    expect(r.issues.map((i) => [i.code, i.message.slice(0, 30)])).toEqual([
      ["rate-without-count", "1 rates in `Data` came without"],
      ["source-suppressed", "1 cells were withheld by the p"],
    ]);
  });

  it("accounts for every rate-only cell: a rate or range is reported, a marker withheld, a blank left out, other text an error", () => {
    const r = reshaper(
      ["Location", "Data"],
      {
        fields: {
          year: { value: "2014" },
          district_id: { column: "Location" },
          measure: { value: "m" },
          group_type: { value: "all" },
          group: { value: "all" },
          numerator: { rate: "Data" },
        },
      },
      "fraction",
      ["LNE", "N/A"],
    );
    const rows = [
      ["x", "0.5573"],
      ["x", "0"],
      ["x", "< 30%"],
      ["x", "> 75%"],
      ["x", "< 30%"],
      ["x", "LNE"],
      ["x", "n/a"],
      ["x", ""],
      ["x", "n<10"],
    ];
    expect(rowsOf(r, rows)).toEqual([]);
    expect(r.issues.map((i) => [i.code, i.severity, i.line, i.column, i.value])).toEqual([
      ["type-error", "error", 10, "Data", "n<10"],
      ["rate-without-count", "warning", null, "Data", "Data"],
      ["source-suppressed", "info", null, null, "LNE ×1, n/a ×1"],
      ["blank-rate", "info", null, "Data", null],
    ]);
    const [, noCount, withheld, blank] = r.issues;
    // Five rates, none a count: the exact 0 is not a zero count, the ranges are not counts either.
    expect(noCount?.message).toContain(
      "5 rates in `Data` came without the count they are a rate of (the file gives no count for any of them; 3 of them were given only as a range: `< 30%` ×2, `> 75%` ×1)",
    );
    expect(withheld?.message).toContain("2 cells were withheld");
    expect(blank?.message).toBe(
      "1 rows have a blank rate (`Data` ×1); a blank is unknown, never 0, so nothing is read from these rows.",
    );
    expect(r.rowsSeen).toBe(rows.length);
  });

  it("makes one row per `rows:` entry from a wide file, each with its own rate column and year column", () => {
    // A CPS-style school row: each outcome for two years, and the years given in two other columns.
    const header = ["School_ID", "Other_Metrics_Year_1", "Other_Metrics_Year_2", "Grad_Pct_Year_1", "Grad_Pct_Year_2"];
    const r = reshaper(header, {
      fields: {
        school_id: { column: "School_ID" },
        measure: { value: "graduation" },
        group_type: { value: "all" },
        group: { value: "all" },
      },
      rows: [
        { year: { column: "Other_Metrics_Year_1" }, numerator: { rate: "Grad_Pct_Year_1" } },
        { year: { column: "Other_Metrics_Year_2" }, numerator: { rate: "Grad_Pct_Year_2" } },
      ],
    });
    expect(
      rowsOf(r, [
        ["609734", "2017", "2018", "83", "80.4"],
        ["609869", "2017", "2018", "", ""],
      ]),
    ).toEqual([]);
    expect(r.rowsSeen).toBe(4);
    expect(r.issues.map((i) => [i.code, i.column, i.message.split(" came")[0]])).toEqual([
      ["rate-without-count", "Grad_Pct_Year_1", "1 rates in `Grad_Pct_Year_1`"],
      ["rate-without-count", "Grad_Pct_Year_2", "1 rates in `Grad_Pct_Year_2`"],
      [
        "blank-rate",
        null,
        "2 rows have a blank rate (`Grad_Pct_Year_1` ×1, `Grad_Pct_Year_2` ×1); a blank is unknown, never 0, so nothing is read from these rows.",
      ],
    ]);
  });

  it("names a mapped column the file lacks as the mapping's, with its key in partners.yaml and the nearest header, and no reshaper", () => {
    const r = createReshaper(["A", "Cohort Year"], {
      mapping: ExtractMappingSchema.parse({ fields: { year: { column: "Cohort Yaer" } } }),
      schema: SCHEMA,
      percentScale: "percent",
      vocabularies: VOCABULARIES,
      districts: [],
      markers: [],
      where: {},
      mappingKey: "partners[2].extracts[0].mapping",
    });
    expect("reshape" in r).toBe(false);
    expect(r.issues.map((i) => [i.code, i.column, i.line])).toEqual([["mapping-column-missing", "Cohort Yaer", 1]]);
    expect(r.issues[0]?.message).toContain("partners.yaml (`partners[2].extracts[0].mapping.fields.year.column`)");
    expect(r.issues[0]?.message).toContain("its nearest header is `Cohort Year`");
    expect(r.issues[0]?.message).toContain("This is the partnership's configuration, not the partner's file.");
  });
});

describe("a mapped file through the reader: multi-row headers", () => {
  it("names ACS columns by their second header row and unpivots the age groups", async () => {
    const csv = [
      '"GEO_ID","NAME","S2301_C01_002E","S2301_C03_002E","S2301_C01_002M"',
      '"id","Geographic Area Name","Estimate!!Total!!AGE!!16 to 19 years","Estimate!!Employment/Population Ratio!!AGE!!16 to 19 years","Margin of Error!!Total MOE!!AGE!!16 to 19 years"',
      '"0500000US36085","Richmond County, New York","23805","17.4","1213"',
      '"0500000US36001","Albany County, New York","N","N","*****"',
      "",
    ].join("\r\n");
    const extract = PartnerExtractSchema.parse({ schema: "agency-counts", files: "*.csv" });
    const reshape = fileReshape({
      mapping: ExtractMappingSchema.parse({
        headerRows: 2,
        unpivot: { columns: "^Estimate!!(?<measure>Total|Employment/Population Ratio)!!AGE!!(?<age>.+)$" },
        fields: {
          year: { value: "2018" },
          district_id: { column: "Geographic Area Name" },
          measure: { value: "youth_employment" },
          subset: { column: "age" },
          group_type: { value: "all" },
          group: { value: "all" },
          denominator: { column: "Total" },
          numerator: { rate: "Employment/Population Ratio", of: "Total" },
        },
      }),
      schema: SCHEMA,
      percentScale: extract.percentScale,
      vocabularies: VOCABULARIES,
      districts: DISTRICTS,
      markers: extract.suppressed,
      where: { file: "acs.csv" },
    });
    const rows: { line: number; cells: string[] }[] = [];
    async function* bytes() {
      yield new TextEncoder().encode(`\uFEFF${csv}`);
    }
    const read = await readPartnerFile(
      bytes(),
      { schema: SCHEMA, where: { file: "acs.csv" }, header: reshape.header },
      (r) => rows.push(...reshape.reshape(r)),
    );
    rows.push(...reshape.finish());
    const outcome = reshape.outcome(read);
    expect(outcome.failed).toBe(false);
    const cells = (i: number) => Object.fromEntries(FIELDS.map((f, k) => [f, rows[i]?.cells[k]]));
    expect(rows.map((r) => r.line)).toEqual([3, 4]);
    expect(cells(0)).toMatchObject({
      district_id: "Richmond County, New York",
      subset: "16 to 19 years",
      numerator: "4142",
    });
    // `N` (too few sample cases) passes on as written, for the partner's marker list to withhold.
    expect(cells(1)).toMatchObject({ denominator: "N", numerator: "N" });
  });

  it("joins header rows with a separator when asked to", async () => {
    const mapping: ExtractMapping = ExtractMappingSchema.parse({ headerRows: 2, joinHeaderRows: "!!", fields: {} });
    expect(
      headerNames(
        [
          ["GEO_ID", "S2301_C01_002E"],
          ["id", "Estimate!!Total"],
        ],
        mapping,
      ),
    ).toEqual(["GEO_ID!!id", "S2301_C01_002E!!Estimate!!Total"]);
  });
});

describe("the mapping schema rejects a wrong mapping, naming the key and the fix", () => {
  const messages = (input: unknown) => {
    const r = ExtractMappingSchema.safeParse(input);
    return r.success ? [] : r.error.issues.map((i) => [i.path.join("."), renderConfigMessage(codeOf(i), "en").message]);
  };

  it("a field with no source, or two", () => {
    expect(messages({ fields: { year: {} } })).toEqual([
      ["fields.year", expect.stringContaining("`column: <header>`, `value: <constant>` or `rate: <column>`")],
    ]);
    expect(messages({ fields: { year: { column: "A", value: "2015" } } })[0]?.[1]).toContain("give only one of");
  });

  it("an unpivot pattern with no `measure` group, a bad regex, a header row past the header", () => {
    expect(messages({ unpivot: { columns: "^(?<group>[A-Z]{3})_RATE$" }, fields: {} })[0]).toEqual([
      "unpivot.columns",
      expect.stringContaining("(?<measure>...)"),
    ]);
    expect(messages({ keep: [{ column: "A", pattern: "(" }], fields: {} })[0]?.[1]).toContain(
      "not a valid regular expression",
    );
    expect(messages({ headerRows: 1, headerRow: 2, fields: {} })[0]?.[0]).toBe("headerRow");
  });

  it("a target that is not a field of the schema, a rate into a text field, a required field left out", () => {
    const mapping = ExtractMappingSchema.parse({
      fields: { yr: { value: "2015" }, measure: { rate: "RATE", of: "N" }, group_type: { value: "all" } },
    });
    expect(checkMapping(mapping, SCHEMA, VOCABULARIES, "partners[0].extracts[0].mapping").map((e) => e.key)).toEqual([
      "partners[0].extracts[0].mapping.fields.yr",
      "partners[0].extracts[0].mapping.fields.measure.rate",
      // `year` and `group` are required and not filled.
      "partners[0].extracts[0].mapping.fields",
      "partners[0].extracts[0].mapping.fields",
    ]);
  });
});
