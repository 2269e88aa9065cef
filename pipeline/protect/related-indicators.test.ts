import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ConfigSchema, type Indicator } from "../../schemas/index.ts";
import { deriveObservations } from "../derive/derive-observations.ts";
import type { Observation } from "../observation.ts";
import { observationsCsv } from "../render/site/downloads.ts";
import { auditSite, loadAuditSolver } from "../test-support/privacy-audit.ts";
import { loadRangeSolver } from "./integer-ranges.ts";
import { protectCells } from "./protect-cells.ts";

const solver = await loadRangeSolver();
const highs = await loadAuditSolver();

const config = (coding: boolean) =>
  ConfigSchema.parse({
    partnership: { name: "P", introduction: "I" },
    community: { id: "town", name: "Town" },
    privacy: { minimumCount: 10, ...(coding ? { coding: { below: 0.1, above: 0.9 } } : {}) },
  });

const indicator = (id: string, relations: Indicator["relations"] = []) =>
  ({
    id,
    partialDimensions: [],
    relations,
    sources: [{ kind: "record", schema: id, denominator: "true", numerator: "x" }],
  }) as unknown as Indicator;

/** Enrollment counts this spring's graduates: its denominator is graduation's numerator. */
const ENROLLMENT_OF_GRADUATES: Indicator["relations"] = [
  { count: "denominator", equals: "numerator", of: "graduation", yearOffset: 0 },
];

function cell(
  indicatorId: string,
  year: number,
  geo: string,
  dimension: string,
  group: string,
  numerator: number,
  denominator: number,
  flag: Observation["flag"] = "ok",
): Observation {
  const shown = flag === "ok";
  return {
    indicator: indicatorId,
    year,
    geo_level: geo === "town" ? "community" : "district",
    geo_id: geo,
    dimension: dimension as Observation["dimension"],
    group,
    numerator: shown ? numerator : null,
    denominator: shown ? denominator : null,
    value: null,
    lower: null,
    upper: null,
    flag,
    sources: [],
  };
}

const GENDERS = ["female", "male", "nonbinary"];
const EL = ["yes", "no"];

/** One student group of one district: its cohort, who graduated, and who of those enrolled. */
const crossArb = fc.record({
  cohort: fc.oneof(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 60 }), fc.integer({ min: 80, max: 200 })),
  graduated: fc.oneof(
    fc.constant(1),
    fc.double({ min: 0.85, max: 1, noNaN: true }),
    fc.double({ min: 0, max: 1, noNaN: true }),
  ),
  enrolled: fc.oneof(
    fc.constant(0),
    fc.double({ min: 0, max: 0.1, noNaN: true }),
    fc.double({ min: 0, max: 1, noNaN: true }),
  ),
});

/**
 * A random community over one or two years: one to three districts, each with its students by
 * gender × English learner; the graduation indicator counts the cohort and its graduates, the
 * enrollment indicator counts the graduates and who of them enrolled. A group with no one is
 * absent from a table, as a record-level build leaves it. Sometimes a district's partner withheld
 * its nonbinary graduation figures (the community's is then incomplete).
 */
const projectArb = fc.record({
  years: fc.integer({ min: 1, max: 2 }),
  districts: fc.array(fc.array(crossArb, { minLength: 6, maxLength: 6 }), { minLength: 1, maxLength: 3 }),
  withheld: fc.boolean(),
  coding: fc.boolean(),
  declared: fc.boolean(),
});

interface Community {
  years: number;
  districts: { cohort: number; graduated: number; enrolled: number }[][];
  withheld: boolean;
}

function tablesOf(project: Community): Observation[] {
  const counts = new Map<string, { n: number; d: number }>();
  const add = (key: string, n: number, d: number) => {
    const c = counts.get(key) ?? { n: 0, d: 0 };
    counts.set(key, { n: c.n + n, d: c.d + d });
  };
  for (let year = 2025; year < 2025 + project.years; year++)
    project.districts.forEach((crosses, i) => {
      const geo = `district-${i + 1}`;
      crosses.forEach(({ cohort, graduated, enrolled }, j) => {
        // The second year's students differ from the first's, in a way fixed by the first.
        const size = year === 2025 ? cohort : Math.round(cohort * 0.8 + 3);
        const grads = Math.round(size * graduated);
        const enrollees = Math.round(grads * enrolled);
        for (const place of [geo, "town"])
          for (const [dimension, group] of [
            ["all", "all"],
            ["gender", GENDERS[j % 3] as string],
            ["english_learner", EL[Math.floor(j / 3)] as string],
          ] as const) {
            add(`graduation|${year}|${place}|${dimension}|${group}`, grads, size);
            add(`enrollment|${year}|${place}|${dimension}|${group}`, enrollees, grads);
          }
      });
    });
  const cells: Observation[] = [];
  for (const [key, { n, d }] of counts) {
    if (d === 0) continue;
    const [id, year, geo, dimension, group] = key.split("|") as [string, string, string, string, string];
    const withheld = project.withheld && id === "graduation" && group === "nonbinary" && geo !== "district-2";
    const flag = !withheld ? "ok" : geo === "town" ? "incomplete" : "source-suppressed";
    cells.push(cell(id, Number(year), geo, dimension, group, n, d, flag));
  }
  return deriveObservations(cells);
}

