import { parseArgs } from "node:util";
import { deriveObservations } from "../../pipeline/derive/derive-observations.ts";
import { itemAt } from "../../pipeline/internal-error.ts";
import type { Observation } from "../../pipeline/observation.ts";
import { loadRangeSolver } from "../../pipeline/protect/integer-ranges.ts";
import { protectCells } from "../../pipeline/protect/protect-cells.ts";
import { ConfigSchema, type Indicator, IndicatorSchema } from "../../schemas/index.ts";

/**
 * `npm run bench:privacy`: times protection with its exact audit on generated statewide tables
 * (many districts, every group of five dimensions, graduation and the enrollment of its graduates
 * related, several years), the part of a build whose cost grows with the number of cells rather
 * than rows. Prints, per size: cells, hidden cells, the audit's rounds and solves, and the time.
 */
const HELP = `Usage: npm run bench:privacy -- [--districts 20,100,300] [--years 3] [--seed 1]

For each number of districts, generates a state's graduation and postsecondary-enrollment counts
(seven race groups, three genders, economic disadvantage, English learners, disability; 60 to
6,000 students a district), builds the observation table (community and districts, everyone and
each group, each year), and times protectCells: primary and complementary suppression, then the
exact audit (HiGHS) of every hidden cell against every published one and the relation between the
two indicators, until none is exposed.
`;

const { values } = parseArgs({
  options: {
    districts: { type: "string", default: "20,100,300" },
    years: { type: "string", default: "3" },
    seed: { type: "string", default: "1" },
    help: { type: "boolean", short: "h" },
  },
});
if (values.help) {
  process.stdout.write(HELP);
  process.exit(0);
}

const RACES = ["american_indian", "asian", "black", "hispanic", "multiracial", "pacific_islander", "white"];
const RACE_SHARES = [0.01, 0.06, 0.14, 0.27, 0.04, 0.005, 0.475];
const DIMENSIONS: [string, string[], (r: () => number) => number][] = [
  ["gender", ["female", "male", "nonbinary"], (r) => (r() < 0.004 ? 2 : r() < 0.5 ? 0 : 1)],
  ["economic_disadvantage", ["yes", "no"], (r) => (r() < 0.45 ? 0 : 1)],
  ["english_learner", ["yes", "no"], (r) => (r() < 0.1 ? 0 : 1)],
  ["disability", ["yes", "no"], (r) => (r() < 0.13 ? 0 : 1)],
];

/** A small, seeded generator (mulberry32), so every run measures the same tables. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function statewideTable(districts: number, years: number, seed: number): Observation[] {
  const r = random(seed);
  const counts = new Map<string, { n: number; d: number }>();
  const add = (key: string, n: number, d: number) => {
    const c = counts.get(key) ?? { n: 0, d: 0 };
    counts.set(key, { n: c.n + n, d: c.d + d });
  };
  const sizes = Array.from({ length: districts }, () => Math.round(60 * 100 ** r()));
  for (let y = 0; y < years; y++)
    sizes.forEach((size, i) => {
      const geo = `district-${String(i + 1).padStart(3, "0")}`;
      for (let s = 0; s < size; s++) {
        let pick = r();
        let race = RACES.length - 1;
        for (let k = 0; k < RACES.length; k++) {
          pick -= itemAt(RACE_SHARES, k, "race share");
          if (pick < 0) {
            race = k;
            break;
          }
        }
        const groups: [string, string][] = [
          ["all", "all"],
          ["race_ethnicity", RACES[race] as string],
          ...DIMENSIONS.map(([d, gs, draw]): [string, string] => [d, gs[draw(r)] as string]),
        ];
        const graduated = r() < 0.86 ? 1 : 0;
        const enrolled = graduated && r() < 0.62 ? 1 : 0;
        for (const place of [geo, "state"])
          for (const [dimension, group] of groups) {
            add(`graduation|${2023 + y}|${place}|${dimension}|${group}`, graduated, 1);
            if (graduated) add(`enrollment|${2023 + y}|${place}|${dimension}|${group}`, enrolled, 1);
          }
      }
    });
  return deriveObservations(
    [...counts].map(([key, { n, d }]): Observation => {
      const [indicator, year, geo, dimension, group] = key.split("|") as [string, string, string, string, string];
      return {
        indicator,
        year: Number(year),
        geo_level: geo === "state" ? "community" : "district",
        geo_id: geo,
        dimension: dimension as Observation["dimension"],
        group,
        numerator: n,
        denominator: d,
        value: null,
        lower: null,
        upper: null,
        flag: "ok",
        sources: [],
      };
    }),
  );
}

const indicator = (id: string, relations: unknown[] = []): Indicator =>
  IndicatorSchema.parse({
    id,
    title: id,
    shortTitle: id,
    milestone: id === "graduation" ? "high-school-graduation" : "postsecondary-enrollment",
    definition: id,
    whyItMatters: id,
    polarity: "higher-is-better",
    unit: "percent",
    yearType: "school",
    baselineYear: 2023,
    target: { value: 0.9, year: 2030 },
    dimensions: ["race_ethnicity", ...DIMENSIONS.map(([d]) => d)],
    sources: [{ kind: "record", schema: `${id}-records`, denominator: "true", numerator: "x" }],
    relations,
  });

const indicators = [
  indicator("graduation"),
  indicator("enrollment", [{ count: "denominator", equals: "numerator", of: "graduation" }]),
];
const config = ConfigSchema.parse({
  partnership: { name: "State", introduction: "A generated state." },
  community: { id: "state", name: "State" },
  privacy: { minimumCount: 10, coding: { below: 0.05, above: 0.95 } },
});

const solver = await loadRangeSolver();
const lines = [["districts", "cells", "hidden", "by audit", "rounds", "counts checked", "narrowest", "time"]];
for (const districts of values.districts.split(",").map(Number)) {
  const table = statewideTable(districts, Number(values.years), Number(values.seed));
  process.stderr.write(`${districts} districts: ${table.length.toLocaleString("en-US")} cells…\n`);
  const started = performance.now();
  const result = protectCells(table, indicators, config, { solver });
  const seconds = (performance.now() - started) / 1000;
  const n = result.audit.narrowest;
  lines.push([
    String(districts),
    table.length.toLocaleString("en-US"),
    result.published.filter((o) => o.numerator === null).length.toLocaleString("en-US"),
    String(result.audit.hiddenByAudit),
    String(result.audit.rounds),
    result.audit.counts.toLocaleString("en-US"),
    n ? `${n.hi - n.lo + 1}${n.exact ? "" : "+"} values` : "-",
    `${seconds.toFixed(1)} s`,
  ]);
}
const widths = (lines[0] as string[]).map((_, i) => Math.max(...lines.map((l) => (l[i] as string).length)));
for (const l of lines) process.stdout.write(`${l.map((c, i) => c.padStart(widths[i] ?? 0)).join("  ")}\n`);
