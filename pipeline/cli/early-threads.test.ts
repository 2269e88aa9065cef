import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../test-support/load-fixture.ts";

/**
 * `c2c build` starts its worker threads before it loads the rest of c2c, when the build will use
 * them; the build must then take those threads, not start others, and a command that builds
 * nothing must not be left with threads that keep it running. Worker threads run only from the
 * compiled `dist/` (`npm test` builds it first), so this imports the compiled modules.
 */
type EarlyThreads = typeof import("./early-threads.ts");
const DIST = path.join(REPO_ROOT, "dist", "pipeline");
const { startBuildThreads } = (await import(path.join(DIST, "cli", "early-threads.js"))) as EarlyThreads;

const dir = mkdtempSync(path.join(tmpdir(), "c2c-early-"));
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
});

/** A project folder whose data holds `bytes` (a sparse file: nothing is written), through a link if asked. */
function project(name: string, bytes: number, linked = false): string {
  const root = path.join(dir, name);
  const folder = path.join(root, "data", "2025", "district");
  mkdirSync(folder, { recursive: true });
  const target = linked ? path.join(dir, `${name}.csv`) : path.join(folder, "assessment-2025.csv");
  writeFileSync(target, "");
  truncateSync(target, bytes);
  if (linked) symlinkSync(target, path.join(folder, "assessment-2025.csv"));
  return root;
}

const C2C = path.resolve(REPO_ROOT);
const ref = (root: string, only: string[] = []) => ({ root, c2cRoot: C2C, only });

describe("the threads c2c build starts before it loads", () => {
  const large = project("large", 40 << 20);

  it("are started for a build on large partner files, and taken by that build", async () => {
    const started = startBuildThreads(["build", "--project", large, "--threads", "2"], C2C);
    const pool = await started?.take(ref(large), 2);
    expect(pool?.size).toBe(2);
    await pool?.terminate();
    // Taken once: a second build starts its own.
    expect(await started?.take(ref(large), 2)).toBeNull();
  });

  it("count a partner file reached through a link, as the build reads it", async () => {
    const linked = project("linked", 40 << 20, true);
    const started = startBuildThreads(["build", "--project", linked, "--threads", "2", "--out", "/tmp/x"], C2C);
    const pool = await started?.take(ref(linked), 2);
    expect(pool).not.toBeNull();
    await pool?.terminate();
  });

  it("are not taken by a build of another project, other indicators or another number of threads", async () => {
    for (const [wanted, threads] of [
      [ref(path.join(dir, "other")), 2],
      [ref(large, ["early-grade-reading"]), 2],
      [ref(large), 3],
    ] as const) {
      const started = startBuildThreads(["build", "--project", large, "--threads", "2"], C2C);
      expect(started).not.toBeNull();
      expect(await started?.take(wanted, threads)).toBeNull();
      // Stopped when they do not fit: nothing is left to drop.
      expect(await started?.take(ref(large), 2)).toBeNull();
    }
  });

  it("are not started where the build reads in one thread, nor for other commands", async () => {
    const small = project("small", 1 << 20);
    for (const argv of [
      ["build", "--project", small, "--threads", "2"],
      ["build", "--project", large, "--threads", "1"],
      ["build", "--project", large, "--threads", "2", "--engine", "duckdb"],
      ["build", "--project", large, "--threads", "2", "--help"],
      ["build", "--project", large, "--threads", "two"],
      ["check", "--project", large],
    ]) {
      expect(startBuildThreads(argv, C2C), argv.join(" ")).toBeNull();
    }
  });
});
