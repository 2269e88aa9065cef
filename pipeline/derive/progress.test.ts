import { describe, expect, it } from "vitest";
import { type Indicator, IndicatorSchema } from "../../schemas/index.ts";
import type { Observation } from "../observation.ts";
import { deriveObservations, summarizeIndicators } from "./derive-observations.ts";
import { zForLevel } from "./normal.ts";
import { deriveProgress, gapTrend, type Share, significantChange } from "./progress.ts";

function indicator(overrides: Partial<Indicator> = {}): Indicator {
  return IndicatorSchema.parse({
    id: "reading",
    title: "Reading",
    shortTitle: "Reading",
    milestone: "early-grade-reading",
    definition: "d",
    whyItMatters: "w",
    polarity: "higher-is-better",
    unit: "percent",
    yearType: "school",
    baselineYear: 2021,
    target: { value: 0.6, year: 2030 },
    dimensions: ["race_ethnicity"],
    sources: [{ kind: "aggregate", schema: "outcome-counts", numerator: "met_count", denominator: "total_count" }],
    ...overrides,
  });
}

function cell(
  year: number,
  numerator: number | null,
  denominator: number | null,
  group = "all",
  id = "reading",
): Observation {
  return {
    indicator: id,
    year,
    geo_level: "community",
    geo_id: "town",
    dimension: group === "all" ? "all" : "race_ethnicity",
    group,
    numerator,
    denominator,
    value: null,
    lower: null,
    upper: null,
    flag: numerator === null ? "suppressed" : "ok",
    sources: [],
  };
}

const Z = zForLevel(0.95);
const derive = (indicators: Indicator[], cells: Observation[], gapReference = "overall") =>
  deriveProgress(indicators, deriveObservations(cells), { z: Z, gapReference });

describe("zForLevel", () => {
  it("gives the usual z values", () => {
    expect(Z).toBeCloseTo(1.959964, 6);
    expect(zForLevel(0.9)).toBeCloseTo(1.644854, 6);
    expect(zForLevel(0.99)).toBeCloseTo(2.575829, 6);
  });
});

describe("progress to the target", () => {
  // Baseline 40% in 2021, target 60% by 2030: 20 points over 9 years, 2.22 points a year needed.
  const status = (latest: number, ind = indicator()) =>
    derive([ind], [cell(2021, 400, 1000), cell(2025, latest, 1000)]).progress[0]!;

  it("needs acceleration at 48% in 2025: 2 points a year against 2.22 needed (ratio 0.9)", () => {
    const p = status(480);
    expect(p.status).toBe("needs-acceleration");
    expect(p.required_pace).toBeCloseTo(0.2 / 9, 12);
    expect(p.actual_pace).toBeCloseTo(0.02, 12);
    expect(p.on_track_value).toBeCloseTo(0.4 + (0.2 / 9) * 4, 12); // 48.89%
    expect(p.children_needed).toBe(9); // 0.889 points of 1,000 children, rounded up
  });

  it("reads limited progress at 42% (ratio 0.225), the wrong way at 38%, reached at 62%", () => {
    expect(status(420).status).toBe("limited-progress");
    const down = status(380);
    expect(down.status).toBe("wrong-way");
    expect(down.children_needed).toBe(109); // 48.89% − 38% = 10.89 points of 1,000
    expect(status(620).status).toBe("target-reached");
    expect(status(600).status).toBe("target-reached");
  });

  it("says a target was missed once its year has come without it, never that it needs a faster pace", () => {
    const due = indicator({ target: { value: 0.6, year: 2025 } });
    const missed = status(580, due);
    expect(missed.status).toBe("target-missed");
    expect(missed.required_pace).toBeNull();
    expect(missed.children_needed).toBeNull();
    expect(status(600, due).status).toBe("target-reached");
    const past = indicator({ target: { value: 0.6, year: 2024 } });
    expect(status(580, past).status).toBe("target-missed");
  });

  it("counts an indicator as moving the right way only where the change is more than chance", () => {
    const headline = (latest: number) =>
      derive([indicator()], [cell(2021, 4000, 10000), cell(2025, latest, 10000)]).headline;
    expect(headline(4050).indicatorsImproving).toBe(0); // +0.5 points of 10,000: z = 0.72, within chance
    expect(headline(4200).indicatorsImproving).toBe(1); // +2 points: z = 2.9
    expect(headline(3800).indicatorsImproving).toBe(0); // clearly the wrong way
    expect(headline(4050).indicatorsWithTrend).toBe(1);
  });

  it("respects a lower-is-better indicator: 9% → 8% against a 7% target is on track (ratio 1.125)", () => {
    const lbw = indicator({ id: "lbw", polarity: "lower-is-better", target: { value: 0.07, year: 2030 } });
    const p = derive([lbw], [cell(2021, 180, 2000, "all", "lbw"), cell(2025, 160, 2000, "all", "lbw")]).progress[0]!;
    expect(p.status).toBe("on-track");
    expect(p.children_needed).toBeNull();
    const worse = derive([lbw], [cell(2021, 180, 2000, "all", "lbw"), cell(2025, 200, 2000, "all", "lbw")])
      .progress[0]!;
    expect(worse.status).toBe("wrong-way");
    // On track would be 9% − 4 × 0.222 points = 8.11%; 10% is 1.89 points too many of 2,000 births.
    expect(worse.children_needed).toBe(38);
  });

  it("does not judge progress without a baseline, or across a break in series", () => {
    expect(derive([indicator()], [cell(2022, 400, 1000), cell(2025, 480, 1000)]).progress[0]!.status).toBe(
      "not-enough-data",
    );
    const broken = indicator({ breaks: [{ year: 2023, note: "New state test" }] });
    const p = derive([broken], [cell(2021, 400, 1000), cell(2025, 480, 1000)]).progress[0]!;
    expect(p).toMatchObject({ status: "not-enough-data", break_year: 2023 });
  });
});

