import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BENCH_HEADER, benchLines } from "../../scripts/bench/generate-records.ts";
import { REPO_ROOT } from "../test-support/load-fixture.ts";

/**
 * `c2c check` on a file a partner has on their own machine, with no partnership folder around it:
 * c2c must find the extract the file follows from its header (not check every file against one
 * default), say plainly when the file follows none, and keep the errors in sight when an agency's
 * file has a hundred columns c2c does not use.
 */
const MAIN = path.join(REPO_ROOT, "dist", "bundle", "c2c.js");
const dir = mkdtempSync(path.join(tmpdir(), "c2c-check-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const CPS = path.join(REPO_ROOT, "fixtures", "realdata", "chicago-cps");
const CPS_FILE = "Chicago_Public_Schools_-_School_Progress_Reports_SY1819.csv";

function check(args: string[]) {
  const r = spawnSync(process.execPath, [MAIN, "check", ...args], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function write(name: string, lines: string[]): string {
  const file = path.join(dir, name);
  writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
}

describe("c2c check without a project", () => {
  const rows = [...benchLines(40, 3)];

  it("checks a student file against the extract its header follows", () => {
    const file = write("my-students.csv", [BENCH_HEADER, ...rows]);
    const r = check([file, "--json"]);
    const json = JSON.parse(r.stdout) as { schema: string; rowsRead: number; issues: { code: string }[] };
    expect(json.schema).toBe("student-assessment");
    expect(json.rowsRead).toBe(40);
    expect(json.issues.filter((i) => i.code === "missing-column" || i.code === "unknown-column")).toEqual([]);
  });

  it("says which extract it chose when the file lacks a required column of every extract", () => {
    const cut = (line: string) => line.split(",").slice(0, 12).join(",");
    const file = write("no-proficient.csv", [cut(BENCH_HEADER), ...rows.map(cut)]);
    const r = check([file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      "no-proficient.csv lacks a required column of every extract. It is checked against student-assessment, the closest (12 of its 13 columns are here)",
    );
    expect(r.stdout).toContain("The required column `proficient` is missing");
    expect(r.stdout).toContain("(student-assessment): 0 rows read");
  });

  it("stops with a plain answer for an agency file that follows none of c2c's extracts", () => {
    copyFileSync(path.join(CPS, CPS_FILE), path.join(dir, CPS_FILE));
    const r = check([CPS_FILE]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(
      `check: ${CPS_FILE} does not have the columns of any of c2c's extracts (birth-outcomes, graduation-cohort,`,
    );
    expect(r.stderr).toContain("it has at most 1 column of any one, so c2c cannot tell which one it follows.");
    expect(r.stderr).toContain("`c2c template ID` writes an extract's layout to fill in");
  });

  it("lists the missing columns first and the 181 ignored ones in one line", () => {
    copyFileSync(path.join(CPS, CPS_FILE), path.join(dir, CPS_FILE));
    const r = check([CPS_FILE, "--schema", "outcome-counts"]);
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split("\n");
    const header = readFileSync(path.join(CPS, CPS_FILE), "utf8").split(/\r?\n/)[0]?.split(",") ?? [];
    const ignored = lines.filter((l) => l.includes("[unknown-column]"));
    expect(ignored).toHaveLength(1);
    // Every column but the one outcome-counts has (`School_ID`).
    expect(ignored[0]).toContain(
      `:1: info: ${header.length - 1} columns are not part of the outcome-counts extract and were ignored: \`Short_Name\`, \`Long_Name\`, \`School_Type\`, \`Primary_Category\`, \`Address\` and ${header.length - 6} more.`,
    );
    const missing = lines.filter((l) => l.includes("[missing-column]"));
    expect(missing).toHaveLength(7);
    expect(lines.indexOf(missing.at(-1) as string)).toBeLessThan(lines.indexOf(ignored[0] as string));
    // The JSON still has each column on its own.
    const json = JSON.parse(check([CPS_FILE, "--schema", "outcome-counts", "--json"]).stdout) as {
      issues: { code: string }[];
    };
    expect(json.issues.filter((i) => i.code === "unknown-column")).toHaveLength(header.length - 1);
  });
});
