import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ConfigSchema, type Indicator } from "../../schemas/index.ts";
import { deriveObservations } from "../derive/derive-observations.ts";
import { type Observation, observationKey } from "../observation.ts";
import { observationsCsv } from "../render/site/downloads.ts";
import { auditSite, loadAuditSolver } from "../test-support/privacy-audit.ts";
import { loadRangeSolver } from "./integer-ranges.ts";
import { cellsOf, linkedSets } from "./linked-sets.ts";
import { protectCells } from "./protect-cells.ts";

const highs = await loadAuditSolver();

const solver = await loadRangeSolver();

const config = ConfigSchema.parse({
  partnership: { name: "P", introduction: "I" },
  community: { id: "town", name: "Town" },
});
const indicator = (id: string, schema = "student-assessment", relations: Indicator["relations"] = []) =>
  ({
    id,
    partialDimensions: [],
    relations,
    sources: [{ kind: "record", schema, denominator: "true", numerator: "x" }],
  }) as unknown as Indicator;
const reading = indicator("reading");

function cell(
  geo: string,
  dimension: string,
  group: string,
  numerator: number,
  denominator: number,
  flag: Observation["flag"] = "ok",
): Observation {
  return {
    indicator: "reading",
    year: 2025,
    geo_level: geo === "town" ? "community" : "district",
    geo_id: geo,
    dimension: dimension as Observation["dimension"],
    group,
    numerator: flag === "ok" ? numerator : null,
    denominator: flag === "ok" ? denominator : null,
    value: flag === "ok" && denominator > 0 ? numerator / denominator : null,
    lower: null,
    upper: null,
    flag,
    sources: [],
  };
}

const shown = (published: Observation[]) =>
  published.filter((o) => o.value !== null).map((o) => `${o.geo_id}/${o.dimension}/${o.group}`);

/** What a reader can work out from the CSV download of a protected table. */
function audit(published: readonly Observation[], sameDenominators: string[][] = []) {
  const site = new Map([["data/observations.csv", observationsCsv(published)]]);
  return auditSite(site, {
    highs,
    policy: () => ({ minimumCount: config.privacy.minimumCount, counted: config.privacy.counted }),
    sameDenominators,
  });
}

/** Protects the cells and expects the audit to find nothing in what is published. */
function protect(cells: Observation[], indicators = [reading]) {
  const result = protectCells(cells, indicators, config, { solver });
  const report = audit(result.published);
  expect(report.findings).toEqual([]);
  expect(report.conflicts).toEqual([]);
  return result;
}

