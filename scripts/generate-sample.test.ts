import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { discoverFiles, listDataFiles } from "../pipeline/discover/discover-files.ts";
import { loadProject } from "../pipeline/load/load-project.ts";
import { processPartnerFile } from "../pipeline/per-file/process-partner-file.ts";
import { loadFixtureProject, REPO_ROOT } from "../pipeline/test-support/load-fixture.ts";
import { buildSampleCommunity, generateSampleCommunity, SAMPLE_DIR } from "./sample/build-sample-community.ts";
import { BROKEN_FILE } from "./sample/plant-mistakes.ts";
import { YEARS } from "./sample/years.ts";

const REGENERATE = "fixtures/sample-community differs from scripts/generate-sample.ts: run `npm run generate:sample`";

/** The committed fixture, relative path to text. */
function readCommittedFixture(): Map<string, string> {
  const dir = path.join(REPO_ROOT, SAMPLE_DIR);
  const files = new Map<string, string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isDirectory()) continue;
    const abs = path.join(entry.parentPath, entry.name);
    files.set(path.relative(dir, abs).split(path.sep).join("/"), readFileSync(abs, "utf8"));
  }
  return files;
}

describe("generateSampleCommunity", () => {
  const community = generateSampleCommunity();

  it("gives the same files for the same seed and different data for another", () => {
    expect(generateSampleCommunity()).toEqual(community);
    const other = generateSampleCommunity(7);
    expect([...other.keys()]).toEqual([...community.keys()]);
    const data = [...community.keys()].filter((p) => p.startsWith("data/"));
    expect(data.filter((p) => other.get(p) === community.get(p))).toEqual([]);
  });

  it("writes the project files, the catalog and five years of every partner's files", () => {
    expect(community.has("c2c.config.yaml")).toBe(true);
    expect(community.has("partners.yaml")).toBe(true);
    expect(community.has("README.md")).toBe(true);
    expect([...community.keys()].filter((p) => p.startsWith("indicators/")).length).toBeGreaterThan(0);
    for (const year of YEARS) {
      expect([...community.keys()].filter((p) => p.startsWith(`data/${year}/`)).length).toBe(7);
    }
    for (const [file, text] of community) {
      expect(text.endsWith("\n"), file).toBe(true);
      expect(text.includes("\r"), file).toBe(false);
    }
  });

  it("lists each deliberate mistake's line in the fixture README", () => {
    const { mistakes } = buildSampleCommunity();
    const readme = community.get("README.md") ?? "";
    expect(mistakes.length).toBe(6);
    for (const m of mistakes) expect(readme).toContain(`| ${m.line} | \`${m.code}\` |`);
  });

  it("matches the committed fixture", () => {
    const committed = readCommittedFixture();
    const paths = [...new Set([...committed.keys(), ...community.keys()])].sort();
    const differing = paths.filter((p) => committed.get(p) !== community.get(p));
    expect(differing, REGENERATE).toEqual([]);
  });
});

describe("the sample community in the pipeline", () => {
  it("loads, and every file but the broken one is clean", async () => {
    const effects = loadFixtureProject("sample-community");
    const project = await loadProject("/project", REPO_ROOT, effects);
    expect(project.config.community.id).toBe("river-valley");
    expect(project.partners.map((p) => p.id)).toEqual([
      "riverside-usd",
      "cedar-hills-sd",
      "river-valley-health",
      "pathways-college-access",
      "river-valley-works",
    ]);

    const discovery = discoverFiles(await listDataFiles("/project", effects), project);
    expect(discovery.issues).toEqual([]);
    expect(discovery.files.length).toBe(YEARS.length * 7);
    expect(discovery.files.map((f) => f.path)).toContain(BROKEN_FILE);

    const { mistakes } = buildSampleCommunity();
    for (const file of discovery.files) {
      const { result } = await processPartnerFile(file, project, effects);
      const problems = result.issues
        .filter((i) => i.severity !== "info")
        .map((i) => ({ line: i.line, code: i.code }))
        .sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
      const infos = result.issues.filter((i) => i.severity === "info").map((i) => i.code);
      expect(
        infos.every((c) => c === "source-suppressed"),
        file.path,
      ).toBe(true);
      expect(result.year, file.path).toBe(Number(file.path.split("/")[1]));
      if (file.path === BROKEN_FILE) {
        expect(problems).toEqual(mistakes.map((m) => ({ line: m.line, code: m.code })));
        // Every mistake costs its row; the exact repeat is counted once (its first copy is used).
        expect(result.rowsRejected).toBe(mistakes.length);
      } else {
        expect(problems, file.path).toEqual([]);
        expect(result.rowsRejected, file.path).toBe(0);
        expect(result.rowsAccepted, file.path).toBe(result.rowsRead);
      }
    }
  });
});
