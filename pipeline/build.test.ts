import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { build } from "./build.ts";
import { type Observation, observationKey } from "./observation.ts";
import { auditOptionsFor } from "./test-support/audit-options.ts";
import { loadFixtureProject, REPO_ROOT, readFixtureCsv } from "./test-support/load-fixture.ts";
import { auditSite, loadAuditSolver } from "./test-support/privacy-audit.ts";

const highs = await loadAuditSolver();

/**
 * The whole flow on the sample community, in memory: its partner files in, a site and partner
 * reports out. The figures checked here are counted straight from the fixture's CSV files in the
 * test, not taken from any stage of the pipeline.
 */
async function buildSample(options: { complementarySuppression?: boolean; relatedProtection?: boolean } = {}) {
  const effects = loadFixtureProject("sample-community");
  const result = await build(
    {
      projectDir: "/project",
      outDir: "/out",
      c2cRoot: REPO_ROOT,
      version: "0.0.0-test",
      buildDate: "2026-01-15",
      ...options,
    },
    effects,
  );
  const text = (p: string) => {
    const bytes = effects.files.get(p);
    if (!bytes) throw new Error(`${p} was not written`);
    return new TextDecoder().decode(bytes);
  };
  return { result, effects, text };
}

const built = buildSample();

function published(list: readonly Observation[], key: Parameters<typeof observationKey>[0]): Observation {
  const found = list.find((o) => observationKey(o) === observationKey(key));
  if (!found) throw new Error(`no published cell ${observationKey(key)}`);
  return found;
}

/** Third graders tested in ELA in Riverside's 2025 file, and how many of them were proficient. */
function riversideReading(filter: (row: Record<string, string>) => boolean = () => true) {
  const rows = readFixtureCsv("sample-community", "data/2025/riverside-usd/assessment-2025.csv").filter(
    (r) => r.grade === "3" && r.subject?.toLowerCase() === "ela" && r.tested === "Y" && filter(r),
  );
  return { numerator: rows.filter((r) => r.proficient === "Y").length, denominator: rows.length };
}

/** Cedar Hills' own district-wide row for a measure and group in its 2025 counts file. */
function cedarHillsRow(measure: string, groupType: string, group: string) {
  const row = readFixtureCsv("sample-community", "data/2025/cedar-hills-sd/outcome-counts-2025.csv").find(
    (r) =>
      r.school_id === "" && r.measure === measure && r.student_group_type === groupType && r.student_group === group,
  );
  if (!row) throw new Error(`no Cedar Hills row for ${measure} / ${group}`);
  return { numerator: Number(row.met_count), denominator: Number(row.total_count) };
}

const cell = (
  geo_level: Observation["geo_level"],
  geo_id: string,
  dimension: Observation["dimension"],
  group: string,
) => ({
  indicator: "early-grade-reading",
  year: 2025,
  geo_level,
  geo_id,
  dimension,
  group,
});