describe("protectCells", () => {
  it("hides a small group and the smallest other group beside a published total", () => {
    const { published, hidden } = protect([
      cell("town", "all", "all", 200, 400),
      cell("town", "gender", "female", 100, 210),
      cell("town", "gender", "male", 96, 184),
      cell("town", "gender", "nonbinary", 4, 6),
    ]);
    expect(shown(published)).toEqual(["town/all/all", "town/gender/female"]);
    expect([...hidden.values()].sort()).toEqual(["complementary", "primary"]);
  });

  it("leaks the small group when complementary suppression is off, and the audit says so", () => {
    const cells = [
      cell("town", "all", "all", 200, 400),
      cell("town", "gender", "female", 100, 210),
      cell("town", "gender", "male", 96, 184),
      cell("town", "gender", "nonbinary", 4, 6),
    ];
    const { published } = protectCells(cells, [reading], config, { solver, complementary: false });
    expect(audit(published).findings.map((f) => [f.kind, f.where])).toEqual([
      ["determined", "reading|2025|community|town|gender|nonbinary"],
    ]);
  });

  it("counts the outcome and its complement: 0%, 100% and near-100% of a large group are hidden", () => {
    const { published } = protect([
      cell("town", "all", "all", 0, 50),
      cell("town", "race_ethnicity", "asian", 50, 50),
      cell("town", "race_ethnicity", "white", 95, 100),
    ]);
    expect(shown(published)).toEqual([]);
  });

  it("hides a 0% group's complement so that the hidden cells hold some who reached the outcome", () => {
    const { published } = protect([
      cell("town", "all", "all", 150, 300),
      cell("town", "race_ethnicity", "asian", 0, 40),
      cell("town", "race_ethnicity", "black", 30, 60),
      cell("town", "race_ethnicity", "white", 120, 200),
    ]);
    expect(shown(published)).toEqual(["town/all/all", "town/race_ethnicity/white"]);
  });

  it("protects both sides of a yes/no dimension", () => {
    const { published } = protect([
      cell("town", "all", "all", 50, 100),
      cell("town", "english_learner", "yes", 3, 8),
      cell("town", "english_learner", "no", 47, 92),
    ]);
    expect(shown(published)).toEqual(["town/all/all"]);
  });

  it("hides a third group when two small groups together are still fewer than the minimum", () => {
    const { published, hidden } = protect([
      cell("town", "all", "all", 80, 160),
      cell("town", "race_ethnicity", "asian", 3, 7),
      cell("town", "race_ethnicity", "black", 4, 8),
      cell("town", "race_ethnicity", "hispanic", 20, 40),
      cell("town", "race_ethnicity", "white", 53, 105),
    ]);
    expect(shown(published)).toEqual(["town/all/all", "town/race_ethnicity/white"]);
    expect([...hidden.values()].sort()).toEqual(["complementary", "primary", "primary"]);
  });

  it("needs no complement when two small groups hide enough between them", () => {
    const { hidden } = protect([
      cell("town", "all", "all", 80, 160),
      cell("town", "race_ethnicity", "asian", 8, 12),
      cell("town", "race_ethnicity", "black", 5, 18),
      cell("town", "race_ethnicity", "white", 67, 130),
    ]);
    expect([...hidden.values()]).toEqual(["primary", "primary"]);
  });

  it("stops a district's hidden cell being recovered from the community and the other district", () => {
    const { published } = protect([
      cell("town", "race_ethnicity", "asian", 20, 45),
      cell("north", "race_ethnicity", "asian", 17, 39),
      cell("south", "race_ethnicity", "asian", 3, 6),
    ]);
    expect(shown(published)).toEqual(["town/race_ethnicity/asian"]);
  });

  it("protects a small group in a district whose other figures are all published", () => {
    const cells = [
      cell("town", "all", "all", 300, 600),
      cell("town", "gender", "female", 150, 290),
      cell("town", "gender", "male", 146, 302),
      cell("town", "gender", "nonbinary", 4, 8),
      cell("north", "all", "all", 200, 400),
      cell("north", "gender", "female", 100, 190),
      cell("north", "gender", "male", 96, 202),
      cell("north", "gender", "nonbinary", 4, 8),
      cell("south", "all", "all", 100, 200),
      cell("south", "gender", "female", 50, 100),
      cell("south", "gender", "male", 50, 100),
    ];
    const { published } = protect(cells);
    expect(shown(published)).toContain("town/all/all");
    expect(shown(published)).not.toContain("town/gender/nonbinary");
    expect(shown(published)).not.toContain("north/gender/nonbinary");
  });

  it("publishes a group that is everyone, and hides it with its total when both are small", () => {
    const big = protect([cell("town", "all", "all", 40, 80), cell("town", "gender", "female", 40, 80)]);
    expect(shown(big.published)).toEqual(["town/all/all", "town/gender/female"]);
    const small = protect([cell("town", "all", "all", 4, 8), cell("town", "gender", "female", 4, 8)]);
    expect(shown(small.published)).toEqual([]);
  });

  it("treats a partner-withheld cell as hidden, so one more is hidden beside it", () => {
    const { published } = protect([
      cell("north", "all", "all", 100, 200),
      cell("north", "gender", "female", 0, 0, "source-suppressed"),
      cell("north", "gender", "male", 45, 90),
      cell("north", "gender", "nonbinary", 0, 0, "source-suppressed"),
    ]);
    expect(shown(published)).toEqual(["north/all/all", "north/gender/male"]);
    const { published: one } = protect([
      cell("north", "all", "all", 100, 200),
      cell("north", "gender", "female", 0, 0, "source-suppressed"),
      cell("north", "gender", "male", 45, 90),
    ]);
    expect(shown(one)).toEqual(["north/all/all"]);
  });

  it("publishes a cell hidden one year when the next year's counts are large enough", () => {
    const y2024 = { ...cell("town", "all", "all", 4, 9), year: 2024 };
    const y2025 = cell("town", "all", "all", 12, 30);
    expect(shown(protect([y2024, y2025]).published)).toEqual(["town/all/all"]);
  });

  it("protects a cohort counted under two indicators: what one hides, the other does not give back", () => {
    const births = (id: string, n: number[]) =>
      ["all", "asian", "white", "hispanic"].map((g, i) => ({
        ...cell("town", g === "all" ? "all" : "race_ethnicity", g, n[i] as number, [300, 40, 160, 100][i] as number),
        indicator: id,
      }));
    const cells = [...births("low-birth-weight", [30, 3, 15, 12]), ...births("prenatal-care", [200, 20, 100, 80])];
    const indicators = [indicator("low-birth-weight", "birth-outcomes"), indicator("prenatal-care", "birth-outcomes")];
    const { published, relations } = protectCells(cells, indicators, config, { solver });
    expect(relations.map((r) => [r.left.indicator, r.right.indicator, r.origin])).toEqual([
      ["low-birth-weight", "prenatal-care", "definition"],
    ]);
    const hiddenGroups = (id: string) =>
      published.filter((o) => o.indicator === id && o.value === null).map((o) => o.group);
    expect(hiddenGroups("low-birth-weight")).toContain("asian");
    expect(audit(published, [["low-birth-weight", "prenatal-care"]]).findings).toEqual([]);
  });

  it("honours an indicator's own policy: a higher minimum, and hiding unreliable rates", () => {
    const strict = {
      ...reading,
      privacy: { minimumCount: 11, reliability: { action: "hide" } },
    } as unknown as Indicator;
    const { published, hidden } = protectCells(
      [cell("town", "all", "all", 15, 25), { ...cell("town", "all", "all", 11, 22), year: 2024 }],
      [strict],
      config,
      { solver },
    );
    expect(shown(published)).toEqual([]);
    expect([...hidden.values()].sort()).toEqual(["primary", "reliability"]);
  });

  it("flags a published rate on few people as low-reliability", () => {
    const { published } = protectCells([cell("town", "all", "all", 12, 25)], [reading], config, { solver });
    expect(published[0]?.flag).toBe("low-reliability");
    expect(published[0]?.numerator).toBe(12);
  });

  it("leaves no linked set with exactly one hidden cell, and nothing below the minimum", () => {
    const cells = [
      cell("town", "all", "all", 300, 600),
      ...["asian", "black", "hispanic", "white", "pacific_islander"].map((g, i) =>
        cell("town", "race_ethnicity", g, [40, 60, 90, 108, 2][i]!, [80, 120, 180, 215, 5][i]!),
      ),
      ...["yes", "no"].map((g, i) => cell("town", "disability", g, [30, 270][i]!, [66, 534][i]!)),
    ];
    const { published } = protect(cells);
    const hiddenKeys = new Set(published.filter((o) => o.value === null).map(observationKey));
    for (const set of linkedSets(published)) {
      const members = cellsOf(set);
      expect(members.filter((o) => hiddenKeys.has(observationKey(o))).length).not.toBe(1);
    }
    for (const o of published.filter((o) => o.value !== null)) {
      expect(Math.min(o.numerator!, o.denominator!, o.denominator! - o.numerator!)).toBeGreaterThanOrEqual(10);
    }
  });
});

