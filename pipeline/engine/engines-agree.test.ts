import { describe, expect, it } from "vitest";
import {
  BENCH_CONFIG_YAML,
  BENCH_HEADER,
  BENCH_PARTNERS_YAML,
  benchLines,
} from "../../scripts/bench/generate-records.ts";
import { type BuildResult, build } from "../build.ts";
import type { MemoryEffects } from "../effects-memory.ts";
import { memoryEffects } from "../effects-memory.ts";
import { KEPT_PER_PROBLEM, occurrences } from "../issues/catalogue.ts";
import { loadFixtureProject, REPO_ROOT } from "../test-support/load-fixture.ts";
import type { EngineName } from "./counting-engine.ts";

/**
 * The DuckDB engine counts out of core what the builtin engine counts in memory: both must give
 * the same observations (every field), the same issues (codes, lines, messages, in the same order)
 * and the same site, on the sample community and on a generated record-level file with repeats.
 */
async function buildWith(engine: EngineName, effects: () => MemoryEffects): Promise<BuildResult> {
  return build(
    {
      projectDir: "/project",
      outDir: "/out",
      c2cRoot: REPO_ROOT,
      version: "0.0.0-test",
      buildDate: "2026-01-15",
      engine,
      dryRun: true,
    },
    effects(),
  );
}

function expectSameBuild(builtin: BuildResult, duckdb: BuildResult): void {
  expect(duckdb.observations).toEqual(builtin.observations);
  expect(duckdb.files).toEqual(builtin.files);
  expect(duckdb.protection.published).toEqual(builtin.protection.published);
  expect([...duckdb.site.keys()]).toEqual([...builtin.site.keys()]);
  for (const [file, content] of builtin.site) expect(duckdb.site.get(file), file).toEqual(content);
  expect(duckdb.partnerReports).toEqual(builtin.partnerReports);
}

/** A generated student file with what real extracts also have: rows pasted twice, and keys sent twice with other values. */
function messyRecords(rows: number): string {
  const lines = [...benchLines(rows, 7)];
  const out = [BENCH_HEADER];
  lines.forEach((line, i) => {
    out.push(line);
    // An exact repeat right after, and one far later; a key sent again with the outcome flipped.
    if (i % 997 === 5) out.push(line);
    if (i % 1499 === 7) lines.push(line);
    if (i % 1201 === 11) out.push(line.replace(/,(Y|Yes|y|1|N|No|n|0)$/, (_, v) => (/^[Yy1]/.test(v) ? ",N" : ",Y")));
  });
  out.push(...lines.slice(rows));
  return `${out.join("\n")}\n`;
}

function generatedProject(data: string = messyRecords(20_000)): MemoryEffects {
  return memoryEffects(
    {
      "/project/c2c.config.yaml": BENCH_CONFIG_YAML,
      "/project/partners.yaml": BENCH_PARTNERS_YAML,
      "/project/data/2025/district/assessment-2025.csv": data,
    },
    { readDisk: true },
  );
}