describe("building the sample community", () => {
  it("counts a record-level district's third-grade reading from its students", async () => {
    const { result } = await built;
    const expected = riversideReading();
    const o = published(result.protection.published, cell("district", "riverside", "all", "all"));
    expect({ numerator: o.numerator, denominator: o.denominator }).toEqual(expected);
    expect(o.value).toBeCloseTo(expected.numerator / expected.denominator, 10);
    // NaN where the value is missing, which no interval end passes.
    const value = o.value ?? Number.NaN;
    expect(o.lower).toBeLessThan(value);
    expect(o.upper).toBeGreaterThan(value);
  });

  it("counts a subgroup from the records", async () => {
    const { result } = await built;
    const expected = riversideReading((r) => r.economic_disadvantage === "Y");
    const o = published(result.protection.published, cell("district", "riverside", "economic_disadvantage", "yes"));
    expect({ numerator: o.numerator, denominator: o.denominator }).toEqual(expected);
  });

  it("takes an aggregate district's own district-wide row", async () => {
    const { result } = await built;
    const expected = cedarHillsRow("Grade 3 Reading", "All Students", "All Students");
    const o = published(result.protection.published, cell("district", "cedar-hills", "all", "all"));
    expect({ numerator: o.numerator, denominator: o.denominator }).toEqual(expected);
  });

  it("adds the districts up for the community", async () => {
    const { result } = await built;
    const a = riversideReading();
    const b = cedarHillsRow("Grade 3 Reading", "All Students", "All Students");
    const o = published(result.protection.published, cell("community", "river-valley", "all", "all"));
    expect({ numerator: o.numerator, denominator: o.denominator }).toEqual({
      numerator: a.numerator + b.numerator,
      denominator: a.denominator + b.denominator,
    });
  });

  it("hides a group with fewer than 10 children, and publishes it as hidden, never as 0", async () => {
    const { result } = await built;
    const small = riversideReading((r) => r.race_ethnicity === "PI");
    expect(small.denominator).toBeGreaterThan(0);
    expect(small.denominator).toBeLessThan(10);
    const o = published(
      result.protection.published,
      cell("district", "riverside", "race_ethnicity", "pacific_islander"),
    );
    expect(o).toMatchObject({ numerator: null, denominator: null, value: null, flag: "suppressed" });
  });

  it("shows a rate almost every child reached as >90% with its denominator, never its count", async () => {
    const { result, text } = await built;
    // 96 of Cedar Hills' 104 girls graduated: 8 did not, fewer than 10, but 104 is enough for ">90%".
    const expected = cedarHillsRow("4-Year Graduation", "Gender", "Female");
    expect(expected.denominator - expected.numerator).toBeLessThan(10);
    const key = { ...cell("district", "cedar-hills", "gender", "female"), indicator: "high-school-graduation" };
    const o = published(result.protection.published, key);
    expect(o).toMatchObject({ flag: "top-coded", numerator: null, value: null, lower: 0.9, upper: 1 });
    expect(o.denominator).toBe(expected.denominator);
    const csv = text("/out/site/data/high-school-graduation.csv");
    expect(csv).toContain(`,2025,district,cedar-hills,gender,female,,${expected.denominator},,0.9,1,top-coded,`);
    expect(text("/out/site/methods.html")).toContain("below 10% or above 90%");
  });

  it("says which groups c2c hid and which the partners withheld", async () => {
    const { text } = await built;
    // Cedar Hills withholds its small race groups with `*`, so the community's are incomplete;
    // the Pacific Islander and not-reported groups are hidden by c2c.
    expect(text("/out/site/indicators/early-grade-reading.html")).toContain(
      "2 groups are not shown, to protect privacy. 3 groups are not shown: the partners that sent the data withheld all or part of them.",
    );
  });

  it("marks a gap that comes from a figure based on few people, and a year whose figure is not shown", async () => {
    const { result, text } = await built;
    // The Asian share of low birth weight in 2023 and 2024 rests on fewer than 20 births.
    const asian = result.protection.published.filter(
      (o) => o.indicator === "low-birth-weight" && o.geo_level === "community" && o.group === "asian" && o.year >= 2023,
    );
    expect(asian.filter((o) => o.flag === "low-reliability").map((o) => o.year)).toEqual([2023, 2024]);
    const page = text("/out/site/indicators/low-birth-weight.html");
    const table = page.slice(page.indexOf('id="gaps-time-heading"'));
    const rows = [...table.matchAll(/<tr>\s*<th scope="row">(\d{4})<\/th>\s*<td[^>]*>([^<]*)<\/td>/g)].map((m) => [
      m[1],
      m[2],
    ]);
    expect(rows).toEqual([
      ["2021", "*"],
      ["2022", "‖"],
      ["2023", "−3.5 §"],
      ["2024", "−3.2 §"],
      ["2025", "*"],
    ]);
    expect(page).toContain("§</span>");
  });

  it("introduces the partnership in each page's language, marking text left untranslated with its own", async () => {
    const { result, text } = await built;
    expect(text("/out/site/es/index.html")).toContain('<p class="lede">River Valley Cradle to Career reúne');
    expect(text("/out/site/index.html")).toContain('<p class="lede">River Valley Cradle to Career brings');
    const { introductionIn } = await import("./render/site/render-site.ts");
    const config = {
      ...result.project.config,
      partnership: { ...result.project.config.partnership, translations: {} },
    };
    const input = { config } as Parameters<typeof introductionIn>[0];
    expect(introductionIn(input, "es")).toEqual({
      introduction: config.partnership.introduction,
      introductionLang: "en",
    });
    expect(introductionIn(input, "en").introductionLang).toBeNull();
  });

  it("explains on a chart's embed page the marks the chart shows, and no others", async () => {
    const { text } = await built;
    const embed = text("/out/site/embed/groups-early-grade-reading-race_ethnicity.html");
    expect(embed).toContain('<span class="symbol">‡</span> Not shown: a partner withheld part of this group');
    expect(embed).toContain('<span class="symbol">*</span> Hidden to protect privacy');
    expect(embed).not.toContain('<span class="symbol">§</span>');
    expect(text("/out/site/embed/trend-early-grade-reading.html")).not.toContain('class="notes-key"');
  });

  it("explains on the data page every flag a download can carry, in both languages", async () => {
    const { text } = await built;
    const flags = [
      "ok",
      "suppressed",
      "source-suppressed",
      "low-reliability",
      "incomplete",
      "bottom-coded",
      "top-coded",
    ];
    for (const page of ["/out/site/data.html", "/out/site/es/data.html"]) {
      const definition = /<dt>flag<\/dt><dd>([^<]*)<\/dd>/.exec(text(page))?.[1] ?? "";
      // Each flag as the list names it, without the explanation in brackets after it.
      const named = definition
        .replace(/ \([^)]*\)/g, "")
        .replace(/\.$/, "")
        .split(/, | or | o /);
      expect(named.sort(), page).toEqual([...flags].sort());
    }
  });

  it("writes an index, a page per indicator, downloads, partner reports and a manifest", async () => {
    const { result, effects } = await built;
    for (const p of ["/out/site/index.html", "/out/site/data/observations.csv", "/out/private/build.json"])
      expect(effects.files.has(p), p).toBe(true);
    for (const i of result.project.indicators)
      expect(effects.files.has(`/out/site/indicators/${i.id}.html`)).toBe(true);
    for (const p of result.project.partners) {
      expect(effects.files.has(`/out/private/partners/${p.id}/report.html`), p.id).toBe(true);
      expect(effects.files.has(`/out/private/partners/${p.id}/report.json`), p.id).toBe(true);
    }
    // Only the site is public: the reports and the input checksums are never in it.
    expect(
      [...effects.files.keys()].filter((k) => k.startsWith("/out/") && !/^\/out\/(site|private)\//.test(k)),
    ).toEqual([]);
    expect(effects.files.has("/out/site/c2c-manifest.json")).toBe(true);
    expect(new TextDecoder().decode(effects.files.get("/out/site/c2c-manifest.json"))).not.toMatch(
      /"inputs"|"data\/\d{4}\//,
    );
    expect(result.manifest.inputs).toHaveLength(35);
    expect(result.manifest.inputs.every((i) => /^[0-9a-f]{64}$/.test(i.sha256))).toBe(true);
  });

  it("tells Cedar Hills about every mistake in its 2025 file, and the other partners that theirs are clean", async () => {
    const { result } = await built;
    const broken = result.files.find((f) => f.path === "data/2025/cedar-hills-sd/outcome-counts-2025.csv");
    expect(broken?.issues.filter((i) => i.severity === "error").length).toBeGreaterThan(0);
    for (const f of result.files) {
      if (f === broken) continue;
      expect(
        f.issues.filter((i) => i.severity === "error"),
        f.path,
      ).toEqual([]);
    }
  });
});

