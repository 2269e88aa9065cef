import { describe, expect, it } from "vitest";
import { type Config, ConfigSchema, type Partner } from "../../../schemas/index.ts";
import { deriveObservations, summarizeIndicators } from "../../derive/derive-observations.ts";
import { deriveProgress } from "../../derive/progress.ts";
import { memoryEffects } from "../../effects-memory.ts";
import { loadProject, type Project } from "../../load/load-project.ts";
import type { Observation } from "../../observation.ts";
import { protectCells } from "../../protect/protect-cells.ts";
import { REPO_ROOT } from "../../test-support/load-fixture.ts";
import { csvCell } from "./downloads.ts";
import { loadSiteAssets } from "./load-site-assets.ts";
import { renderSite } from "./render-site.ts";

const config: Config = ConfigSchema.parse({
  partnership: { name: "Riverbend <Partners> & Co", introduction: "Every child, cradle to career." },
  community: { id: "riverbend", name: "Riverbend" },
  districts: [
    { id: "north", name: "North District", codes: ["01"] },
    { id: "south", name: "South District", codes: ["02"] },
  ],
});
const partners: Partner[] = [
  {
    id: "north-sd",
    name: "North School District",
    kind: "school-district",
    extracts: [
      {
        schema: "student-assessment",
        files: "a-*.csv",
        suppressed: [],
        notApplicable: [],
        percentScale: "percent",
        years: "folder",
        versions: "replace",
      },
    ],
  },
];

function cell(
  year: number,
  geo: [Observation["geo_level"], string],
  dimension: Observation["dimension"],
  group: string,
  numerator: number,
  denominator: number,
): Observation {
  return {
    indicator: "early-grade-reading",
    year,
    geo_level: geo[0],
    geo_id: geo[1],
    dimension,
    group,
    numerator,
    denominator,
    value: null,
    lower: null,
    upper: null,
    flag: "ok",
    sources: [`data/${year}/north-sd/a-${year}.csv`],
  };
}

/** Third-grade reading in a two-district community, 2021 to 2025, with one small group in 2025. */
function observations(): Observation[] {
  const list: Observation[] = [];
  const overall: [number, number][] = [
    [410, 1000],
    [420, 1000],
    [430, 1000],
    [455, 1000],
    [470, 1000],
  ];
  overall.forEach(([n, d], i) => {
    const year = 2021 + i;
    list.push(cell(year, ["community", "riverbend"], "all", "all", n, d));
    list.push(cell(year, ["district", "north"], "all", "all", n - 200, d - 500));
    list.push(cell(year, ["district", "south"], "all", "all", 200, 500));
  });
  list.push(cell(2025, ["community", "riverbend"], "race_ethnicity", "black", 90, 260));
  list.push(cell(2025, ["community", "riverbend"], "race_ethnicity", "hispanic", 150, 330));
  list.push(cell(2025, ["community", "riverbend"], "race_ethnicity", "white", 226, 402));
  list.push(cell(2025, ["community", "riverbend"], "race_ethnicity", "pacific_islander", 4, 8));
  return list;
}

async function render() {
  const effects = memoryEffects({}, { readDisk: true });
  const project: Project = await loadProject("/project", REPO_ROOT, effects, { config, partners });
  const protection = protectCells(deriveObservations(observations()), project.indicators, project.config);
  const derived = deriveProgress(project.indicators, protection.published, { z: 1.959964, gapReference: "overall" });
  const summaries = summarizeIndicators(project.indicators, protection.published, derived);
  const site = await renderSite(
    {
      config: project.config,
      indicators: project.indicators,
      observations: protection.published,
      summaries,
      derived,
      vocabularies: project.vocabularies,
      partners,
      buildDate: "2026-01-15",
      version: "9.9.9",
      minimumCount: 10,
    },
    await loadSiteAssets(effects, REPO_ROOT),
  );
  const text = (p: string) => {
    const v = site.get(p);
    if (typeof v !== "string") throw new Error(`${p} is missing from the site`);
    return v;
  };
  return { site, text, project };
}

