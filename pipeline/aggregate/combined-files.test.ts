import { describe, expect, it } from "vitest";
import { BENCH_CONFIG_YAML, BENCH_HEADER, benchLines } from "../../scripts/bench/generate-records.ts";
import { build } from "../build.ts";
import { memoryEffects } from "../effects-memory.ts";
import { REPO_ROOT } from "../test-support/load-fixture.ts";

/** `versions: combine`: a partner's files of one extract and year are one file, added up. */
const PARTNERS = `partners:
  - id: district
    name: District
    kind: school-district
    extracts:
      - { schema: student-assessment, files: "assessment-*.csv", versions: combine }
  - id: counts
    name: Counts
    kind: school-district
    extracts:
      - { schema: outcome-counts, files: "counts-*.csv", versions: combine }
`;
const COUNTS = "school_year,district_id,school_id,measure,student_group_type,student_group,total_count,met_count";

async function buildOf(files: Record<string, string>) {
  return build(
    {
      projectDir: "/project",
      outDir: "/out",
      c2cRoot: REPO_ROOT,
      version: "0.0.0-test",
      buildDate: "2026-01-15",
      dryRun: true,
    },
    memoryEffects(
      { "/project/c2c.config.yaml": BENCH_CONFIG_YAML, "/project/partners.yaml": PARTNERS, ...files },
      { readDisk: true },
    ),
  );
}

const reading = (o: { indicator: string; year: number; geo_level: string; geo_id: string; dimension: string }) =>
  o.indicator === "early-grade-reading" &&
  o.year === 2025 &&
  o.geo_level === "district" &&
  o.geo_id === "north" &&
  o.dimension === "all";

describe("combined files", () => {
  it("of records: add up as the one file they were cut from, and a record sent in two counts once", async () => {
    const lines = [...benchLines(2000, 5)].filter((l) => l.split(",")[2] === "0601");
    const half = Math.floor(lines.length / 2);
    const whole = await buildOf({
      "/project/data/2025/district/assessment-2025.csv": [BENCH_HEADER, ...lines].join("\n"),
    });
    const split = await buildOf({
      "/project/data/2025/district/assessment-2025-a.csv": [BENCH_HEADER, ...lines.slice(0, half)].join("\n"),
      // The second file sends the first file's first record again.
      "/project/data/2025/district/assessment-2025-b.csv": [BENCH_HEADER, ...lines.slice(half), lines[0]].join("\n"),
    });
    const cell = (r: typeof whole) => r.observations.find(reading);
    expect(cell(split)).toMatchObject({
      numerator: cell(whole)?.numerator,
      denominator: cell(whole)?.denominator,
      flag: "ok",
    });
    const [a, b] = split.files;
    expect(b?.issues.map((i) => [i.code, i.line])).toContainEqual(["duplicate-row", lines.length - half + 2]);
    expect(b?.issues.find((i) => i.code === "duplicate-row")?.message).toBe(
      "This row repeats line 2 of `data/2025/district/assessment-2025-a.csv` exactly; it was counted once.",
    );
    expect((a?.rowsAccepted ?? 0) + (b?.rowsAccepted ?? 0)).toBe(whole.files[0]?.rowsAccepted);
    expect(b && b.rowsRead === b.rowsAccepted + b.rowsRejected).toBe(true);
    expect(split.files.flatMap((f) => f.issues).some((i) => i.code === "conflicting-submission")).toBe(false);
  });

  it("of counts: the same cell in two files is added up, not a repeat", async () => {
    const row = "2024-25,0601,,Grade 3 Reading,All Students,All Students";
    const split = await buildOf({
      "/project/data/2025/counts/counts-2025-a.csv": `${COUNTS}\n${row},100,40\n`,
      "/project/data/2025/counts/counts-2025-b.csv": `${COUNTS}\n${row},50,30\n`,
    });
    expect(split.files.flatMap((f) => f.issues).filter((i) => i.severity !== "info")).toEqual([]);
    expect(split.observations.find(reading)).toMatchObject({ numerator: 70, denominator: 150 });
  });
});