describe("no hidden cell can be worked out from what the site publishes", () => {
  it("holds for the sample community's site", async () => {
    const { result } = await built;
    const { config, indicators } = result.project;
    const report = auditSite(result.site, auditOptionsFor(highs, indicators, config.privacy));
    expect(report.findings).toEqual([]);
    expect(report.published).toBeGreaterThan(100);
    expect(report.hidden.length).toBeGreaterThan(100);
  });

  it("holds against a reader who relates graduation and enrollment: this spring's graduates are the students whose enrollment is counted", async () => {
    const { result } = await built;
    const { config, indicators } = result.project;
    const report = auditSite(result.site, auditOptionsFor(highs, indicators, config.privacy));
    expect(report.relations).toContainEqual({
      left: { indicator: "postsecondary-enrollment", quantity: "denominator" },
      right: { indicator: "high-school-graduation", quantity: "numerator" },
      yearOffset: 0,
    });
    const graduation = (key: string) =>
      result.protection.published.find((o) => observationKey(o) === `high-school-graduation|${key}`);
    // Cedar Hills' girls, 2023: 107 counted, ">90%" graduated; enrollment no longer says 98 of them did.
    expect(graduation("2023|district|cedar-hills|gender|female")?.flag).toBe("top-coded");
    const enrollment = result.protection.published.find(
      (o) => observationKey(o) === "postsecondary-enrollment|2023|district|cedar-hills|gender|female",
    );
    expect(enrollment?.denominator).toBeNull();
    expect(report.findings).toEqual([]);
  });

  it("says on the methods page which counts are the same people, and how many hidden figures the check covered", async () => {
    const { text } = await built;
    const methods = text("/out/site/methods.html");
    expect(methods).toContain(
      "College enrollment (everyone counted) and On-time graduation (those who reached it), the same year",
    );
    // As many as the download leaves without a numerator: hidden, coded, withheld and incomplete.
    const rows = text("/out/site/data/observations.csv").trimEnd().split("\n").slice(1);
    const blank = rows.filter((line) => line.split(",")[6] === "").length;
    expect(methods).toContain(
      `All ${blank.toLocaleString("en-US")} hidden and withheld figures of this build were checked.`,
    );
    expect(text("/out/site/es/methods.html")).toContain(
      `Se comprobaron las ${blank.toLocaleString("en-US")} cifras ocultas`,
    );
  });

  it("fails for the same site protected as if graduation and enrollment were unrelated", async () => {
    const { result } = await buildSample({ relatedProtection: false });
    const { config, indicators } = result.project;
    const report = auditSite(result.site, auditOptionsFor(highs, indicators, config.privacy));
    const found = report.findings.map((f) => `${f.kind} ${f.where} ${f.detail}`);
    expect(found).toContain(
      "determined high-school-graduation|2023|district|cedar-hills|gender|female 98 of 107 can be worked out",
    );
    expect(found.filter((f) => f.includes("high-school-graduation")).length).toBeGreaterThan(3);
  });

  it("fails for the same site built without complementary suppression", async () => {
    const { result } = await buildSample({ complementarySuppression: false });
    const { config, indicators } = result.project;
    const report = auditSite(result.site, auditOptionsFor(highs, indicators, config.privacy));
    expect(report.findings.filter((f) => f.kind === "determined").length).toBeGreaterThan(10);
    expect(report.findings.every((f) => f.kind === "determined" || f.kind === "narrowed")).toBe(true);
  });
});

