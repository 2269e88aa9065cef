import { describe, expect, it } from "vitest";
import { build } from "../build.ts";
import { type Observation, observationKey } from "../observation.ts";
import { auditOptionsFor } from "../test-support/audit-options.ts";
import { loadFixtureProject, REPO_ROOT } from "../test-support/load-fixture.ts";
import { auditSite, loadAuditSolver } from "../test-support/privacy-audit.ts";

const highs = await loadAuditSolver();

/**
 * fixtures/real-community, built end to end in memory: real agency files read through their
 * mappings in partners.yaml alone. Every expected figure below was read by hand from the file
 * (the line numbers are the fixture file's), never from a stage of the pipeline.
 */
const built = (async () => {
  const effects = loadFixtureProject("real-community");
  return build(
    { projectDir: "/project", outDir: "/out", c2cRoot: REPO_ROOT, version: "0.0.0-test", buildDate: "2026-01-15" },
    effects,
  );
})();

type Key = Parameters<typeof observationKey>[0];
const cell = (
  indicator: string,
  year: number,
  geo: string,
  dimension = "all",
  group = "all",
  level: "district" | "community" = "district",
): Key => ({ indicator, year, geo_level: level, geo_id: geo, dimension, group }) as Key;

async function published(key: Key): Promise<Observation> {
  const { protection } = await built;
  const found = protection.published.find((o) => observationKey(o) === observationKey(key));
  if (!found) throw new Error(`no cell ${observationKey(key)}`);
  return found;
}

async function fileResult(path: string) {
  const { files } = await built;
  const found = files.find((f) => f.path === path);
  if (!found) throw new Error(`${path} was not read`);
  return found;
}