describe("renderSite", () => {
  it("writes an index, a page per indicator, data and methods pages, downloads and local chart libraries", async () => {
    const { site, project } = await render();
    for (const p of ["index.html", "data.html", "methods.html", "datapackage.json", "data/observations.csv"])
      expect(site.has(p), p).toBe(true);
    for (const i of project.indicators) {
      expect(site.has(`indicators/${i.id}.html`), i.id).toBe(true);
      expect(site.has(`data/${i.id}.csv`), i.id).toBe(true);
    }
    for (const v of ["vega.min.js", "vega-embed.min.js", "vega-interpreter.js"])
      expect(site.has(`assets/vendor/${v}`), v).toBe(true);
  });

  it("shows the latest value, the change since baseline and the target on the index card", async () => {
    const { text } = await render();
    const index = text("index.html");
    const card = index.slice(index.indexOf('href="indicators/early-grade-reading.html"'));
    expect(card).toContain("47%");
    expect(card).toContain("in 2024–25");
    expect(card).toContain("+6 points");
    expect(card).toContain("Better than the baseline");
    expect(card).toContain("60% by 2030");
  });

  it("describes each chart in a sentence written from the data, and draws it as SVG", async () => {
    const { text } = await render();
    const page = text("indicators/early-grade-reading.html");
    expect(page).toContain("3rd-grade reading rose from 41% in 2020–21 to 47% in 2024–25, an improvement of 6 points.");
    expect(page).toMatch(/<svg[^>]*class="marks"/);
    // The 8 Pacific Islander children are hidden, and so is the next smallest group, so that the
    // hidden one cannot be found by subtracting the others from the total.
    expect(page).toContain("the share was highest for White (56%) and lowest for Hispanic or Latino (45%)");
    expect(page).toContain("2 groups are not shown, to protect privacy.");
  });

  it("never publishes a suppressed group's counts, in pages or downloads", async () => {
    const { text } = await render();
    const csv = text("data/early-grade-reading.csv");
    const row = csv.split("\n").find((l) => l.includes(",pacific_islander,"));
    expect(row).toBeDefined();
    expect(row).toContain(",,,,,,suppressed,");
    const page = text("indicators/early-grade-reading.html");
    expect(page).not.toContain("4 of 8");
    expect(page).toContain('Native Hawaiian or Pacific Islander</th><td>Hidden <span class="symbol">*</span>');
  });

  it("explains the privacy rules on the methods page, with the values configured", async () => {
    const { text } = await render();
    const methods = text("methods.html");
    expect(methods).toContain(
      "A figure is hidden when fewer than 10 children or people were counted, reached the outcome or did not reach it.",
    );
    expect(methods).toContain("fewer than 30 counted or fewer than 20 reaching the outcome is shown with the mark §");
    expect(methods).toContain("the school districts and the whole community");
    expect(methods).toMatch(/<span class="symbol">\*<\/span> Hidden to protect privacy: fewer than 10/);
  });

  it("escapes the partnership's own text and works offline", async () => {
    const { site, text } = await render();
    expect(text("index.html")).toContain("Riverbend &lt;Partners&gt; &amp; Co");
    for (const [p, content] of site) {
      if (!p.endsWith(".html") || typeof content !== "string") continue;
      expect(content, p).not.toMatch(/<(script|link)[^>]+(src|href)="https?:/);
      expect(content, p).toContain("Content-Security-Policy");
    }
  });

  it("gives the same bytes every time", async () => {
    const a = await render();
    const b = await render();
    expect([...a.site.keys()]).toEqual([...b.site.keys()]);
    for (const [p, v] of a.site) expect(b.site.get(p), p).toEqual(v);
  });
});

describe("csvCell", () => {
  it("quotes separators and defuses spreadsheet formulas", () => {
    expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvCell("+1")).toBe("'+1");
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell(-0.5)).toBe("-0.5");
    expect(csvCell(null)).toBe("");
  });
});
