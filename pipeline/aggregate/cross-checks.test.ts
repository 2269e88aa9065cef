import { describe, expect, it } from "vitest";
import { ConfigSchema, type Indicator } from "../../schemas/index.ts";
import type { Observation } from "../observation.ts";
import { buildObservations } from "./build-observations.ts";
import { findImplausibleChanges, findPartsExceedTotal, resolveConflicts } from "./cross-checks.ts";
import { emptyPartialColumns, mergePartials, type PartialColumns, partialTable } from "./partial-counts.ts";

const config = ConfigSchema.parse({
  partnership: { name: "P", introduction: "I" },
  community: { id: "town", name: "Town" },
  districts: [{ id: "north", name: "North", codes: [] }],
});
const indicators = [{ id: "reading", shortTitle: "3rd-grade reading" }] as Indicator[];

type Row = [
  district: string,
  school: string,
  group: string,
  num: number,
  den: number,
  withheld: number,
  source: string,
];

function partial(rows: Row[]) {
  const c: PartialColumns = emptyPartialColumns();
  for (const [district, school, group, num, den, withheld, source] of rows) {
    c.indicator.push("reading");
    c.year.push(2025);
    c.district.push(district);
    c.school.push(school);
    c.dimension.push(group === "all" ? "all" : "race_ethnicity");
    c.group.push(group);
    c.source.push(source);
    c.numerator.push(num);
    c.denominator.push(den);
    c.withheld.push(withheld);
  }
  return partialTable(c);
}

const DISTRICT = "data/2025/north-sd/outcomes-2025.csv";
const STATE = "data/2025/state-portal/outcomes-2025.csv";

describe("resolveConflicts", () => {
  it("adds up the figures of a combined extract's files (a district's schools), cell by cell, with each file a source", () => {
    const SCHOOL_A = "data/2025/north-sd/assessment-2025-school-014.csv";
    const SCHOOL_B = "data/2025/north-sd/assessment-2025-school-022.csv";
    const combined = new Map([
      [SCHOOL_A, "north-sd 2025 assessment"],
      [SCHOOL_B, "north-sd 2025 assessment"],
    ]);
    const merged = mergePartials([
      partial([["north", "", "all", 40, 100, 0, SCHOOL_A]]),
      partial([["north", "", "all", 30, 50, 0, SCHOOL_B]]),
    ]);
    const { partials, issues } = resolveConflicts(merged, indicators, [], combined);
    expect(issues).toEqual([]);
    const [cell] = buildObservations(partials, config).filter((o) => o.geo_level === "district");
    expect(cell).toMatchObject({ numerator: 70, denominator: 150, flag: "ok", sources: [SCHOOL_A, SCHOOL_B] });
    // Another sender's figure is compared with the combined files' sum: here it agrees.
    const withState = mergePartials([merged, partial([["north", "", "all", 70, 150, 0, STATE]])]);
    const again = resolveConflicts(withState, indicators, [], combined);
    expect(again.issues.map((i) => [i.file, i.code])).toEqual([[STATE, "repeated-submission"]]);
    const [counted] = buildObservations(again.partials, config).filter((o) => o.geo_level === "district");
    expect(counted).toMatchObject({ numerator: 70, denominator: 150 });
    // Not combined, the two files' figures conflict, and neither is published.
    const apart = resolveConflicts(merged, indicators, []);
    expect(apart.issues.map((i) => i.code)).toEqual(["conflicting-submission", "conflicting-submission"]);
  });

  it("withholds a cell two partners sent with different figures, and tells both", () => {
    const merged = mergePartials([
      partial([["north", "", "all", 40, 100, 0, DISTRICT]]),
      partial([["north", "", "all", 45, 100, 0, STATE]]),
    ]);
    const { partials, issues } = resolveConflicts(merged, indicators, []);
    const [cell] = buildObservations(partials, config).filter((o) => o.geo_level === "district");
    expect(cell).toMatchObject({ numerator: null, denominator: null });
    expect(issues.map((i) => [i.file, i.code])).toEqual([
      [DISTRICT, "conflicting-submission"],
      [STATE, "conflicting-submission"],
    ]);
    expect(issues[0]?.message).toContain("this file says 40 of 100");
    expect(issues[0]?.message).toContain("says 45 of 100");
    expect(issues[0]?.message).toContain("neither was published");
  });

  it("publishes the figure of the partner listed first in precedence", () => {
    const merged = mergePartials([
      partial([["north", "", "all", 40, 100, 0, DISTRICT]]),
      partial([["north", "", "all", 45, 100, 0, STATE]]),
    ]);
    const { partials, issues } = resolveConflicts(merged, indicators, ["state-portal"]);
    const [cell] = buildObservations(partials, config).filter((o) => o.geo_level === "district");
    expect(cell).toMatchObject({ numerator: 45, denominator: 100, sources: [STATE] });
    expect(issues.find((i) => i.file === STATE)?.message).toContain("this file's figure was published");
  });

  it("counts a figure sent twice with the same numbers once", () => {
    const merged = mergePartials([
      partial([["north", "", "all", 40, 100, 0, DISTRICT]]),
      partial([["north", "", "all", 40, 100, 0, STATE]]),
    ]);
    const { partials, issues } = resolveConflicts(merged, indicators, []);
    const [cell] = buildObservations(partials, config).filter((o) => o.geo_level === "district");
    expect(cell).toMatchObject({ numerator: 40, denominator: 100 });
    expect(issues.map((i) => [i.file, i.code, i.severity])).toEqual([[STATE, "repeated-submission", "info"]]);
  });

  it("leaves schools of one district sent in separate cells alone", () => {
    const merged = mergePartials([
      partial([
        ["north", "101", "all", 10, 20, 0, DISTRICT],
        ["north", "102", "all", 10, 20, 0, STATE],
      ]),
    ]);
    expect(resolveConflicts(merged, indicators, []).issues).toEqual([]);
  });
});