describe("the DuckDB engine and the builtin engine", () => {
  it("build the same sample community", async () => {
    const project = () => loadFixtureProject("sample-community");
    const [builtin, duckdb] = [await buildWith("builtin", project), await buildWith("duckdb", project)];
    expect(builtin.files.flatMap((f) => f.issues).some((i) => i.code === "duplicate-row")).toBe(true);
    expectSameBuild(builtin, duckdb);
  }, 60_000);

  it("count a generated record-level file with repeats the same, row for row", async () => {
    const [builtin, duckdb] = [
      await buildWith("builtin", generatedProject),
      await buildWith("duckdb", generatedProject),
    ];
    const [file] = builtin.files;
    const codes = new Set(file?.issues.map((i) => i.code));
    // The file's messiness reaches both engines: codes no vocabulary knows, exact repeats, keys sent twice.
    expect([...codes].sort()).toEqual(["duplicate-key", "duplicate-row", "unknown-code"]);
    expect(file?.rowsAccepted).toBeGreaterThan(19_000);
    expectSameBuild(builtin, duckdb);
  }, 120_000);

  it("read a file's bad spots, and add up combined files with a row repeated across them, the same", async () => {
    const lines = [...benchLines(3000, 13)];
    const enc = new TextEncoder();
    // A NUL, a byte of Windows-1252, a line past the limit, a quote that never closes, contradictory flags.
    const spotted = lines.slice(0, 1500).map((line, i) => {
      if (i === 10) return enc.encode(line.replace(",0601,", ",06\u000001,"));
      if (i === 20) return new Uint8Array([...enc.encode(line.slice(0, 12)), 0xe9, ...enc.encode(line.slice(12))]);
      if (i === 30) return enc.encode(`${"x".repeat((1 << 20) + 5)}\n${line}`);
      if (i === 40) return enc.encode(line.replace(/,([^,]*),ELA,|,([^,]*),Math,/, (m) => m.replace(/^,/, ',"')));
      if (i === 50) return enc.encode([...line.split(",").slice(0, 11), "N", "Y"].join(","));
      return enc.encode(line);
    });
    // A letter of UTF-8 first: the file is UTF-8, and its one byte of Windows-1252 a bad spot.
    spotted.unshift(enc.encode("99999999,2024-25,0601,Peña,3,ELA,HI,F,N,N,N,Y,Y"));
    const withEol = (rows: Uint8Array[], head: string) =>
      new Uint8Array([...enc.encode(`${head}\n`), ...rows.flatMap((r) => [...r, 0x0a])]);
    // The second combined file sends 200 of the first's students again.
    // (Half of them with another school: the same key with other values.)
    const again = lines.slice(100, 300).map((l, i) => (i % 2 === 0 ? l : l.split(",").with(3, "999").join(",")));
    const second = [...lines.slice(1500), ...again].map((l) => enc.encode(l));
    const project = () =>
      memoryEffects(
        {
          "/project/c2c.config.yaml": BENCH_CONFIG_YAML,
          "/project/partners.yaml": BENCH_PARTNERS_YAML.replace(
            'files: "assessment-*.csv"',
            'files: "assessment-*.csv", versions: combine',
          ),
          "/project/data/2025/district/assessment-2025-a.csv": withEol(spotted, `sep=,\n${BENCH_HEADER}`),
          "/project/data/2025/district/assessment-2025-b.csv": withEol(second, BENCH_HEADER),
        },
        { readDisk: true },
      );
    const [builtin, duckdb] = [await buildWith("builtin", project), await buildWith("duckdb", project)];
    const codes = new Set(builtin.files.flatMap((f) => f.issues.map((i) => i.code)));
    for (const code of [
      "bad-bytes",
      "encoding-mixed",
      "row-too-long",
      "parse-error",
      "contradictory-flags",
      "duplicate-key",
      "duplicate-row",
    ])
      expect(codes.has(code as never), code).toBe(true);
    const [a, b] = builtin.files;
    expect(a?.rowsRead).toBe(1502);
    expect(
      b?.issues.filter((i) => i.message.includes("of `data/2025/district/assessment-2025-a.csv`")).length,
    ).toBeGreaterThan(150);
    expect(builtin.files.every((f) => f.rowsRead === f.rowsAccepted + f.rowsRejected)).toBe(true);
    expect(builtin.files.flatMap((f) => f.issues).some((i) => i.code === "conflicting-submission")).toBe(false);
    expectSameBuild(builtin, duckdb);
  }, 120_000);

  it("keep the first 1,000 of a problem with their lines and count the rest, the same way", async () => {
    // 3,000 students, then every one of them again: 3,000 rows that repeat an earlier row exactly.
    const lines = [...benchLines(3000, 11)];
    const data = `${[BENCH_HEADER, ...lines, ...lines].join("\n")}\n`;
    const [builtin, duckdb] = [
      await buildWith("builtin", () => generatedProject(data)),
      await buildWith("duckdb", () => generatedProject(data)),
    ];
    const repeats = builtin.files[0]?.issues.filter((i) => i.code === "duplicate-row") ?? [];
    // Every row the checks accept the first time repeats itself the second (the generator's
    // messy rows, about 2.5%, are rejected before they can repeat).
    const total = repeats.reduce((n, i) => n + occurrences(i), 0);
    expect(total).toBe(builtin.files[0]?.rowsAccepted);
    expect(total).toBeGreaterThan(2900);
    expect(repeats).toHaveLength(KEPT_PER_PROBLEM);
    expect(repeats.at(-1)?.count).toBe(total - KEPT_PER_PROBLEM + 1);
    expect(builtin.manifest.issues.byCode["duplicate-row"]).toBe(total);
    const report = JSON.parse(builtin.partnerReports.get("district")?.json ?? "{}");
    const group = report.files[0].issues.find((g: { code: string }) => g.code === "duplicate-row");
    expect([group.count, group.lines.length, group.moreLines]).toEqual([total, 10, total - 10]);
    expectSameBuild(builtin, duckdb);
  }, 120_000);
});