describe("changes", () => {
  it("compares with the year before and the baseline, and says whether intervals can explain it", () => {
    const { changes } = derive([indicator()], [cell(2021, 400, 1000), cell(2022, 480, 1000)]);
    const c = changes.find((x) => x.year === 2022)!;
    expect(c.change_previous).toBeCloseTo(0.08, 12);
    expect(c.change_previous_relative).toBeCloseTo(0.2, 12);
    // se = √(.4·.6/1000 + .48·.52/1000) = 0.02213; 8 points > 1.96 × 0.02213 = 4.34 points.
    expect(c.change_previous_significant).toBe(true);
    expect(c.change_baseline).toBeCloseTo(0.08, 12);
    expect(
      significantChange(deriveObservations([cell(2021, 4, 10)])[0]!, deriveObservations([cell(2022, 5, 10)])[0]!, Z),
    ).toBe(false);
  });

  it("never bridges a missing year, a hidden year or a break in series", () => {
    const broken = indicator({ breaks: [{ year: 2024, note: "New state test" }] });
    const { changes } = derive(
      [broken],
      [
        cell(2021, 400, 1000),
        cell(2022, 410, 1000),
        cell(2023, null, null),
        cell(2024, 500, 1000),
        cell(2025, 510, 1000),
      ],
    );
    const at = (y: number) => changes.find((c) => c.year === y)!;
    expect(at(2022).change_previous).toBeCloseTo(0.01, 12);
    expect(changes.some((c) => c.year === 2023)).toBe(false);
    expect(at(2024).change_previous).toBeNull(); // 2023 hidden, and 2024 starts a new series
    expect(at(2024).change_baseline).toBeNull();
    expect(at(2025).change_previous).toBeCloseTo(0.01, 12);
    expect(at(2025).change_baseline).toBeNull();
  });

  it("leaves a zero denominator without a value, a change or a significance", () => {
    const { changes, progress } = derive([indicator()], [cell(2021, 0, 0), cell(2022, 480, 1000)]);
    expect(changes.map((c) => c.year)).toEqual([2022]);
    expect(changes[0]!.change_previous).toBeNull();
    expect(progress[0]!.status).toBe("not-enough-data");
  });
});

describe("gapTrend", () => {
  const share = (value: number, denominator: number | null): Share => ({ value, denominator });
  const at = (group: number, reference: number, n = 10000) => ({
    group: share(group, n),
    reference: share(reference, n),
  });

  it("names a move beyond chance by what it did to the gap", () => {
    expect(gapTrend(at(0.3, 0.4), at(0.35, 0.4), 1.96)).toBe("narrowing");
    expect(gapTrend(at(0.35, 0.4), at(0.3, 0.4), 1.96)).toBe("widening");
    expect(gapTrend(at(0.45, 0.4), at(0.35, 0.4), 1.96)).toBe("reversed");
  });

  it("says no clear change for a move within chance, and nothing without a denominator", () => {
    expect(gapTrend(at(0.3, 0.4, 200), at(0.32, 0.4, 200), 1.96)).toBe("no-clear-change");
    // 1.2 points ahead to 0.2 behind (the Hispanic or Latino mothers): a side changed, but within chance.
    expect(gapTrend(at(0.412, 0.4, 1000), at(0.398, 0.4, 1000), 1.96)).toBe("no-clear-change");
    expect(gapTrend({ group: share(0.3, null), reference: share(0.4, 100) }, at(0.35, 0.4), 1.96)).toBeNull();
  });
});

