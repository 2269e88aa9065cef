import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BENCH_CONFIG_YAML, BENCH_PARTNERS_YAML, writeBenchFile } from "../scripts/bench/generate-records.ts";
import { makeScratchDir, removeOwnScratch, removeStaleScratch } from "./scratch.ts";
import { REPO_ROOT } from "./test-support/load-fixture.ts";

/**
 * What a run keeps on disk for a while (a large file's keys, DuckDB's database) must not pile up
 * in the temporary folder when runs are stopped: Ctrl-C removes the run's own, and the next run
 * removes what a killed one left, never a live run's.
 */
const dir = mkdtempSync(path.join(tmpdir(), "c2c-scratch-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const MAIN = path.join(REPO_ROOT, "dist", "bundle", "c2c.js");

/** A process id that no process has now: one that has just ended. */
function endedPid(): number {
  const r = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(r.stdout);
}

function folderWithFile(base: string, name: string): string {
  const d = path.join(base, name);
  mkdirSync(d, { recursive: true });
  writeFileSync(path.join(d, "keys-3"), Buffer.alloc(4096));
  return d;
}

describe("scratch folders", () => {
  it("removes only the folders of runs that are no longer running", () => {
    const base = mkdtempSync(path.join(dir, "base-"));
    const dead = endedPid();
    const stale = folderWithFile(base, `c2c-keys-${dead}-aB3xYz`);
    const staleDuck = folderWithFile(base, `c2c-duckdb-${dead}-Qw12er`);
    const live = folderWithFile(base, `c2c-keys-${process.ppid}-LiVe00`);
    const mine = makeScratchDir("keys", base);
    const other = folderWithFile(base, "c2c-keys-notapid");
    const unrelated = folderWithFile(base, `something-${dead}-else`);
    const running = (pid: number) => pid !== dead;
    const removed = removeStaleScratch(running, base);
    expect(removed.dirs.sort()).toEqual([staleDuck, stale].sort());
    expect(removed.bytes).toBe(2 * 4096);
    for (const d of [live, mine, other, unrelated]) expect(existsSync(d), d).toBe(true);

    removeOwnScratch(base);
    expect(existsSync(mine)).toBe(false);
    for (const d of [live, other, unrelated]) expect(existsSync(d), d).toBe(true);
  });

  it("a build says what it removed that stopped runs left", () => {
    const tmp = mkdtempSync(path.join(dir, "tmp-"));
    const left = folderWithFile(tmp, `c2c-keys-${endedPid()}-Left01`);
    const r = spawnSync(
      process.execPath,
      [
        MAIN,
        "build",
        "--project",
        path.join(REPO_ROOT, "fixtures", "sample-community"),
        "--out",
        path.join(tmp, "out"),
      ],
      { encoding: "utf8", env: { ...process.env, TMPDIR: tmp } },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(left)).toBe(false);
    expect(r.stderr).toContain(`removed 1 scratch folder (0 MB) left in ${tmp} by c2c runs that were stopped.`);
  });

  it("Ctrl-C during a build removes the build's scratch folder and ends by SIGINT (status 130)", async () => {
    const tmp = mkdtempSync(path.join(dir, "stop-"));
    const root = path.join(tmp, "project");
    const data = path.join(root, "data", "2025", "district");
    mkdirSync(data, { recursive: true });
    writeFileSync(path.join(root, "c2c.config.yaml"), BENCH_CONFIG_YAML);
    writeFileSync(path.join(root, "partners.yaml"), BENCH_PARTNERS_YAML);
    await writeBenchFile(path.join(data, "assessment-2025.csv"), 300_000);
    // The DuckDB engine keeps its database in a scratch folder for as long as the files are read.
    const child = spawn(
      process.execPath,
      [MAIN, "build", "--project", root, "--out", path.join(tmp, "out"), "--engine", "duckdb"],
      { env: { ...process.env, TMPDIR: tmp }, stdio: ["ignore", "ignore", "pipe"] },
    );
    let stderr = "";
    child.stderr.on("data", (b: Buffer) => {
      stderr += b.toString();
    });
    // c2c ends itself by the signal once it has cleaned up, so the shell sees 130 (128 + SIGINT).
    const exited = new Promise<string>((resolve) => child.on("exit", (code, signal) => resolve(`${code} ${signal}`)));
    const scratch = () => readdirSync(tmp).filter((n) => n.startsWith(`c2c-duckdb-${child.pid}-`));
    const deadline = Date.now() + 60_000;
    while (scratch().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(scratch(), "the build never made its scratch folder").toHaveLength(1);
    child.kill("SIGINT");
    expect(await exited, stderr).toBe("null SIGINT");
    expect(stderr).toContain("c2c build: stopped (Ctrl-C).");
    expect(scratch()).toEqual([]);
  }, 120_000);
});
