import { describe, expect, it } from "vitest";
import { checkSiteHonesty } from "./check-site.ts";

const OBS_HEADER =
  "indicator,year,geo_level,geo_id,dimension,group,numerator,denominator,value,lower,upper,flag,sources";
const CHANGES_HEADER =
  "indicator,geo_level,geo_id,dimension,group,year,value,change_previous,change_previous_relative,change_previous_significant,baseline_year,change_baseline,change_baseline_relative,change_baseline_significant";
const GAPS_HEADER =
  "indicator,year,geo_level,geo_id,dimension,group,value,reference,reference_value,gap,ratio,behind,baseline_gap,narrowing,children_to_close";

/** A one-indicator site: 40% of 1,000 in 2021, `latest` of 1,000 in 2025. */
function site(latest: number, significant: boolean, card: string, headline = ""): Map<string, string> {
  const obs = [
    `reading,2021,community,cv,all,all,400,1000,0.4,0.37,0.43,ok,`,
    `reading,2025,community,cv,all,all,${latest * 1000},1000,${latest},${latest - 0.03},${latest + 0.03},ok,`,
    `reading,2025,community,cv,gender,female,,,,,,suppressed,`,
  ];
  const change = (latest - 0.4).toFixed(3);
  const changes = [
    `reading,community,cv,all,all,2021,0.4,,,,2021,,,`,
    `reading,community,cv,all,all,2025,${latest},,,,2021,${change},,${significant}`,
  ];
  const index = `<html lang="en"><body>${headline}<ol><li class="card"><h3><a href="indicators/reading.html">Reading</a></h3>
<p class="figure"><span class="value">${Math.round(latest * 100)}%</span> <span class="year">in 2025</span></p>
<dl class="facts"><div><dt>Since 2021</dt><dd>${card}</dd></div><div><dt>Goal</dt><dd>Higher is better</dd></div>
<div><dt>Largest gap</dt><dd>No group behind</dd></div></dl></li></ol></body></html>`;
  return new Map([
    ["data/observations.csv", `${OBS_HEADER}\n${obs.join("\n")}\n`],
    ["data/changes.csv", `${CHANGES_HEADER}\n${changes.join("\n")}\n`],
    ["data/gaps.csv", `${GAPS_HEADER}\n`],
    ["index.html", index],
  ]);
}

const rules = (files: Map<string, string>) => checkSiteHonesty(files).map((f) => f.rule);

describe("the independent honesty check", () => {
  it("accepts a change within chance said as no clear change, and a significant one said as better", () => {
    expect(rules(site(0.41, false, "+1 points: No clear change"))).not.toContain("direction-within-chance");
    expect(rules(site(0.5, true, "+10 points: Better than the baseline"))).not.toContain("direction-within-chance");
  });

  it("finds a change within chance called better, and a change misstated", () => {
    expect(rules(site(0.41, false, "+1 points: Better than the baseline"))).toContain("direction-within-chance");
    expect(rules(site(0.5, true, "+9 points: Better than the baseline"))).toContain("change-misstated");
  });

  it("finds a better that goes the wrong way for the goal", () => {
    expect(rules(site(0.3, true, "−10 points: Better than the baseline"))).toContain("direction-wrong-way");
  });

  it("re-derives the front page's count of indicators moving the right way", () => {
    const head = (n: number) => `<p>Outcomes moving in the right direction since their baseline: ${n} out of 1.</p>`;
    expect(rules(site(0.41, false, "+1 points: No clear change", head(1)))).toContain("count-misstated");
    expect(rules(site(0.41, false, "+1 points: No clear change", head(0)))).not.toContain("count-misstated");
  });

  it("finds 'no group behind' said where a group is not published", () => {
    expect(rules(site(0.5, true, "+10 points: Better than the baseline"))).toContain("unknown-said-as-known");
  });

  it("finds a line drawn across a year the tables publish, and a chart with nothing in it", () => {
    const files = site(0.5, true, "+10 points: Better than the baseline");
    const spec = {
      description: "",
      data: [
        { name: "lines", values: [2021, 2025].map((year) => ({ year, group: "all", value: 0.4, segment: 0 })) },
        { name: "bars", values: [{ group: "female", value: null }] },
      ],
    };
    const year = (y: number) => `reading,${y},community,cv,all,all,410,1000,0.41,0.38,0.44,ok,`;
    const obs = files.get("data/observations.csv") ?? "";
    files.set("data/observations.csv", `${obs}${year(2023)}\n`);
    files.set(
      "indicators/reading.html",
      `<html lang="en"><script type="application/json" id="gaps-reading">${JSON.stringify(spec)}</script></html>`,
    );
    expect(rules(files)).toEqual(expect.arrayContaining(["line-across-missing-year", "empty-chart"]));
  });
});
