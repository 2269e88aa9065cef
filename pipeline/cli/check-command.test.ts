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

  it("reads Excel's `sep=;` first line as the delimiter, and finds the extract from the header after it", () => {
    const file = write("sep-students-2025.csv", [
      "sep=;",
      ...[BENCH_HEADER, ...rows].map((l) => l.replaceAll(",", ";")),
    ]);
    const json = JSON.parse(check([file, "--json"]).stdout) as {
      schema: string;
      rowsRead: number;
      rowsAccepted: number;
    };
    expect([json.schema, json.rowsRead]).toEqual(["student-assessment", 40]);
  });

  it("counts in its JSON every issue, past the first 1,000 of a problem it lists", () => {
    const race = BENCH_HEADER.split(",").indexOf("race_ethnicity");
    const martian = [...benchLines(1500, 9)].map((line) => {
      const cells = line.split(",");
      cells[race] = "Martian";
      return cells.join(",");
    });
    const file = write("martians-2025.csv", [BENCH_HEADER, ...martian]);
    const json = JSON.parse(check([file, "--json"]).stdout) as {
      accepted: boolean;
      issues: { code: string; count?: number }[];
      totals: { errors: number; byCode: Record<string, number> };
    };
    const listed = json.issues.filter((i) => i.code === "unknown-code");
    expect(listed).toHaveLength(1000);
    expect(json.totals.byCode["unknown-code"]).toBe(1500);
    expect(json.totals.errors).toBeGreaterThanOrEqual(1500);
    expect(json.accepted).toBe(false);
  });

  it("says which extract it chose when the file lacks a required column of every extract", () => {
    const cut = (line: string) => line.split(",").slice(0, 12).join(",");
    const file = write("no-proficient.csv", [cut(BENCH_HEADER), ...rows.map(cut)]);
    const r = check([file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      "no-proficient.csv: info: No extract's required columns are all in this file's header, so it was checked against `student-assessment`: the closest, with 12 of its 13 columns.",
    );
    expect(r.stdout).toContain("The required column `proficient` is missing");
    expect(r.stdout).toContain(
      "(student-assessment): its rows were not read, as its header row must be fixed first; 1 error, 0 warnings.",
    );
  });

  it("checks an agency file that follows none of c2c's extracts, and says so in every output", () => {
    copyFileSync(path.join(CPS, CPS_FILE), path.join(dir, CPS_FILE));
    const said =
      "checked against `outcome-counts`: c2c's extract for counts by group, as no extract has more than 1 column here.";
    const r = check([CPS_FILE, "--report", "cps-check.html"]);
    expect(r.code).toBe(1);
    expect(r.stdout.split("\n")[0]).toContain(`${CPS_FILE}: info: No extract's required columns`);
    expect(r.stdout).toContain(said);
    expect(readFileSync(path.join(dir, "cps-check.html"), "utf8")).toContain(
      `<title>Data check for ${CPS_FILE} – c2c check</title>`,
    );
    expect(readFileSync(path.join(dir, "cps-check.html"), "utf8")).toContain(
      "<code>outcome-counts</code>: c2c&#x27;s extract for counts by group, as no extract has more than 1 column here.",
    );
    const json = JSON.parse(check([CPS_FILE, "--json"]).stdout) as { schema: string; issues: { code: string }[] };
    expect(json.schema).toBe("outcome-counts");
    expect(json.issues.filter((i) => i.code === "extract-guessed")).toHaveLength(1);
  });

  it("says what is wrong with a file it cannot take a header from, not which extract it might be", () => {
    const binary = path.join(dir, "export.csv");
    writeFileSync(
      binary,
      Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00, 0x00, 0x00, 0xff, 0xfe]),
    );
    const r = check([binary]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("[encoding-error]");
    expect(r.stdout).not.toContain("extract-guessed");
    const empty = write("empty.csv", []);
    expect(check([empty]).stdout).toContain("[empty-file]");
  });

  it("stops on a mistyped --schema with the name it is near, and never writes a report over the file", () => {
    const file = write("typo.csv", [BENCH_HEADER, ...rows]);
    const typo = check([file, "--schema", "student_assessment"]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain(
      "there is no extract schema `student_assessment` (did you mean `student-assessment`?)",
    );
    const before = readFileSync(file, "utf8");
    for (const target of [file, path.join(dir, "typo-report.csv")]) {
      const r = check([file, "--report", target]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("--report writes a web page; give it a new name ending in .html");
    }
    expect(readFileSync(file, "utf8")).toBe(before);
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

describe("c2c check and the year a file is for", () => {
  const sample = path.join(REPO_ROOT, "fixtures", "sample-community");
  const cedar = path.join(sample, "data", "2025", "cedar-hills-sd", "outcome-counts-2025.csv");
  const mismatch = ":90: error: The `school_year` value `2023-24` is not the year this file is for (2025)";
  const inProject = (file: string, ...more: string[]) =>
    check([file, "--project", sample, "--partner", "cedar-hills-sd", ...more]);

  it("compares the rows' years with the year in the file's name, as the build does with its folder", () => {
    expect(inProject(cedar).stdout).toContain(mismatch);
    const named = path.join(dir, "outcome-counts-2025.csv");
    copyFileSync(cedar, named);
    expect(inProject(named).stdout).toContain(mismatch);
  });

  it("takes --year, and says so when it has no year to compare with", () => {
    const plain = path.join(dir, "cedar.csv");
    copyFileSync(cedar, plain);
    const unchecked = inProject(plain);
    expect(unchecked.stdout).not.toContain(mismatch);
    expect(unchecked.stdout).toContain(
      "cedar.csv: info: The rows' years were not compared with the year this file is for",
    );
    expect(inProject(plain, "--year", "2024-25").stdout).toContain(mismatch);
    const bad = inProject(plain, "--year", "last year");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--year takes the year the file is for, as 2025 or 2024-25, not `last year`");
  });

  it("reads one year from a file's name, or none", async () => {
    const { yearInName } = await import("./check-command.ts");
    expect(yearInName("outcome-counts-2025.csv")).toBe(2025);
    expect(yearInName("assessment_2024-25.csv")).toBe(2025);
    expect(yearInName("grads 2023–24 final.csv")).toBe(2024);
    expect(yearInName("cedar.csv")).toBeNull();
    expect(yearInName("district-0601.csv")).toBeNull();
    expect(yearInName("compare-2023-and-2025.csv")).toBeNull();
  });
});

describe("c2c check and the name the build reads a file by", () => {
  it("warns, and fails, when the partner's extracts would not pick the file up under its name", () => {
    const sample = path.join(REPO_ROOT, "fixtures", "sample-community");
    const clean = path.join(sample, "data", "2024", "cedar-hills-sd", "outcome-counts-2024.csv");
    const renamed = path.join(dir, "cedar 2024 final.csv");
    copyFileSync(clean, renamed);
    const args = ["--project", sample, "--partner", "cedar-hills-sd"];
    expect(check([clean, ...args]).code).toBe(0);
    const r = check([renamed, ...args]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      "warning: The build will not read this file: its name matches none of partner `cedar-hills-sd`'s extracts (outcome-counts-*.csv).",
    );
    expect(r.stdout).toContain("Rename the file as the warning above says before sending it");
    const report = path.join(dir, "cedar-check.html");
    check([renamed, ...args, "--report", report]);
    expect(readFileSync(report, "utf8")).toContain(
      "<title>Data check for Cedar Hills School District – River Valley Cradle to Career Partnership</title>",
    );
  });
});

describe("c2c check on a problem repeated on many lines", () => {
  it("prints its first three lines and sums up the rest in one", () => {
    const sample = path.join(REPO_ROOT, "fixtures", "sample-community");
    const source = path.join(sample, "data", "2025", "riverside-usd", "assessment-2025.csv");
    const lines = readFileSync(source, "utf8").split("\n").slice(0, 41);
    const file = write(
      "assessment-2025.csv",
      lines.map((l) => l.replace(",0601,", ",601,")),
    );
    const args = [file, "--project", sample, "--partner", "riverside-usd"];
    const out = check(args).stdout.split("\n");
    expect(out.filter((l) => l.includes("[id-mangled]"))).toHaveLength(4);
    expect(out).toContain(
      "assessment-2025.csv: ... and the same warning as line 2 [id-mangled] on 37 more lines: 5, 6, 7, 8, 9 and 32 more (--max-lines 0 prints each).",
    );
    const all = check([...args, "--max-lines", "0"]).stdout.split("\n");
    expect(all.filter((l) => l.includes("[id-mangled]"))).toHaveLength(40);
  });
});