/**
 * A random community: one or two districts, each with children counted by gender × English
 * learner (groups of 0 to 40), and sometimes a district whose partner withheld its nonbinary count.
 */
const communityArb = fc.array(
  fc.record({
    crosses: fc.array(
      fc.record({
        size: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 40 })),
        share: fc.oneof(fc.constant(0), fc.constant(1), fc.double({ min: 0, max: 1, noNaN: true })),
      }),
      { minLength: 8, maxLength: 8 },
    ),
    withheld: fc.boolean(),
  }),
  { minLength: 1, maxLength: 2 },
);

const GENDERS = ["female", "male", "nonbinary", "unknown"];
const EL = ["yes", "no"];

function tableOf(districts: { crosses: { size: number; share: number }[]; withheld: boolean }[]): Observation[] {
  const counts = new Map<string, { n: number; d: number }>();
  const add = (geo: string, dimension: string, group: string, n: number, d: number) => {
    const key = `${geo}|${dimension}|${group}`;
    const c = counts.get(key) ?? { n: 0, d: 0 };
    counts.set(key, { n: c.n + n, d: c.d + d });
  };
  const withheld = new Set<string>();
  districts.forEach(({ crosses, withheld: nonbinaryWithheld }, i) => {
    const geo = i === 0 ? "north" : "south";
    crosses.forEach(({ size, share }, j) => {
      if (size === 0) return;
      const n = Math.round(size * share);
      if (nonbinaryWithheld && j % 4 === 2) withheld.add(`${geo}|gender|nonbinary`).add("town|gender|nonbinary");
      for (const place of [geo, "town"]) {
        add(place, "all", "all", n, size);
        add(place, "gender", GENDERS[j % 4] as string, n, size);
        add(place, "english_learner", EL[Math.floor(j / 4)] as string, n, size);
      }
    });
  });
  return deriveObservations(
    [...counts.entries()].map(([key, { n, d }]) => {
      const [geo, dimension, group] = key.split("|") as [string, string, string];
      if (!withheld.has(key)) return cell(geo, dimension, group, n, d);
      return cell(geo, dimension, group, 0, 0, geo === "town" ? "incomplete" : "source-suppressed");
    }),
  );
}

