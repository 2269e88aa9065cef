import { describe, expect, it } from "vitest";
import { build } from "../build.ts";
import { type Observation, observationKey } from "../observation.ts";
import { loadFixtureProject, REPO_ROOT } from "../test-support/load-fixture.ts";

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

  it("no published cell of any real file is a number the file did not give", async () => {
    const { protection } = await built;
    for (const o of protection.published) {
      if (o.flag !== "ok" && o.flag !== "low-reliability") expect([o.numerator, o.value]).toEqual([null, null]);
      else expect(o.numerator! <= o.denominator!).toBe(true);
    }
  });
});