describe("equity gaps", () => {
  // 2021: everyone 40%, Black 30%, Hispanic 32%; 2025: everyone 48%, Black 36% of 250, Hispanic 45% of 300, White 56%.
  const cells = [
    cell(2021, 400, 1000),
    cell(2021, 60, 200, "black"),
    cell(2021, 80, 250, "hispanic"),
    cell(2025, 480, 1000),
    cell(2025, 90, 250, "black"),
    cell(2025, 135, 300, "hispanic"),
    cell(2025, 252, 450, "white"),
  ];
  const at = (gaps: ReturnType<typeof derive>["gaps"], group: string) =>
    gaps.find((g) => g.group === group && g.year === 2025)!;

  it("measures each group against everyone, in points and as a ratio, and calls no move within chance narrowing", () => {
    const { gaps } = derive([indicator()], cells);
    const black = at(gaps, "black");
    expect(black.gap).toBeCloseTo(-0.12, 12);
    expect(black.ratio).toBeCloseTo(0.75, 12);
    expect(black.baseline_gap).toBeCloseTo(-0.1, 12);
    expect(black).toMatchObject({ behind: true, narrowing: false, trend: "no-clear-change", children_to_close: 30 });
    const hispanic = at(gaps, "hispanic");
    expect(hispanic.gap).toBeCloseTo(-0.03, 12);
    // 8 points behind to 3 behind, of 250 and 300 children: the 5 points are 1.1 standard errors, within chance.
    expect(hispanic).toMatchObject({ narrowing: false, trend: "no-clear-change", children_to_close: 9 });
    expect(at(gaps, "white")).toMatchObject({ behind: false, children_to_close: 0, narrowing: null, trend: null });
  });

  it("calls a gap narrowing where the same move is more than chance, in groups ten times as large", () => {
    const large = cells.map((c) => ({
      ...c,
      numerator: (c.numerator ?? 0) * 10,
      denominator: (c.denominator ?? 0) * 10,
    }));
    expect(at(derive([indicator()], large).gaps, "hispanic")).toMatchObject({ narrowing: true, trend: "narrowing" });
  });

  it("can measure against the best group or a named group", () => {
    const best = at(derive([indicator()], cells, "best").gaps, "black");
    expect(best.reference).toBe("best");
    expect(best.gap).toBeCloseTo(0.36 - 0.56, 12);
    const named = derive([indicator({ gapReference: "white" })], cells).gaps;
    expect(at(named, "hispanic").gap).toBeCloseTo(0.45 - 0.56, 12);
    expect(named.some((g) => g.group === "white")).toBe(false);
  });

  it("sums up the headline: outcomes improving, and gaps narrowing", () => {
    const lbw = indicator({
      id: "lbw",
      polarity: "lower-is-better",
      target: { value: 0.07, year: 2030 },
      dimensions: [],
    });
    const { headline } = derive(
      [indicator(), lbw],
      [...cells, cell(2021, 180, 2000, "all", "lbw"), cell(2025, 200, 2000, "all", "lbw")],
    );
    // Reading rose 8 points of 1,000 (more than chance); low birth weight rose, the wrong way; neither gap moved beyond chance.
    expect(headline).toEqual({ indicatorsWithTrend: 2, indicatorsImproving: 1, gapsWithTrend: 2, gapsNarrowing: 0 });
  });
});

describe("summarizeIndicators", () => {
  it("says which newer year is not shown, and why, when the headline falls back to an older one", () => {
    const published = deriveObservations([cell(2021, 400, 1000), cell(2024, 450, 1000), cell(2025, null, null)]);
    const [summary] = summarizeIndicators([indicator()], published);
    expect(summary).toMatchObject({ latestYear: 2024, newerNotShown: { year: 2025, flag: "suppressed" } });
    const [current] = summarizeIndicators(
      [indicator()],
      deriveObservations([cell(2021, 400, 1000), cell(2025, 450, 1000)]),
    );
    expect(current?.newerNotShown).toBeNull();
  });
});