describe("protectCells on random tables", () => {
  it("leaves nothing the audit can work out", () => {
    fc.assert(
      fc.property(communityArb, (districts) => {
        const { published } = protectCells(tableOf(districts), [reading], config, { solver });
        const report = audit(published);
        expect(report.findings).toEqual([]);
        expect(report.conflicts).toEqual([]);
      }),
      { numRuns: 300, seed: 20260115 },
    );
  });

  it("never undoes a primary suppression, whatever else is hidden", () => {
    fc.assert(
      fc.property(communityArb, (districts) => {
        const table = tableOf(districts);
        const withComplements = protectCells(table, [reading], config, { solver }).hidden;
        for (const [key, reason] of protectCells(table, [reading], config, { solver, complementary: false }).hidden)
          expect(withComplements.get(key), key).toBe(reason);
      }),
      { numRuns: 100, seed: 7 },
    );
  });
});

describe("top and bottom coding", () => {
  const coding = ConfigSchema.parse({
    partnership: { name: "P", introduction: "I" },
    community: { id: "town", name: "Town" },
    privacy: { coding: { below: 0.05, above: 0.95 } },
  });
  const protectCoded = (cells: Observation[]) => {
    const result = protectCells(deriveObservations(cells), [reading], coding, { solver });
    const report = audit(result.published);
    expect(report.findings).toEqual([]);
    expect(report.conflicts).toEqual([]);
    return result.published;
  };
  const find = (published: Observation[], group: string) => published.find((o) => o.group === group) as Observation;

  it("shows a rate few reached as <5% with its denominator, and hides its numerator", () => {
    const published = protectCoded([
      cell("town", "all", "all", 503, 1000),
      cell("town", "disability", "yes", 3, 400),
      cell("town", "disability", "no", 500, 600),
    ]);
    const yes = find(published, "yes");
    expect(yes).toMatchObject({ flag: "bottom-coded", numerator: null, value: null, denominator: 400 });
    expect([yes.lower, yes.upper]).toEqual([0, 0.05]);
    // "yes" alone would be 503 − 500: the other side of the question is hidden with it.
    expect(find(published, "no").flag).toBe("suppressed");
    expect(find(published, "all").value).toBeCloseTo(0.503);
  });

  it("shows a rate almost everyone reached as >95%", () => {
    const published = protectCoded([
      cell("town", "all", "all", 798, 900),
      cell("town", "disability", "yes", 498, 500),
      cell("town", "disability", "no", 300, 400),
    ]);
    const yes = find(published, "yes");
    expect(yes).toMatchObject({ flag: "top-coded", numerator: null, denominator: 500, lower: 0.95, upper: 1 });
    expect(find(published, "no").flag).toBe("suppressed");
  });

  it("hides rather than codes where the code's range holds fewer than the minimum's values", () => {
    // Below 5% of 150 leaves 0 to 7: eight values, fewer than 10, so "<5%" would say too much.
    const published = protectCoded([
      cell("town", "all", "all", 503, 750),
      cell("town", "disability", "yes", 3, 150),
      cell("town", "disability", "no", 500, 600),
    ]);
    expect(find(published, "yes").flag).toBe("suppressed");
    expect(find(published, "yes").denominator).toBeNull();
  });

  it("codes only where the numerator (or complement) is the only small count", () => {
    // 5 of 8: every count is small, and the rate is in the middle.
    const published = protectCoded([
      cell("town", "all", "all", 505, 1008),
      cell("town", "disability", "yes", 5, 8),
      cell("town", "disability", "no", 500, 1000),
    ]);
    expect(find(published, "yes").flag).toBe("suppressed");
  });

  it("codes nothing without `privacy.coding`", () => {
    const { published } = protectCells(
      deriveObservations([cell("town", "all", "all", 503, 1000), cell("town", "disability", "yes", 3, 400)]),
      [reading],
      config,
      { solver },
    );
    expect(published.map((o) => o.flag)).toEqual(["suppressed", "suppressed"]);
  });

  it("an indicator can turn coding off", () => {
    const strict = { ...reading, privacy: { coding: false } } as unknown as Indicator;
    const { published } = protectCells(deriveObservations([cell("town", "all", "all", 3, 400)]), [strict], coding, {
      solver,
    });
    expect(published[0]?.flag).toBe("suppressed");
  });

  it("the audit finds the coded numerator when complementary suppression is off", () => {
    const { published } = protectCells(
      deriveObservations([
        cell("town", "all", "all", 503, 1000),
        cell("town", "disability", "yes", 3, 400),
        cell("town", "disability", "no", 500, 600),
      ]),
      [reading],
      coding,
      { solver, complementary: false },
    );
    expect(find(published, "yes").flag).toBe("bottom-coded");
    expect(audit(published).findings).toEqual([
      { kind: "determined", where: "reading|2025|community|town|disability|yes", detail: "3 of 400 can be worked out" },
    ]);
  });

  it("on random tables with rare and near-universal outcomes, leaves nothing the audit can work out", () => {
    const large = fc.array(
      fc.record({
        crosses: fc.array(
          fc.record({
            size: fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 150, max: 600 })),
            share: fc.oneof(
              fc.double({ min: 0, max: 0.03, noNaN: true }),
              fc.double({ min: 0.97, max: 1, noNaN: true }),
              fc.double({ min: 0, max: 1, noNaN: true }),
            ),
          }),
          { minLength: 8, maxLength: 8 },
        ),
        withheld: fc.boolean(),
      }),
      { minLength: 1, maxLength: 2 },
    );
    let codedCells = 0;
    fc.assert(
      fc.property(large, (districts) => {
        const { published } = protectCells(tableOf(districts), [reading], coding, { solver });
        codedCells += published.filter((o) => o.flag === "bottom-coded" || o.flag === "top-coded").length;
        const report = audit(published);
        expect(report.findings).toEqual([]);
        expect(report.conflicts).toEqual([]);
      }),
      { numRuns: 300, seed: 20261126 },
    );
    // The property is about coded cells: the random tables must hold some.
    expect(codedCells).toBeGreaterThan(100);
  });
});

