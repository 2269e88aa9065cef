import { describe, expect, it } from "vitest";
import { type AuditOptions, auditSite, loadAuditSolver } from "./privacy-audit.ts";

const highs = await loadAuditSolver();

const HEADER = "indicator,year,geo_level,geo_id,dimension,group,numerator,denominator,value,lower,upper,flag,sources";
const options: AuditOptions = {
  highs,
  policy: () => ({ minimumCount: 10, counted: ["numerator", "denominator", "complement"] }),
};

/** A download from rows of [geo, dimension, group, numerator, denominator] (null: hidden). */
function csv(rows: [string, string, string, number | null, number | null][], indicator = "reading"): string {
  const line = ([geo, dimension, group, n, d]: (typeof rows)[number]) =>
    [
      indicator,
      2025,
      geo === "town" ? "community" : "district",
      geo,
      dimension,
      group,
      n ?? "",
      d ?? "",
      n === null || d === null ? "" : n / d,
      "",
      "",
      n === null ? "suppressed" : "ok",
      "",
    ].join(",");
  return [HEADER, ...rows.map(line)].join("\n");
}

const audit = (files: Record<string, string>, o = options) => auditSite(new Map(Object.entries(files)), o);
const kinds = (r: ReturnType<typeof audit>) => r.findings.map((f) => [f.kind, f.where.split("|").slice(3).join("/")]);