describe("fixtures/real-community", () => {
  it("NYC DOE: district 26's 2006 cohort (graduating 2010) is the sum of its five schools", async () => {
    // Total Cohort rows, cohort 2006, lines 7, 14, 21, 28, 34: `Total Cohort` and `Total Grads - n`.
    const o = await published(cell("hs-graduation-nyc-doe", 2010, "nyc-district-26"));
    expect([o.numerator, o.denominator, o.flag]).toEqual([
      786 + 897 + 474 + 723 + 235,
      981 + 1209 + 755 + 902 + 281,
      "ok",
    ]);
  });

  it("NYC DOE: Staten Island's female students of the 2004 cohort, by group", async () => {
    // Female rows, cohort 2004, lines 986-1042 (nine 31R schools).
    const o = await published(cell("hs-graduation-nyc-doe", 2008, "staten-island", "gender", "female"));
    expect([o.numerator, o.denominator]).toEqual([
      48 + 196 + 181 + 190 + 386 + 327 + 12 + 37 + 92,
      52 + 290 + 274 + 263 + 463 + 436 + 31 + 72 + 92,
    ]);
  });

  it("NYC DOE: a district with a school's `s` is never a number, and `2006 Aug` is left out with a reason", async () => {
    const { protection } = await built;
    const nyc = protection.published.filter((o) => o.indicator === "hs-graduation-nyc-doe");
    expect(nyc.every((o) => o.flag !== "ok" || (o.numerator !== null && o.denominator !== null))).toBe(true);
    expect(nyc.some((o) => o.flag === "incomplete" && o.numerator === null)).toBe(true);
    const file = await fileResult("data/2010/nyc-doe/graduation.csv");
    const leftOut = file.issues.find((i) => i.code === "rows-left-out" && i.column === "Cohort");
    expect(leftOut?.message).toContain("170 rows");
    // The file repeats Special Education rows with other figures (lines 321 and 383): an error, not a sum.
    expect(file.issues.some((i) => i.code === "duplicate-key" && i.line === 383)).toBe(true);
    expect(file.issues.some((i) => i.code === "type-error")).toBe(false);
  });

  it("EDFacts: district 26's graduates are each exact rate × cohort, rounded, added up", async () => {
    // LEA 3600099: ALL_COHORT_1415 / ALL_RATE_1415 = 848/90, 983/84, 1021/86, 611/55, 292/90.
    const o = await published(cell("hs-graduation-edfacts", 2015, "nyc-district-26"));
    expect([o.numerator, o.denominator]).toEqual([763 + 826 + 878 + 336 + 263, 848 + 983 + 1021 + 611 + 292]);
  });

  it("EDFacts: a place with a school given as a range (90-94, GE99) is bounded, never a number", async () => {
    // LEA 3600103 (Staten Island): Staten Island Technical HS has ALL_RATE_1415 = GE99.
    const o = await published(cell("hs-graduation-edfacts", 2015, "staten-island"));
    expect([o.numerator, o.flag]).toEqual([null, "incomplete"]);
    const file = await fileResult("data/2015/nces-edfacts/EdFacts 2015.csv");
    expect(file.issues.map((i) => i.code)).toEqual(
      expect.arrayContaining(["count-derived", "value-bounded", "source-suppressed", "rows-left-out"]),
    );
    expect(file.issues.filter((i) => i.severity === "error")).toEqual([]);
  });

  it("NYC Health: Asian children's 7-vaccine coverage in 2025 is the registry count over the rounded estimate", async () => {
    // Line 3: 2025, Q4, "Asian, non-Hispanic", POP_DENOMINATOR 11163.81, COUNT_PEOPLE_VAC 9546.
    const o = await published(cell("immunization-7-vaccine-series", 2025, "new-york-city", "race_ethnicity", "asian"));
    expect([o.numerator, o.denominator]).toEqual([9546, 11164]);
  });

  it("NYC Health: 2024's low-birth-weight births are each quarter's percent × births, rounded, added up", async () => {
    // Lines 10-13 (Total births) and 332-335 (Births by birthweight, Low) of data_archive.csv.
    const o = await published(cell("low-birth-weight", 2024, "new-york-city"));
    expect([o.numerator, o.denominator]).toEqual([
      Math.round(0.0909 * 24518) + Math.round(0.0873 * 24560) + Math.round(0.086 * 25715) + Math.round(0.0889 * 25425),
      24518 + 24560 + 25715 + 25425,
    ]);
    expect(o.numerator).toBe(2229 + 2144 + 2211 + 2260);
  });

  it("ACS: Richmond County's employed 16-24 year olds from two header rows and two age groups", async () => {
    // Richmond County, New York: S2301_C01_002E 23805, S2301_C03_002E 17.4; S2301_C01_003E 27976, S2301_C03_003E 52.8.
    const o = await published(cell("youth-employment", 2018, "staten-island"));
    expect([o.numerator, o.denominator]).toEqual([4142 + 14771, 23805 + 27976]);
  });

  it("KIDS COUNT: a rate with no count is reported to the partner and nothing is published", async () => {
    const { protection } = await built;
    expect(protection.published.filter((o) => o.indicator === "hs-graduation-kids-count")).toEqual([]);
    const file = await fileResult("data/2024/kidscount-ky/Cohort graduation rate.csv");
    const issue = file.issues.find((i) => i.code === "rate-without-count");
    // Jefferson Co. has one row for each year 2013-2024.
    expect(issue?.message).toMatch(/^12 rates in `Data`/);
    expect(file.rowsAccepted).toBe(0);
  });

  const CPS = "data/2018/chicago-cps/Chicago_Public_Schools_-_School_Progress_Reports_SY1819.csv";
  const CO_MATH = "data/2014/kidscount-co/Average proficiency on the CSAP_TCAP by race_ethnicity_ Math.csv";
  const CO_REMEDIATION = "data/2011/kidscount-co/Remediation in higher education.csv";
  /** The count at the start of an issue's message ("23 rates in ..."), by the issue's column. */
  const countsByColumn = (issues: { code: string; column: string | null; message: string }[], code: string) =>
    Object.fromEntries(
      issues
        .filter((i) => i.code === code)
        .map((i) => [i.column, Number(/^([\d,]+) /.exec(i.message)?.[1]?.replace(/,/g, ""))]),
    );

  it("Chicago CPS: each of 7 schools gives 7 rates and no count; every cell is reported, none is read as a number", async () => {
    const file = await fileResult(CPS);
    // Lines 2-8, one school each: 6 outcome rates (3 outcomes × Year_1/Year_2) and the parents' survey response rate.
    expect([file.rowsRead, file.rowsAccepted, file.rowsRejected]).toEqual([49, 0, 49]);
    // Non-blank cells, by column: Freshmen_On_Track (lines 4, 5, 7 for both years: 87/85.4, 81/83.3, 92.9/100);
    // Graduation_4_Year (lines 4, 5, 7: 83/80.4, 75/74.2, 7.4/0, a true 0 that is still only a rate);
    // College_Enrollment Year_1 (lines 4, 7: 66.4, 7.7; line 5 is blank), Year_2 (lines 4, 5, 7: 78.5, 62.3, 10.8);
    // the survey rate on lines 2-7: `< 30%`, 46%, `< 30%`, 30%, `> 75%`, 49%.
    expect(countsByColumn(file.issues, "rate-without-count")).toEqual({
      Freshmen_On_Track_School_Pct_Year_1: 3,
      Freshmen_On_Track_School_Pct_Year_2: 3,
      Graduation_4_Year_School_Pct_Year_1: 3,
      Graduation_4_Year_School_Pct_Year_2: 3,
      College_Enrollment_School_Pct_Year_1: 2,
      College_Enrollment_School_Pct_Year_2: 3,
      School_Survey_Parent_Response_Rate_Pct: 6,
    });
    const survey = file.issues.find(
      (i) => i.code === "rate-without-count" && i.column === "School_Survey_Parent_Response_Rate_Pct",
    );
    expect(survey?.message).toContain("3 of them were given only as a range: `< 30%` ×2, `> 75%` ×1");
    // Blank: the three elementary schools (lines 2, 3, 6) and line 8 (Englewood STEM, "not
    // enough data to display a progress report") have no outcome, 4 × 6 = 24 cells; line 5's College_Enrollment
    // Year_1; line 8's survey rate. 23 rates + 26 blanks = 49.
    const blank = file.issues.find((i) => i.code === "blank-rate");
    expect(blank?.message).toMatch(/^26 rows have a blank rate/);
    expect(blank?.message).toContain("`College_Enrollment_School_Pct_Year_1` ×5");
    expect(file.issues.filter((i) => i.severity === "error")).toEqual([]);
    expect(file.issues.some((i) => i.code === "source-suppressed" || i.code === "value-bounded")).toBe(false);
  });

  it("KIDS COUNT Colorado math: rates by race with `LNE` and `N/A` withheld, the state row left out", async () => {
    const file = await fileResult(CO_MATH);
    expect([file.rowsRead, file.rowsAccepted]).toEqual([96, 0]);
    // Lines 2-33: `Colorado`, the state, is not one of the places (it would count its districts twice).
    const leftOut = file.issues.find((i) => i.code === "rows-left-out");
    expect(leftOut?.message).toMatch(/^32 rows .* \(e\.g\. `Colorado`\)/);
    // Lines 66-97: DENVER COUNTY 1, 32 fractions. Lines 34-65: AGUILAR REORGANIZED 6, 3 fractions a year
    // (All Students, Hispanic, White); the other 5 groups are `N/A` in 2011 (lines 35-37, 39-40) and
    // `LNE` in 2012-2014 (lines 43-45, 47-48, 51-53, 55-56, 59-61, 63-64).
    expect(countsByColumn(file.issues, "rate-without-count")).toEqual({ Data: 32 + 12 });
    const withheld = file.issues.find((i) => i.code === "source-suppressed");
    expect(withheld?.value).toBe("N/A ×5, LNE ×15");
    expect(withheld?.message).toMatch(/^20 cells were withheld by the partner/);
    expect(file.issues.filter((i) => i.severity === "error")).toEqual([]);
  });

  it("KIDS COUNT Colorado remediation: the whole file, two places kept, `N/A` withheld", async () => {
    const file = await fileResult(CO_REMEDIATION);
    // 543 data lines: 181 places × 2009-2011. Kept: DENVER COUNTY 1 (lines 140-142: 0.604, 0.636, 0.625)
    // and AGUILAR REORGANIZED 6 (lines 17-19: `N/A` every year).
    expect([file.rowsRead, file.rowsAccepted]).toEqual([543, 0]);
    expect(file.issues.find((i) => i.code === "rows-left-out")?.message).toMatch(/^537 rows /);
    expect(countsByColumn(file.issues, "rate-without-count")).toEqual({ Data: 3 });
    expect(file.issues.find((i) => i.code === "source-suppressed")?.value).toBe("N/A ×3");
    expect(file.issues.filter((i) => i.severity === "error")).toEqual([]);
  });

  it("no cell of any rate-only file is published, or even counted before protection", async () => {
    const { observations, protection } = await built;
    const rateOnly = [CPS, CO_MATH, CO_REMEDIATION, "data/2024/kidscount-ky/Cohort graduation rate.csv"];
    const indicators = ["hs-graduation-kids-count"];
    for (const table of [observations, protection.published]) {
      expect(table.filter((o) => indicators.includes(o.indicator))).toEqual([]);
      expect(table.filter((o) => o.sources.some((s) => rateOnly.includes(s)))).toEqual([]);
    }
  });

  it("EDFacts: groups reported without their complements are kept, and the site passes the audit", async () => {
    const { protection, site, project } = await built;
    // District 26's five schools (lines 370-374 of the fixture) give CWD and LEP only as ranges
    // (`70-74`, `40-59`, ...) or `PS`, and ECD as a range at one school (`90-94`, line 374): each
    // group is incomplete, never a number.
    const oneSided = protection.published.filter(
      (o) =>
        o.indicator === "hs-graduation-edfacts" &&
        o.geo_id === "nyc-district-26" &&
        ["disability", "economic_disadvantage", "english_learner"].includes(o.dimension),
    );
    expect(oneSided.map((o) => [o.dimension, o.group, o.flag])).toEqual([
      ["disability", "yes", "incomplete"],
      ["economic_disadvantage", "yes", "incomplete"],
      ["english_learner", "yes", "incomplete"],
    ]);
    const report = auditSite(site, auditOptionsFor(highs, project.indicators, project.config.privacy));
    expect(report.findings).toEqual([]);
  });

  it("EDFacts: New Rochelle and Newburgh, one high school each, by group", async () => {
    // Line 973 (New Rochelle HS): ALL 867 at 85, MHI 346 at 78, ECD 378 at 85; the other groups are
    // ranges (`GE90`, `80-84`, `90-94`, `55-59`, `30-39`) or `PS`.
    // Line 977 (Newburgh Free Academy): ALL 779 at 75, MHI 309 at 72, ECD 492 at 68.
    const counts = async (geo: string, dimension = "all", group = "all") => {
      const o = await published(cell("hs-graduation-edfacts", 2015, geo, dimension, group));
      return [o.numerator, o.denominator, o.flag];
    };
    expect(await counts("new-rochelle")).toEqual([Math.round(867 * 0.85), 867, "ok"]);
    expect(await counts("new-rochelle", "race_ethnicity", "hispanic")).toEqual([Math.round(346 * 0.78), 346, "ok"]);
    expect(await counts("new-rochelle", "economic_disadvantage", "yes")).toEqual([Math.round(378 * 0.85), 378, "ok"]);
    expect(await counts("newburgh")).toEqual([Math.round(779 * 0.75), 779, "ok"]);
    expect(await counts("newburgh", "race_ethnicity", "hispanic")).toEqual([Math.round(309 * 0.72), 309, "ok"]);
    expect(await counts("newburgh", "economic_disadvantage", "yes")).toEqual([Math.round(492 * 0.68), 492, "ok"]);
    // A range is never a number: New Rochelle's White students (`90-94` of 250) stay withheld.
    expect(await counts("new-rochelle", "race_ethnicity", "white")).toEqual([null, null, "source-suppressed"]);
  });

  it("says where the figures are when there is none for everyone together", async () => {
    const { site } = await built;
    const page = String(site.get("indicators/immunization-7-vaccine-series.html"));
    // NYC Health gives each race/ethnicity group but no all-children row (see the README).
    expect(page).toContain(
      "No figure for everyone together can be published; the figures by group or place are below.",
    );
    const index = String(site.get("index.html"));
    const card = index.slice(index.indexOf('href="indicators/hs-graduation-kids-count.html"'));
    expect(card.slice(0, card.indexOf("</li>"))).toContain("No figure can be published yet.");
  });

  it("no published cell of any real file is a number the file did not give", async () => {
    const { protection } = await built;
    for (const o of protection.published) {
      if (o.flag !== "ok" && o.flag !== "low-reliability") expect([o.numerator, o.value]).toEqual([null, null]);
      else expect(o.numerator! <= o.denominator!).toBe(true);
    }
  });
});
