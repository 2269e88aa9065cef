import { describe, expect, it } from "vitest";
import { ConfigSchema, type Indicator } from "../../schemas/index.ts";
import { type Observation, observationKey } from "../observation.ts";
import { linkedSets, protectCells } from "./protect-cells.ts";

const config = ConfigSchema.parse({
  partnership: { name: "P", introduction: "I" },
  community: { id: "town", name: "Town" },
});
const indicator = { id: "reading", minimumN: undefined } as unknown as Indicator;

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
    value: flag === "ok" ? numerator / denominator : null,
    lower: null,
    upper: null,
    flag,
    sources: [],
  };
}

const shown = (published: Observation[]) =>
  published.filter((o) => o.value !== null).map((o) => `${o.geo_id}/${o.dimension}/${o.group}`);

describe("protectCells", () => {
  it("hides a small group and the smallest other group beside a published total", () => {
    const { published, hidden } = protectCells(
      [
        cell("town", "all", "all", 200, 400),
        cell("town", "gender", "female", 100, 210),
        cell("town", "gender", "male", 96, 184),
        cell("town", "gender", "nonbinary", 4, 6),
      ],
      [indicator],
      config,
    );
    expect(shown(published)).toEqual(["town/all/all", "town/gender/female"]);
    expect([...hidden.values()].sort()).toEqual(["complementary", "primary"]);
  });

  it("counts the outcome and its complement: 0%, 100% and near-100% of a large group are hidden", () => {
    const { published } = protectCells(
      [
        cell("town", "all", "all", 0, 50),
        cell("town", "race_ethnicity", "asian", 50, 50),
        cell("town", "race_ethnicity", "white", 95, 100),
      ],
      [indicator],
      config,
    );
    expect(shown(published)).toEqual([]);
  });

  it("protects both sides of a yes/no dimension", () => {
    const { published } = protectCells(
      [
        cell("town", "all", "all", 50, 100),
        cell("town", "english_learner", "yes", 3, 8),
        cell("town", "english_learner", "no", 47, 92),
      ],
      [indicator],
      config,
    );
    expect(shown(published)).toEqual(["town/all/all"]);
  });

  it("needs no complement when two groups are small", () => {
    const { published, hidden } = protectCells(
      [
        cell("town", "all", "all", 60, 120),
        cell("town", "race_ethnicity", "asian", 3, 7),
        cell("town", "race_ethnicity", "black", 4, 8),
        cell("town", "race_ethnicity", "white", 53, 105),
      ],
      [indicator],
      config,
    );
    expect(shown(published)).toEqual(["town/all/all", "town/race_ethnicity/white"]);
    expect([...hidden.values()]).toEqual(["primary", "primary"]);
  });

  it("stops a district's hidden cell being recovered from the community and the other district", () => {
    const { published } = protectCells(
      [
        cell("town", "race_ethnicity", "asian", 20, 45),
        cell("north", "race_ethnicity", "asian", 17, 39),
        cell("south", "race_ethnicity", "asian", 3, 6),
      ],
      [indicator],
      config,
    );
    expect(shown(published)).toEqual(["town/race_ethnicity/asian"]);
  });

  it("treats a partner-withheld cell as hidden, so one more is hidden beside it", () => {
    const { published } = protectCells(
      [
        cell("north", "all", "all", 100, 200),
        cell("north", "gender", "female", 0, 0, "source-suppressed"),
        cell("north", "gender", "male", 45, 90),
        cell("north", "gender", "nonbinary", 0, 0, "source-suppressed"),
      ],
      [indicator],
      config,
    );
    expect(shown(published)).toEqual(["north/all/all", "north/gender/male"]);
    const { published: one } = protectCells(
      [
        cell("north", "all", "all", 100, 200),
        cell("north", "gender", "female", 0, 0, "source-suppressed"),
        cell("north", "gender", "male", 45, 90),
      ],
      [indicator],
      config,
    );
    expect(shown(one)).toEqual(["north/all/all"]);
  });

  it("publishes a cell hidden one year when the next year's counts are large enough", () => {
    const y2024 = { ...cell("town", "all", "all", 4, 9), year: 2024 };
    const y2025 = cell("town", "all", "all", 12, 30);
    expect(shown(protectCells([y2024, y2025], [indicator], config).published)).toEqual(["town/all/all"]);
  });

  it("leaves no linked set with exactly one hidden cell, and nothing below the minimum", () => {
    const cells = [
      cell("town", "all", "all", 300, 600),
      ...["asian", "black", "hispanic", "white", "pacific_islander"].map((g, i) =>
        cell("town", "race_ethnicity", g, [40, 60, 90, 108, 2][i]!, [80, 120, 180, 215, 5][i]!),
      ),
      ...["yes", "no"].map((g, i) => cell("town", "disability", g, [30, 270][i]!, [66, 534][i]!)),
    ];
    const { published } = protectCells(cells, [indicator], config);
    const hiddenKeys = new Set(published.filter((o) => o.value === null).map(observationKey));
    for (const set of linkedSets(published))
      expect(set.filter((o) => hiddenKeys.has(observationKey(o))).length).not.toBe(1);
    for (const o of published.filter((o) => o.value !== null)) {
      expect(Math.min(o.numerator!, o.denominator!, o.denominator! - o.numerator!)).toBeGreaterThanOrEqual(10);
    }
  });
});