describe("auditSite", () => {
  it("reads a coded cell as its denominator and a numerator below the code and the minimum", () => {
    const coded = (group: string, d: number, lower: number, upper: number, flag: string) =>
      ["reading", 2025, "community", "town", "disability", group, "", d, "", lower, upper, flag, ""].join(",");
    const r = audit({
      "data/x.csv": [HEADER, coded("yes", 1000, 0, 0.05, "bottom-coded"), coded("no", 300, 0.95, 1, "top-coded")].join(
        "\n",
      ),
    });
    expect(r.findings).toEqual([]);
    // Below 5% of 1,000 allows up to 49, but a coded count is one the policy calls small: 0 to 9.
    expect(r.hidden.map((h) => [h.numerator, h.denominator])).toEqual([
      [
        { lo: 0, hi: 9 },
        { lo: 1000, hi: 1000 },
      ],
      [
        { lo: 291, hi: 300 },
        { lo: 300, hi: 300 },
      ],
    ]);
  });

  it("finds a coded cell whose range is too short, or whose denominator is small", () => {
    const line = (group: string, d: number) =>
      ["reading", 2025, "community", "town", "disability", group, "", d, "", 0, 0.05, "bottom-coded", ""].join(",");
    // Below 5% of 100 leaves 0 to 4; below 5% of 8 leaves only 0: the cell is 0 of 8.
    const r = audit({ "data/x.csv": [HEADER, line("yes", 100), line("no", 8)].join("\n") });
    expect(kinds(r)).toEqual([
      ["narrowed", "town/disability/yes"],
      ["determined", "town/disability/no"],
    ]);
  });

  it("works out a lone hidden group from the total and the other groups", () => {
    const r = audit({
      "data/x.csv": csv([
        ["town", "all", "all", 200, 400],
        ["town", "gender", "female", 100, 210],
        ["town", "gender", "male", 96, 184],
        ["town", "gender", "nonbinary", null, null],
      ]),
    });
    expect(kinds(r)).toEqual([["determined", "town/gender/nonbinary"]]);
    expect(r.hidden[0]).toMatchObject({ numerator: { lo: 4, hi: 4 }, denominator: { lo: 6, hi: 6 } });
  });

  it("narrows two hidden groups that hold fewer than the minimum between them", () => {
    const r = audit({
      "data/x.csv": csv([
        ["town", "all", "all", 80, 160],
        ["town", "race_ethnicity", "asian", null, null],
        ["town", "race_ethnicity", "black", null, null],
        ["town", "race_ethnicity", "white", 73, 145],
      ]),
    });
    // 7 reached the outcome between them: each is in [0, 7], fewer than 10 possible values.
    expect(r.findings.map((f) => `${f.where.split("|")[5]}: ${f.detail}`)).toEqual([
      "asian: numerator is in [0, 7]",
      "asian: complement is in [0, 8]",
      "black: numerator is in [0, 7]",
      "black: complement is in [0, 8]",
    ]);
  });

  it("finds nothing when the hidden groups hold enough between them", () => {
    const r = audit({
      "data/x.csv": csv([
        ["town", "all", "all", 80, 160],
        ["town", "race_ethnicity", "asian", null, null],
        ["town", "race_ethnicity", "black", null, null],
        ["town", "race_ethnicity", "white", 60, 120],
      ]),
    });
    expect(r.findings).toEqual([]);
    expect(r.hidden.map((h) => h.numerator)).toEqual([
      { lo: 0, hi: 20 },
      { lo: 0, hi: 20 },
    ]);
  });

  it("combines sums across districts and groups", () => {
    // North's small group is hidden with a complement, but South and the community give it away.
    const r = audit({
      "data/x.csv": csv([
        ["town", "all", "all", 300, 600],
        ["town", "gender", "female", 150, 300],
        ["town", "gender", "male", 150, 300],
        ["north", "all", "all", 200, 400],
        ["north", "gender", "female", null, null],
        ["north", "gender", "male", null, null],
        ["south", "all", "all", 100, 200],
        ["south", "gender", "female", 50, 100],
        ["south", "gender", "male", 50, 100],
      ]),
    });
    expect(kinds(r)).toEqual([
      ["determined", "north/gender/female"],
      ["determined", "north/gender/male"],
    ]);
  });

  it("links the denominators of indicators that count the same people", () => {
    const births = csv([
      ["town", "all", "all", 30, 300],
      ["town", "race_ethnicity", "asian", null, null],
      ["town", "race_ethnicity", "white", null, null],
      ["town", "race_ethnicity", "hispanic", 12, 100],
    ]);
    const care = csv(
      [
        ["town", "all", "all", 200, 300],
        ["town", "race_ethnicity", "asian", 20, 40],
        ["town", "race_ethnicity", "white", 100, 160],
        ["town", "race_ethnicity", "hispanic", 80, 100],
      ],
      "care",
    ).replace(`${HEADER}\n`, "");
    const files = { "data/all.csv": `${births.replace(/reading/g, "births")}\n${care}` };
    expect(audit(files).findings).toEqual([]);
    const linked = audit(files, { ...options, sameDenominators: [["births", "care"]] });
    expect(linked.hidden.find((h) => h.key.endsWith("asian"))?.denominator).toEqual({ lo: 40, hi: 40 });
  });

  it("uses a published rate beside hidden counts", () => {
    const r = audit({
      "data/x.csv": `${csv([["town", "all", "all", null, 50]])}`.replace(",,50,,", ",,50,0.1,"),
    });
    expect(kinds(r)).toEqual([["determined", "town/all/all"]]);
  });

  it("reports counts and chart values on a page that the downloads do not account for", () => {
    const spec = JSON.stringify({ data: [{ name: "d", values: [{ group: "asian", value: 0.5 }] }] });
    const r = audit({
      "data/x.csv": csv([
        ["town", "all", "all", 200, 400],
        ["town", "gender", "female", 100, 200],
        ["town", "gender", "male", 100, 200],
      ]),
      "indicators/reading.html": `<td>100 of 200</td><td>4 of 8</td><script type="application/json" id="c">${spec}</script>`,
    });
    expect(r.findings.map((f) => [f.kind, f.detail.slice(0, 16)])).toEqual([
      ["unplaced", '"4 of 8" is not '],
      ["unplaced", 'chart value {"gr'],
    ]);
  });

  it("reports a published count below the minimum", () => {
    const r = audit({ "data/x.csv": csv([["town", "all", "all", 3, 40]]) });
    expect(kinds(r)).toEqual([["published-below-minimum", "town/all/all"]]);
  });
});
