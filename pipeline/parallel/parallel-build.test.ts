import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  BENCH_CONFIG_YAML,
  BENCH_HEADER,
  BENCH_PARTNERS_YAML,
  benchLines,
} from "../../scripts/bench/generate-records.ts";
import { buildWithThreads } from "../test-support/build-with-threads.ts";

/**
 * Files read in worker threads must give the very build one thread gives. Runs the compiled CLI
 * (`npm test` builds dist/ first) on two generated years of student records, 36 MB in all: enough
 * for `c2c build` to use threads.
 */
const dir = mkdtempSync(path.join(tmpdir(), "c2c-parallel-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function project(): string {
  const root = path.join(dir, "project");
  mkdirSync(root, { recursive: true });
  writeFileSync(path.join(root, "c2c.config.yaml"), BENCH_CONFIG_YAML);
  writeFileSync(path.join(root, "partners.yaml"), BENCH_PARTNERS_YAML);
  for (const [year, label, seed] of [
    [2024, "2023-24", 5],
    [2025, "2024-25", 6],
  ] as const) {
    const folder = path.join(root, "data", String(year), "district");
    mkdirSync(folder, { recursive: true });
    const lines = [...benchLines(400_000, seed)].map((l) => l.replace(",2024-25,", `,${label},`));
    writeFileSync(path.join(folder, `assessment-${year}.csv`), `${[BENCH_HEADER, ...lines].join("\n")}\n`);
  }
  return root;
}

function build(root: string, threads: number) {
  return buildWithThreads(root, path.join(dir, `out-${threads}`), threads);
}

describe("c2c build with partner files read in worker threads", () => {
  it("writes the same site, partner reports and manifest as one thread", () => {
    const root = project();
    const one = build(root, 1);
    const two = build(root, 2);
    expect([one.summary.threads, two.summary.threads]).toEqual([1, 2]);
    expect([...two.files.keys()].sort()).toEqual([...one.files.keys()].sort());
    for (const [file, content] of one.files) expect(two.files.get(file), file).toBe(content);
    expect(one.files.get(path.join("private", "partners", "district", "report.json"))).toContain("unknown-code");
  }, 300_000);
});