describe("protection across related indicators", () => {
  it("on random communities with graduation and enrollment, leaves nothing a reader combining both can work out", () => {
    fc.assert(
      fc.property(projectArb, (project) => {
        const table = tablesOf(project);
        const indicators = [
          indicator("graduation"),
          indicator("enrollment", project.declared ? ENROLLMENT_OF_GRADUATES : []),
        ];
        const { published } = protectCells(table, indicators, config(project.coding), { solver });
        const report = auditSite(new Map([["data/observations.csv", observationsCsv(published)]]), {
          highs,
          policy: () => ({ minimumCount: 10, counted: ["numerator", "denominator", "complement"] }),
          // A declared relation is public (the methods page states it); else a reader has only the figures.
          relations: project.declared
            ? [
                {
                  left: { indicator: "enrollment", quantity: "denominator" },
                  right: { indicator: "graduation", quantity: "numerator" },
                  yearOffset: 0,
                },
              ]
            : [],
        });
        expect(report.findings.map((f) => `${f.kind} ${f.where} ${f.detail}`)).toEqual([]);
        expect(report.conflicts).toEqual([]);
      }),
      { numRuns: 100, seed: 20261204 },
    );
  });

  it("a top-coded graduation figure is not given back by enrollment's count of the same graduates", () => {
    // Cedar Hills' female cohort, 2023: 107 counted, 98 graduated (">90%"), 61 of the 98 enrolled.
    const table = deriveObservations([
      cell("graduation", 2023, "town", "all", "all", 200, 230),
      cell("graduation", 2023, "town", "gender", "female", 98, 107),
      cell("graduation", 2023, "town", "gender", "male", 102, 123),
      cell("graduation", 2023, "town", "english_learner", "yes", 50, 60),
      cell("graduation", 2023, "town", "english_learner", "no", 150, 170),
      cell("enrollment", 2023, "town", "all", "all", 120, 200),
      cell("enrollment", 2023, "town", "gender", "female", 61, 98),
      cell("enrollment", 2023, "town", "gender", "male", 59, 102),
      cell("enrollment", 2023, "town", "english_learner", "yes", 30, 50),
      cell("enrollment", 2023, "town", "english_learner", "no", 90, 150),
    ]);
    const indicators = [indicator("graduation"), indicator("enrollment", ENROLLMENT_OF_GRADUATES)];
    const { published } = protectCells(table, indicators, config(true), { solver });
    const female = published.find((o) => o.indicator === "graduation" && o.group === "female");
    expect(female?.flag).toBe("top-coded");
    // Publishing enrollment's 98 would say 9 did not graduate: it is hidden, and so is what would give it back.
    const enrollment = published.filter((o) => o.indicator === "enrollment");
    expect(enrollment.filter((o) => o.denominator !== null).map((o) => o.group)).not.toContain("female");
    const report = auditSite(new Map([["data/observations.csv", observationsCsv(published)]]), {
      highs,
      policy: () => ({ minimumCount: 10, counted: ["numerator", "denominator", "complement"] }),
    });
    expect(report.findings).toEqual([]);
    expect(
      report.relations.map((r) => `${r.left.indicator}.${r.left.quantity}=${r.right.indicator}.${r.right.quantity}`),
    ).toContain("enrollment.denominator=graduation.numerator");
  });

  it("finds an undeclared relation in the figures, and protects by it", () => {
    const table = tablesOf({
      years: 1,
      withheld: false,
      districts: [
        [
          { cohort: 150, graduated: 0.96, enrolled: 0.6 },
          { cohort: 140, graduated: 0.8, enrolled: 0.5 },
          { cohort: 3, graduated: 1, enrolled: 0.5 },
          { cohort: 30, graduated: 0.7, enrolled: 0.5 },
          { cohort: 35, graduated: 0.7, enrolled: 0.5 },
          { cohort: 2, graduated: 0.5, enrolled: 1 },
        ],
      ],
    });
    const { published, relations } = protectCells(
      table,
      [indicator("graduation"), indicator("enrollment")],
      config(true),
      {
        solver,
      },
    );
    expect(relations.map((r) => [r.left.indicator, r.left.count, r.right.indicator, r.right.count, r.origin])).toEqual([
      ["enrollment", "denominator", "graduation", "numerator", "detected"],
    ]);
    const report = auditSite(new Map([["data/observations.csv", observationsCsv(published)]]), {
      highs,
      policy: () => ({ minimumCount: 10, counted: ["numerator", "denominator", "complement"] }),
    });
    expect(report.findings).toEqual([]);
  });

  it("without the relation, the reader recovers a graduation figure from enrollment", () => {
    const table = deriveObservations([
      cell("graduation", 2023, "town", "all", "all", 200, 230),
      cell("graduation", 2023, "town", "gender", "female", 98, 107),
      cell("graduation", 2023, "town", "gender", "male", 102, 123),
      cell("graduation", 2023, "town", "english_learner", "yes", 50, 60),
      cell("graduation", 2023, "town", "english_learner", "no", 150, 170),
      cell("enrollment", 2023, "town", "all", "all", 120, 200),
      cell("enrollment", 2023, "town", "gender", "female", 61, 98),
      cell("enrollment", 2023, "town", "gender", "male", 59, 102),
      cell("enrollment", 2023, "town", "english_learner", "yes", 30, 50),
      cell("enrollment", 2023, "town", "english_learner", "no", 90, 150),
    ]);
    // Protected as if unrelated (each indicator alone), then read by a reader who relates them.
    const alone = [
      ...protectCells(
        table.filter((o) => o.indicator === "graduation"),
        [indicator("graduation")],
        config(true),
        { solver },
      ).published,
      ...protectCells(
        table.filter((o) => o.indicator === "enrollment"),
        [indicator("enrollment")],
        config(true),
        { solver },
      ).published,
    ];
    const report = auditSite(new Map([["data/observations.csv", observationsCsv(alone)]]), {
      highs,
      policy: () => ({ minimumCount: 10, counted: ["numerator", "denominator", "complement"] }),
    });
    expect(report.findings.map((f) => [f.kind, f.where, f.detail])).toContainEqual([
      "determined",
      "graduation|2023|community|town|gender|female",
      "98 of 107 can be worked out",
    ]);
  });
});
