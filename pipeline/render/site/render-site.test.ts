import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { type Config, ConfigSchema, type Partner } from "../../../schemas/index.ts";
import { deriveObservations, summarizeIndicators } from "../../derive/derive-observations.ts";
import { deriveProgress } from "../../derive/progress.ts";
import { memoryEffects } from "../../effects-memory.ts";
import { loadProject, type Project } from "../../load/load-project.ts";
import type { Observation } from "../../observation.ts";
import { loadRangeSolver } from "../../protect/integer-ranges.ts";
import { protectCells } from "../../protect/protect-cells.ts";
import { REPO_ROOT } from "../../test-support/load-fixture.ts";
import type { BoundaryFeature } from "./charts.ts";
import { loadSiteAssets } from "./load-site-assets.ts";
import { renderSite } from "./render-site.ts";
import { lookupString, placeholders, type SiteStrings, SiteStringsSchema } from "./site-strings.ts";

const solver = await loadRangeSolver();

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
  list.push(cell(2021, ["community", "riverbend"], "race_ethnicity", "black", 70, 250));
  list.push(cell(2021, ["community", "riverbend"], "race_ethnicity", "hispanic", 120, 330));
  list.push(cell(2021, ["community", "riverbend"], "race_ethnicity", "white", 220, 420));
  list.push(cell(2025, ["community", "riverbend"], "race_ethnicity", "black", 90, 260));
  list.push(cell(2025, ["community", "riverbend"], "race_ethnicity", "hispanic", 150, 330));
  list.push(cell(2025, ["community", "riverbend"], "race_ethnicity", "white", 226, 402));
  list.push(cell(2025, ["community", "riverbend"], "race_ethnicity", "pacific_islander", 4, 8));
  return list;
}

/** Two made-up district outlines, clockwise, for the map. */
const BOUNDARIES: BoundaryFeature[] = [
  {
    type: "Feature",
    properties: { id: "north" },
    geometry: {
      type: "Polygon",
      coordinates: [
        [
          [-90.2, 40.2],
          [-90, 40.2],
          [-90, 40],
          [-90.2, 40],
          [-90.2, 40.2],
        ],
      ],
    },
  },
  {
    type: "Feature",
    properties: { id: "south" },
    geometry: {
      type: "Polygon",
      coordinates: [
        [
          [-90.2, 40],
          [-90, 40],
          [-90, 39.8],
          [-90.2, 39.8],
          [-90.2, 40],
        ],
      ],
    },
  },
];

