import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { build } from "../build.ts";
import { memoryLogger } from "../effects.ts";
import { nodeEffects } from "../effects-node.ts";
import type { Observation } from "../observation.ts";
import { REPO_ROOT } from "../test-support/load-fixture.ts";
import { runAggregate } from "./aggregate-command.ts";

const work = mkdtempSync(path.join(tmpdir(), "c2c-aggregate-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function published(project: string): Promise<Omit<Observation, "sources">[]> {
  const result = await build(
    {
      projectDir: project,
      outDir: path.join(project, "out"),
      c2cRoot: REPO_ROOT,
      version: "0",
      buildDate: "2026-01-01",
    },
    nodeEffects(memoryLogger()),
  );
  return result.protection.published.map(({ sources: _, ...o }) => o);
}

describe("c2c aggregate", () => {
  it("lets a district send counts instead of records, and the build publishes the very same figures", async () => {
    const original = path.join(work, "records");
    const counted = path.join(work, "counts");
    cpSync(path.join(REPO_ROOT, "fixtures", "sample-community"), original, { recursive: true });
    cpSync(path.join(REPO_ROOT, "fixtures", "sample-community"), counted, { recursive: true });

    const effects = nodeEffects(memoryLogger());
    let written = 0;
    for (const year of readdirSync(path.join(counted, "data"))) {
      const dir = path.join(counted, "data", year, "riverside-usd");
      for (const name of readdirSync(dir)) {
        const file = path.join(dir, name);
        const out: string[] = [];
        const code = await runAggregate(
          { file, schema: undefined, partner: undefined, project: counted, out: undefined, c2cRoot: REPO_ROOT },
          effects,
          (t) => out.push(t),
        );
        expect(code, out.join("")).toBe(0);
        rmSync(file);
        written++;
      }
    }
    expect(written).toBe(15);
    const partners = path.join(counted, "partners.yaml");
    const yaml = readFileSync(partners, "utf8");
    const start = yaml.indexOf("  - id: riverside-usd");
    const end = yaml.indexOf("  - id:", start + 1);
    const block = yaml
      .slice(start, end)
      .replace(
        / {4}extracts:\n[\s\S]*$/,
        '    extracts:\n      - schema: indicator-counts\n        files: "*-counts.csv"\n        versions: combine\n',
      );
    writeFileSync(partners, yaml.slice(0, start) + block + yaml.slice(end));

    const sample = readFileSync(
      path.join(counted, "data", "2025", "riverside-usd", "assessment-2025-counts.csv"),
      "utf8",
    );
    expect(sample.split("\n")[0]).toBe("year,district_id,school_id,indicator,group_type,group,denominator,numerator");
    expect(sample).not.toMatch(/\b0{2,}\d{5,}\b/); // no student ids leave the district

    const [a, b] = [await published(original), await published(counted)];
    expect(b.length).toBe(a.length);
    expect(b).toEqual(a);
  }, 120_000);

  it("says which extract it took a file for when the header fits none, and writes no counts", async () => {
    const source = path.join(
      REPO_ROOT,
      "fixtures",
      "sample-community",
      "data",
      "2025",
      "riverside-usd",
      "assessment-2025.csv",
    );
    const cut = (line: string) => line.split(",").slice(0, 12).join(",");
    const file = path.join(work, "no-proficient.csv");
    writeFileSync(file, `${readFileSync(source, "utf8").split("\n").slice(0, 20).map(cut).join("\n")}\n`);
    const out: string[] = [];
    const code = await runAggregate(
      { file, schema: undefined, partner: undefined, project: undefined, out: undefined, c2cRoot: REPO_ROOT },
      nodeEffects(memoryLogger()),
      (t) => out.push(t),
    );
    expect(code).toBe(1);
    expect(out.join("")).toContain(
      "so it was checked against `student-assessment`: the closest, with 12 of its 13 columns",
    );
    expect(out.join("")).toContain("The required column `proficient` is missing");
    expect(readdirSync(work)).not.toContain("no-proficient-counts.csv");
  });
});
