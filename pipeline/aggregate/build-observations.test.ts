import { describe, expect, it } from "vitest";
import { ConfigSchema } from "../../schemas/index.ts";
import { buildObservations } from "./build-observations.ts";
import { emptyPartialColumns, mergePartials, type PartialColumns, partialTable } from "./partial-counts.ts";

const config = ConfigSchema.parse({
  partnership: { name: "P", introduction: "I" },
  community: { id: "town", name: "Town" },
});

function partial(
  rows: [district: string, school: string, group: string, num: number, den: number, withheld: number, source: string][],
) {
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

const pick = (list: ReturnType<typeof buildObservations>, geo: string, group: string) => {
  const o = list.find((x) => x.geo_id === geo && x.group === group);
  return o && [o.numerator, o.denominator, o.flag];
};

describe("buildObservations", () => {
  it("adds partials chunk by chunk, sums schools into a district and districts into the community", () => {
    const a = partial([["north", "", "all", 10, 20, 0, "a.csv"]]);
    const b = partial([
      ["north", "", "all", 5, 10, 0, "a.csv"],
      ["south", "101", "all", 7, 12, 0, "b.csv"],
      ["south", "102", "all", 8, 13, 0, "b.csv"],
    ]);
    const obs = buildObservations(mergePartials([a, b]), config);
    expect(pick(obs, "north", "all")).toEqual([15, 30, "ok"]);
    expect(pick(obs, "south", "all")).toEqual([15, 25, "ok"]);
    expect(pick(obs, "town", "all")).toEqual([30, 55, "ok"]);
    expect(obs.find((o) => o.geo_id === "town")?.sources).toEqual(["a.csv", "b.csv"]);
  });

  it("prefers a district's own total rows to the sum of its schools", () => {
    const obs = buildObservations(
      mergePartials([
        partial([
          ["south", "", "all", 20, 40, 0, "b.csv"],
          ["south", "101", "all", 7, 12, 0, "b.csv"],
        ]),
      ]),
      config,
    );
    expect(pick(obs, "south", "all")).toEqual([20, 40, "ok"]);
  });

  it("marks a withheld cell source-suppressed and a sum that includes one incomplete, with no numbers", () => {
    const obs = buildObservations(
      mergePartials([
        partial([
          ["north", "", "asian", 12, 30, 0, "a.csv"],
          ["south", "", "asian", 0, 0, 1, "b.csv"],
        ]),
      ]),
      config,
    );
    expect(pick(obs, "north", "asian")).toEqual([12, 30, "ok"]);
    expect(pick(obs, "south", "asian")).toEqual([null, null, "source-suppressed"]);
    expect(pick(obs, "town", "asian")).toEqual([null, null, "incomplete"]);
  });

  it("counts community-wide sources at the community level only", () => {
    const obs = buildObservations(mergePartials([partial([["", "", "all", 180, 2400, 0, "births.csv"]])]), config);
    expect(obs.map((o) => [o.geo_level, o.geo_id, o.numerator, o.denominator])).toEqual([
      ["community", "town", 180, 2400],
    ]);
  });
});