async function render(options: { boundaries?: BoundaryFeature[]; extra?: Observation[]; config?: Config } = {}) {
  const effects = memoryEffects({}, { readDisk: true });
  const project: Project = await loadProject("/project", REPO_ROOT, effects, {
    config: options.config ?? config,
    partners,
  });
  const table = deriveObservations([...observations(), ...(options.extra ?? [])]);
  const protection = protectCells(table, project.indicators, project.config, { solver });
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
      privacy: { relations: protection.relations, checkedCells: protection.audit.cells },
      boundaries: options.boundaries ?? null,
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

  it("shows a rare outcome as <5% with how many were counted, where the policy codes rates", async () => {
    const coding = ConfigSchema.parse({ ...config, privacy: { coding: { below: 0.05, above: 0.95 } } });
    // 3 of 250 Asian children: fewer than 10 reached it, and below 5% of 250 leaves 13 possible counts.
    const asian = cell(2025, ["community", "riverbend"], "race_ethnicity", "asian", 3, 250);
    const { text } = await render({ config: coding, extra: [asian] });
    const page = text("indicators/early-grade-reading.html");
    expect(page).toContain(
      'Asian</th><td>&lt;5% <span class="symbol">‖</span></td><td></td><td>250 counted, fewer than 10 reached it</td>',
    );
    expect(page).toContain("Fewer than 10 people reached the outcome, so the share is shown only as below 5%");
    expect(page).not.toContain("3 of 250");
    expect(page).toContain("Only a range is shown for Asian (&lt;5%), to protect privacy.");
    const row = text("data/early-grade-reading.csv")
      .split("\n")
      .find((l) => l.includes(",asian,"));
    expect(row).toContain(",,250,,0,0.05,bottom-coded,");
    expect(text("methods.html")).toContain("the share is shown only as below 5% or above 95%");
    expect(text("es/indicators/early-grade-reading.html")).toContain("250 contadas, menos de 10 lo alcanzaron");
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

/** Every `href` and `src` of a page that points inside the site, resolved to a site path. */
function localLinks(pagePath: string, html: string): string[] {
  const out: string[] = [];
  for (const m of html.matchAll(/\s(?:href|src)="([^"#]+)(?:#[^"]*)?"/g)) {
    const target = m[1] ?? "";
    if (/^[a-z]+:/i.test(target)) continue;
    out.push(path.posix.normalize(path.posix.join(path.posix.dirname(pagePath), target)));
  }
  return out;
}

describe("renderSite in two languages", () => {
  it("builds every page in English at the root and in Spanish under es/, each with its lang", async () => {
    const { site, text } = await render();
    const english = [...site.keys()].filter((p) => p.endsWith(".html") && !p.startsWith("es/"));
    expect(english.length).toBeGreaterThan(10);
    for (const p of english) {
      expect(site.has(`es/${p}`), `es/${p}`).toBe(true);
      expect(text(p), p).toContain('<html lang="en">');
      expect(text(`es/${p}`), `es/${p}`).toContain('<html lang="es">');
    }
    expect(text("es/index.html")).toContain("De la cuna a la carrera");
    expect(text("es/indicators/early-grade-reading.html")).toContain(
      "Lectura en tercer grado: subió del 41% en 2020–21 al 47% en 2024–25, una mejora de 6 puntos.",
    );
    expect(text("es/indicators/early-grade-reading.html")).toContain("Hispano o latino");
    expect(text("es/methods.html")).toContain("Compilado el 15 de enero de 2026");
    expect(text("methods.html")).toContain("Built on January 15, 2026");
  });

  it("links every page to its twin in the other language, and every link and script resolves", async () => {
    const { site, text } = await render();
    for (const p of [...site.keys()].filter((k) => k.endsWith(".html"))) {
      const html = text(p);
      for (const target of localLinks(p, html)) expect(site.has(target), `${p} → ${target}`).toBe(true);
      if (p.includes("embed/")) continue;
      const twin = p.startsWith("es/") ? p.slice(3) : `es/${p}`;
      const switchLinks = localLinks(p, /<nav class="languages"[\s\S]*?<\/nav>/.exec(html)?.[0] ?? "");
      expect(switchLinks, p).toEqual([twin]);
    }
  });

  it("leaves no English interface sentence on a Spanish page", async () => {
    const { site, text } = await render();
    const en = parseYaml(readFileSync(path.join(REPO_ROOT, "reports/site/i18n/en.yaml"), "utf8"));
    const es = parseYaml(readFileSync(path.join(REPO_ROOT, "reports/site/i18n/es.yaml"), "utf8"));
    const english: string[] = [];
    const walk = (a: unknown, b: unknown) => {
      if (typeof a === "string" && typeof b === "string") {
        // The fixed words of each string, between its placeholders.
        if (a !== b) for (const part of a.split(/\{\w+\}/)) if (part.trim().length >= 14) english.push(part.trim());
      } else if (a && typeof a === "object")
        for (const k of Object.keys(a)) walk((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]);
    };
    walk(en, es);
    expect(english.length).toBeGreaterThan(100);
    for (const p of [...site.keys()].filter((k) => k.startsWith("es/") && k.endsWith(".html"))) {
      const body = text(p).replace(/<script[\s\S]*?<\/script>/g, "");
      const found = english.filter((phrase) => body.includes(phrase.replace(/"/g, "&quot;")));
      expect(found, p).toEqual([]);
    }
  });

  it("shows each milestone's largest gap on its index card", async () => {
    const { text } = await render();
    const index = text("index.html");
    const card = index.slice(index.indexOf('href="indicators/early-grade-reading.html"'));
    expect(card).toMatch(/Largest gap<\/dt><dd>Hispanic or Latino: [\d.]+ points? behind everyone<\/dd>/);
    expect(text("es/index.html")).toMatch(/Mayor brecha<\/dt><dd>Hispano o latino: [\d.]+ puntos? por detrás de todos/);
  });

  it("charts each group's gap over time with a sentence and a table", async () => {
    const { text } = await render();
    const page = text("indicators/early-grade-reading.html");
    const section = page.slice(page.indexOf('id="gaps-time-heading"'));
    expect(section).toContain('data-chart="gaps-early-grade-reading"');
    expect(section).toMatch(/By race\/ethnicity, the largest gap in 2024–25 is for Hispanic or Latino/);
    expect(section).toMatch(/<th scope="row">2020–21<\/th>/);
  });

  it("draws a map of the districts only when the project has boundaries", async () => {
    const without = await render();
    expect(without.text("indicators/early-grade-reading.html")).not.toContain('data-chart="map-');
    const { site, text } = await render({ boundaries: BOUNDARIES });
    const page = text("indicators/early-grade-reading.html");
    expect(page).toContain('data-chart="map-early-grade-reading"');
    expect(page).toMatch(/In 2024–25, of the school districts with a published figure, (North|South) District had/);
    expect(site.has("embed/map-early-grade-reading.html")).toBe(true);
    // The map's data holds the districts' published figures, and only the outline of each.
    const spec = /<script type="application\/json" id="map-early-grade-reading">([\s\S]*?)<\/script>/.exec(page)?.[1];
    expect(spec).toContain('"geo_id":"north"');
  });

  it("gives every chart a page of its own to embed, and the code to embed it", async () => {
    const { site, text } = await render();
    const page = text("indicators/early-grade-reading.html");
    const charts = [...page.matchAll(/data-chart="([^"]+)"/g)].map((m) => m[1]);
    expect(charts.length).toBeGreaterThan(2);
    for (const id of charts) {
      expect(site.has(`embed/${id}.html`), id).toBe(true);
      expect(page).toContain(`&lt;iframe src&#x3D;&quot;../embed/${id}.html&quot;`);
      const embed = text(`embed/${id}.html`);
      expect(embed).toContain(`data-chart="${id}"`);
      expect(embed).toMatch(/<figcaption id="[^"]+-caption">/);
      expect(embed).toContain("Source: Riverbend &lt;Partners&gt; &amp; Co");
    }
  });

  it("loads the chart libraries only on pages with charts, deferred", async () => {
    const { text } = await render();
    expect(text("index.html")).not.toContain("vega");
    const page = text("indicators/early-grade-reading.html");
    for (const m of page.matchAll(/<script src="[^"]+"([^>]*)>/g)) expect(m[1]).toContain("defer");
    expect(page).toContain("assets/vendor/vega.min.js");
  });
});

describe("the translation files", () => {
  const en = SiteStringsSchema.parse(
    parseYaml(readFileSync(path.join(REPO_ROOT, "reports/site/i18n/en.yaml"), "utf8")),
  );
  const es = SiteStringsSchema.parse(
    parseYaml(readFileSync(path.join(REPO_ROOT, "reports/site/i18n/es.yaml"), "utf8")),
  );

  it("use the same placeholders in every string", () => {
    const pairs: [string, string, string][] = [];
    const walk = (key: string, a: unknown, b: unknown) => {
      if (typeof a === "string") pairs.push([key, a, b as string]);
      else if (Array.isArray(a)) return;
      else if (a && typeof a === "object")
        for (const k of Object.keys(a))
          walk(`${key}.${k}`, (a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]);
    };
    walk("", en, es);
    expect(pairs.length).toBeGreaterThan(200);
    for (const [key, a, b] of pairs) expect(placeholders(b), key).toEqual(placeholders(a));
  });

  it("have every key the templates ask for", () => {
    const dir = path.join(REPO_ROOT, "reports/site");
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".hbs")))
      for (const m of readFileSync(path.join(dir, file), "utf8").matchAll(/\{\{?\(?th? "([\w.-]+)"/g))
        expect(lookupString(en, m[1] ?? ""), `${file}: ${m[1]}`).toBeDefined();
  });

  it("reject a language file with a key missing", () => {
    const broken = structuredClone(es) as { nav: Partial<SiteStrings["nav"]> };
    delete broken.nav.skip;
    expect(SiteStringsSchema.safeParse(broken).success).toBe(false);
  });
});