/** Every published count in the downloads and in the pages' tables, with the threshold it must meet. */
describe("the published site never shows a count below the threshold", () => {
  it("holds in the CSV downloads: children counted, reaching the outcome, and not reaching it", async () => {
    const { result, text } = await built;
    const minimum = new Map(
      result.project.indicators.map((i) => [i.id, i.minimumN ?? result.project.config.privacy.minimumCount]),
    );
    const [header, ...lines] = text("/out/site/data/observations.csv").trimEnd().split("\n");
    const cols = (header ?? "").split(",");
    const at = (name: string) => cols.indexOf(name);
    let checked = 0;
    for (const line of lines) {
      const cells = line.split(",");
      const indicator = cells[at("indicator")] ?? "";
      const [n, d] = [cells[at("numerator")], cells[at("denominator")]];
      if (n === "" && d === "") continue;
      const min = minimum.get(indicator) ?? 10;
      // A coded cell ("<10%") publishes its denominator alone: every count published is checked.
      if (d !== "") expect(Number(d), line).toBeGreaterThanOrEqual(min);
      if (n !== "") expect(Number(n), line).toBeGreaterThanOrEqual(min);
      if (n !== "" && d !== "") expect(Number(d) - Number(n), line).toBeGreaterThanOrEqual(min);
      checked++;
    }
    expect(checked).toBeGreaterThan(100);
  });

  it("holds in every page's tables", async () => {
    const { effects } = await built;
    let checked = 0;
    for (const [p, bytes] of effects.files) {
      if (!p.startsWith("/out/site/") || !p.endsWith(".html")) continue;
      const html = new TextDecoder().decode(bytes);
      for (const m of html.matchAll(/([\d,]+) (?:of|de) ([\d,]+)/g)) {
        const n = Number((m[1] ?? "").replace(/,/g, ""));
        const d = Number((m[2] ?? "").replace(/,/g, ""));
        expect(Math.min(n, d, d - n), `${p}: ${m[0]}`).toBeGreaterThanOrEqual(10);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(50);
  });

  it("holds in every file of the site: CSV and JSON downloads, pages, chart specs", async () => {
    const { result, effects } = await built;
    const minimum = (id: unknown) => {
      const i = result.project.indicators.find((x) => x.id === id);
      return i?.privacy?.minimumCount ?? i?.minimumN ?? result.project.config.privacy.minimumCount;
    };
    const problems: string[] = [];
    let checked = 0;
    const check = (where: string, indicator: unknown, n: unknown, d: unknown) => {
      if (n === null && d === null) return;
      // Every count published, alone (a coded cell's denominator) or with its complement.
      const counts = [n, d].filter((x) => x !== null).map(Number);
      if (n !== null && d !== null) counts.push(Number(d) - Number(n));
      if (counts.some((x) => x < minimum(indicator) || !Number.isInteger(x))) problems.push(`${where}: ${n} of ${d}`);
      checked++;
    };
    const walk = (where: string, node: unknown): void => {
      if (Array.isArray(node)) for (const x of node) walk(where, x);
      else if (node && typeof node === "object") {
        const o = node as Record<string, unknown>;
        if ("numerator" in o || "denominator" in o)
          check(where, o.indicator, o.numerator ?? null, o.denominator ?? null);
        for (const v of Object.values(o)) walk(where, v);
      }
    };
    for (const [p, bytes] of effects.files) {
      if (!p.startsWith("/out/site/")) continue;
      const content = new TextDecoder().decode(bytes);
      if (p.endsWith(".csv")) {
        const [header, ...lines] = content.trimEnd().split("\n");
        const cols = (header ?? "").split(",");
        if (!cols.includes("numerator") && !cols.includes("denominator")) continue;
        for (const line of lines) {
          const cells = line.split(",");
          const [n, d] = [cells[cols.indexOf("numerator")], cells[cols.indexOf("denominator")]];
          check(p, cells[cols.indexOf("indicator")], n === "" ? null : n, d === "" ? null : d);
        }
      } else if (p.endsWith(".json")) walk(p, JSON.parse(content));
      else if (p.endsWith(".html")) {
        const indicator = /indicators\/([^/]+)\.html$/.exec(p)?.[1];
        for (const m of content.matchAll(/(\d[\d,]*) (?:of|de) (\d[\d,]*)/g))
          check(p, indicator, (m[1] ?? "").replace(/,/g, ""), (m[2] ?? "").replace(/,/g, ""));
        for (const m of content.matchAll(/<script type="application\/json"[^>]*>([\s\S]*?)<\/script>/g))
          walk(p, { indicator, spec: JSON.parse(m[1] ?? "") });
      }
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(1000);
  });

  it("never carries a student's id from the partner files", async () => {
    const { effects } = await built;
    const ids = new Set<string>();
    const base = path.join(REPO_ROOT, "fixtures/sample-community/data");
    for (const year of readdirSync(base))
      for (const file of readdirSync(path.join(base, year, "riverside-usd")))
        for (const row of readFixtureCsv("sample-community", `data/${year}/riverside-usd/${file}`))
          if (row.student_id) ids.add(row.student_id);
    expect(ids.size).toBeGreaterThan(1000);
    const found: string[] = [];
    for (const [p, bytes] of effects.files) {
      if (!p.startsWith("/out/site/")) continue;
      for (const token of new TextDecoder().decode(bytes).match(/[A-Za-z0-9_]+/g) ?? [])
        if (ids.has(token)) found.push(`${p}: ${token}`);
    }
    expect(found).toEqual([]);
  });

  it("holds in the JSON download, which has the same cells as the CSV", async () => {
    const { result, text } = await built;
    const json = JSON.parse(text("/out/site/data/observations.json")) as Observation[];
    expect(json).toEqual(result.protection.published);
  });
});