describe("a partial dimension (a source that reports only some groups)", () => {
  const oneSided = { ...reading, partialDimensions: ["disability"] } as unknown as Indicator;
  const auditPartial = (published: readonly Observation[]) =>
    auditSite(new Map([["data/observations.csv", observationsCsv(published)]]), {
      highs,
      policy: () => ({ minimumCount: config.privacy.minimumCount, counted: config.privacy.counted }),
      partialDimensions: { reading: ["disability"] },
    });

  it("hides a small reported group without hiding everyone, as the rest is never published", () => {
    const cells = deriveObservations([cell("town", "all", "all", 300, 600), cell("town", "disability", "yes", 4, 40)]);
    const { published } = protectCells(cells, [oneSided], config, { solver });
    expect(shown(published)).toEqual(["town/all/all"]);
    expect(auditPartial(published).findings).toEqual([]);
    // Read as a whole dimension, the same cells would hide everyone too.
    expect(shown(protectCells(cells, [reading], config, { solver }).published)).toEqual([]);
  });

  it("reads the groups as a whole dimension where they do add up to everyone", () => {
    // yes and no are both sent and cover all 600: nothing is unreported, so nothing hides yes.
    const cells = deriveObservations([
      cell("town", "all", "all", 300, 600),
      cell("town", "disability", "yes", 4, 40),
      cell("town", "disability", "no", 296, 560),
    ]);
    const { published } = protectCells(cells, [oneSided], config, { solver });
    expect(shown(published)).toEqual(["town/all/all"]);
    expect(audit(published).findings).toEqual([]);
  });

  it("keeps the unreported rest as cover where the groups leave some out", () => {
    // The rest is 600 − 40 − 555 = 5 children: yes's 40 could be anywhere in 0 to 45.
    const cells = deriveObservations([
      cell("town", "all", "all", 300, 600),
      cell("town", "disability", "yes", 4, 40),
      cell("town", "disability", "no", 290, 555),
    ]);
    const { published } = protectCells(cells, [oneSided], config, { solver });
    expect(shown(published)).toEqual(["town/all/all", "town/disability/no"]);
    expect(auditPartial(published).findings).toEqual([]);
  });

  it("on random tables that report English learners but not the others, leaves nothing the audit can work out", () => {
    const elOnly = { ...reading, partialDimensions: ["english_learner"] } as unknown as Indicator;
    fc.assert(
      fc.property(communityArb, (districts) => {
        const table = tableOf(districts).filter((o) => !(o.dimension === "english_learner" && o.group === "no"));
        const { published } = protectCells(table, [elOnly], config, { solver });
        const report = auditSite(new Map([["data/observations.csv", observationsCsv(published)]]), {
          highs,
          policy: () => ({ minimumCount: config.privacy.minimumCount, counted: config.privacy.counted }),
          partialDimensions: { reading: ["english_learner"] },
        });
        expect(report.findings).toEqual([]);
        expect(report.conflicts).toEqual([]);
      }),
      { numRuns: 300, seed: 2026 },
    );
  });

  it("the audit finds a hidden group that, with the rest, holds fewer than the minimum", () => {
    const published = deriveObservations([
      cell("town", "all", "all", 300, 600),
      cell("town", "disability", "yes", 0, 0, "source-suppressed"),
      cell("town", "disability", "no", 295, 595),
    ]);
    expect(auditPartial(published).findings.map((f) => f.kind)).toContain("narrowed");
  });
});