describe("findPartsExceedTotal", () => {
  it("warns when a dimension's groups add up to more than the total", () => {
    const p = partial([
      ["north", "101", "all", 20, 50, 0, DISTRICT],
      ["north", "101", "hispanic", 10, 30, 0, DISTRICT],
      ["north", "101", "white", 10, 30, 0, DISTRICT],
      ["north", "102", "all", 20, 50, 0, DISTRICT],
      ["north", "102", "white", 10, 30, 0, DISTRICT],
    ]);
    const issues = findPartsExceedTotal(p, indicators, { partner: "north-sd", file: DISTRICT });
    expect(issues).toHaveLength(1);
    expect(issues[0]?.message).toContain("school 101, by race ethnicity");
    expect(issues[0]?.message).toContain("groups 60, total 50");
  });
});

describe("findImplausibleChanges", () => {
  const cell = (year: number, denominator: number): Observation => ({
    indicator: "reading",
    year,
    geo_level: "district",
    geo_id: "north",
    dimension: "all",
    group: "all",
    numerator: Math.round(denominator / 2),
    denominator,
    value: 0.5,
    lower: null,
    upper: null,
    flag: "ok",
    sources: [`data/${year}/north-sd/outcomes-${year}.csv`],
  });

  it("warns on the later year's file when the children counted more than double or halve", () => {
    const issues = findImplausibleChanges([cell(2023, 800), cell(2024, 820), cell(2025, 1700)], indicators, 2);
    expect(issues.map((i) => i.file)).toEqual(["data/2025/north-sd/outcomes-2025.csv"]);
    expect(issues[0]?.message).toContain("1700, against 820 the year before");
    expect(findImplausibleChanges([cell(2024, 820), cell(2025, 400)], indicators, 2)).toHaveLength(1);
    expect(findImplausibleChanges([cell(2024, 820), cell(2025, 1500)], indicators, 2)).toEqual([]);
  });
});
