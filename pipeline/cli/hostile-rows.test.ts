import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../test-support/load-fixture.ts";

/**
 * The hostile row cases (fixtures/hostile/rows/README.md), through the CLI as a partner and an
 * analyst run it: one bad spot costs its own row, located on its line, and every other row is
 * read and counted, as in the same file without the bad spot; the totals count rows, and add up;
 * the configuration cases say they are the partnership's.
 */
const MAIN = path.join(REPO_ROOT, "dist", "bundle", "c2c.js");
const SCRIPT = path.join(REPO_ROOT, "fixtures", "hostile", "rows", "make-row-cases.mjs");
const dir = mkdtempSync(path.join(tmpdir(), "c2c-hostile-rows-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs c2c as a user does; asynchronously, so the test runner stays responsive during a build. */
function c2c(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], {
      cwd: dir,
      env: { ...process.env, NO_COLOR: "1", SOURCE_DATE_EPOCH: "1767225600" },
      timeout: 120_000,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.on("error", reject);
    child.on("close", (code) =>
      resolve({ code, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") }),
    );
  });
}

interface CheckJson {
  rowsRead: number;
  rowsAccepted: number;
  rowsRejected: number;
  accepted: boolean;
  issues: {
    code: string;
    severity: string;
    line: number | null;
    column: string | null;
    value: string | null;
    message: string;
  }[];
}

async function check(project: string, name: string): Promise<{ json: CheckJson; code: number | null; bytes: number }> {
  const r = await c2c(["check", `${project}/data/2025/${name}/${name}-2025.csv`, "--project", project, "--json"]);
  return { json: JSON.parse(r.stdout) as CheckJson, code: r.code, bytes: r.stdout.length };
}

beforeAll(() => {
  const made = spawnSync(process.execPath, [SCRIPT, dir], { encoding: "utf8" });
  if (made.status !== 0) throw new Error(`make-row-cases.mjs failed: ${made.stderr}`);
}, 120_000);

/** Each case: its issue (code, line, column, severity) and how many of its rows it costs. */
const CASES: { name: string; code: string; line: number; column: string | null; severity: string; lost: number }[] = [
  { name: "nul-byte", code: "bad-bytes", line: 4, column: "school_id", severity: "error", lost: 1 },
  { name: "other-encoding", code: "encoding-mixed", line: 6, column: "school_name", severity: "warning", lost: 0 },
  { name: "undefined-byte", code: "bad-bytes", line: 7, column: "school_year", severity: "error", lost: 1 },
  { name: "long-line", code: "row-too-long", line: 11, column: null, severity: "error", lost: 1 },
  { name: "runaway-quote", code: "parse-error", line: 8, column: null, severity: "error", lost: 1 },
  {
    name: "tested-n-proficient-y",
    code: "contradictory-flags",
    line: 12,
    column: "proficient",
    severity: "error",
    lost: 1,
  },
  { name: "repeated-headers", code: "duplicate-header", line: 1, column: "notes", severity: "error", lost: 0 },
  { name: "long-label", code: "unknown-code", line: 5, column: "student_group", severity: "error", lost: 1 },
];

describe("a file with one bad spot, through c2c check", () => {
  it.each(CASES)(
    "$name: $code on line $line costs $lost row, and every other row is read as in its twin",
    async (c) => {
      const [bad, twin] = await Promise.all([check("rows-project", c.name), check("twins-project", c.name)]);
      const found = bad.json.issues.filter((i) => i.severity !== "info");
      expect(found.map((i) => [i.code, i.line, i.column, i.severity])).toEqual([
        [c.code, c.line, c.column, c.severity],
      ]);
      expect(twin.json.issues.filter((i) => i.severity !== "info")).toEqual([]);
      expect(bad.json.rowsAccepted).toBe(twin.json.rowsAccepted);
      expect(bad.json.rowsRead).toBe(twin.json.rowsRead + c.lost);
      expect(bad.json.rowsRead).toBe(bad.json.rowsAccepted + bad.json.rowsRejected);
      expect(bad.json.rowsRejected).toBe(c.lost);
      expect([bad.code, twin.code]).toEqual([c.severity === "error" ? 1 : 0, 0]);
    },
  );

  it.each(["sep-comma", "sep-semicolon", "sep-tab"])(
    "%s: the `sep=` line sets the delimiter and is not the header",
    async (name) => {
      const { json, code } = await check("rows-project", name);
      expect(json.issues.filter((i) => i.severity !== "info")).toEqual([]);
      expect([json.rowsRead, json.rowsAccepted, code]).toEqual([150, 150, 0]);
    },
  );

  it("says what each bad spot is, as the partner can find it", async () => {
    const messages = new Map<string, string | undefined>();
    for (const name of ["nul-byte", "other-encoding", "undefined-byte", "tested-n-proficient-y", "repeated-headers"])
      messages.set(name, (await check("rows-project", name)).json.issues.find((i) => i.severity !== "info")?.message);
    const message = (name: string) => messages.get(name);
    expect(message("nul-byte")).toBe("The row has a NUL byte (0x00) in `school_id`; the row was not used.");
    expect(message("other-encoding")).toContain(
      "which gives `José Martí Elementary` in `school_name`. The row was used",
    );
    expect(message("undefined-byte")).toContain(
      "The row has the byte 0x81 (no character in UTF-8 or in Windows-1252) in `school_year`; the row was not used.",
    );
    expect(message("tested-n-proficient-y")).toBe(
      "The row says `proficient` is `Y` but `tested` is `N`: a student who was not tested has no score to be proficient by; the row was not used.",
    );
    expect(message("repeated-headers")).toMatch(/^The header `notes` appears 100,000 times;/);
  });

  it("quotes a 1,000,000-character label cut at 200 characters, and 100,000 repeated headers once (the JSON stays small)", async () => {
    const label = await check("rows-project", "long-label");
    const issue = label.json.issues.find((i) => i.code === "unknown-code");
    expect(issue?.value).toBe(`${"A".repeat(200)}…`);
    expect(issue?.message).toContain("…` (1,000,000 characters) is not a code");
    expect(label.bytes).toBeLessThan(10_000);
    // Before, 46.8 MB: an issue for each of the 100,000 columns.
    expect((await check("rows-project", "repeated-headers")).bytes).toBeLessThan(10_000);
  });
});

interface BuildJson {
  ok: boolean;
  partners: { id: string; files: number; rowsRead: number; rowsAccepted: number; rowsRejected: number }[];
  counts: { rowsRead: number; rowsAccepted: number; rowsRejected: number };
  unplaced: { file: string; code: string; message: string }[];
  configuration: { file: string; code: string; message: string }[];
}

describe("the row cases through c2c build", () => {
  it("counts every case's rows, which add up, and accepts what the twins' build accepts", async () => {
    const bad = await c2c(["build", "--project", "rows-project", "--out", "out-rows", "--json"]);
    const twin = await c2c(["build", "--project", "twins-project", "--out", "out-twins", "--json"]);
    expect([bad.code, twin.code]).toEqual([0, 0]);
    const rows = JSON.parse(bad.stdout) as BuildJson;
    const twins = JSON.parse(twin.stdout) as BuildJson;
    for (const p of rows.partners) {
      const t = twins.partners.find((x) => x.id === p.id);
      expect([p.id, p.rowsAccepted]).toEqual([p.id, t?.rowsAccepted]);
      expect(p.rowsRead).toBe(p.rowsAccepted + p.rowsRejected);
    }
    const lost = CASES.reduce((n, c) => n + c.lost, 0);
    expect(rows.counts.rowsRejected).toBe(lost);
    expect(rows.counts.rowsRead).toBe(rows.counts.rowsAccepted + rows.counts.rowsRejected);
    const manifest = JSON.parse(readFileSync(path.join(dir, "out-rows", "private", "build.json"), "utf8")) as {
      counts: BuildJson["counts"];
    };
    expect(manifest.counts.rowsRejected).toBe(lost);
    const report = JSON.parse(
      readFileSync(path.join(dir, "out-rows", "private", "partners", "nul-byte", "report.json"), "utf8"),
    );
    expect([report.totals.rowsRead, report.totals.rowsAccepted, report.totals.rowsRejected]).toEqual([150, 149, 1]);
  }, 180_000);

  it("names each file in data/ it could not place, with where it was and why", async () => {
    const r = await c2c(["build", "--project", "rows-project", "--out", "out-rows-text"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("3 files in data/ could not be placed:\n");
    expect(r.stdout).toContain(
      "  data/2025/no-such-partner/assessment-2025.csv: warning: The folder `no-such-partner` is not a partner listed in partners.yaml",
    );
    expect(r.stdout).toContain(
      "  data/2025/nul-byte/notes.txt: warning: No extract of partner `nul-byte` matches this file name",
    );
    expect(r.stdout).toContain("  data/stray.csv: warning:");
    const json = JSON.parse(
      (await c2c(["build", "--project", "rows-project", "--out", "out-rows-json", "--json"])).stdout,
    ) as BuildJson;
    expect(json.unplaced.map((u) => [u.file, u.code])).toEqual([
      ["data/2025/no-such-partner/assessment-2025.csv", "unknown-partner"],
      ["data/2025/nul-byte/notes.txt", "unmatched-file"],
      ["data/stray.csv", "unknown-partner"],
    ]);
  }, 180_000);
});

describe("the configuration cases through c2c build", () => {
  it("versions: combine adds the per-school files up, as the one file they came from, and counts a student sent twice once", async () => {
    const combined = await c2c(["build", "--project", "combine-project", "--out", "out-combine"]);
    const whole = await c2c([
      "build",
      "--project",
      path.join(REPO_ROOT, "fixtures", "sample-community"),
      "--out",
      "out-sample",
    ]);
    expect([combined.code, whole.code]).toEqual([0, 0]);
    // Every published figure of every indicator is the sample's own; only the files named as sources differ.
    const data = path.join(dir, "out-sample", "site", "data");
    const withoutSources = (file: string) =>
      readFileSync(file, "utf8")
        .split("\n")
        .map((line) => line.replace(/,[^,]*$/, ""));
    for (const name of readdirSync(data).filter((n) => n.endsWith(".csv")))
      expect(withoutSources(path.join(dir, "out-combine", "site", "data", name)), name).toEqual(
        withoutSources(path.join(data, name)),
      );
    const report = JSON.parse(
      readFileSync(path.join(dir, "out-combine", "private", "partners", "riverside-usd", "report.json"), "utf8"),
    );
    const issues = report.files.flatMap(
      (f: { path: string; issues: { code: string; lines: number[]; message: string }[] }) =>
        f.issues.filter((i) => i.code !== "unknown-column").map((i) => ({ ...i, path: f.path })),
    );
    expect(issues.map((i: { code: string; path: string }) => [i.code, i.path])).toEqual([
      ["duplicate-key", "data/2025/riverside-usd/assessment-2025-school-022.csv"],
    ]);
    expect(issues[0].message).toContain(
      "as line 2 of `data/2025/riverside-usd/assessment-2025-school-014.csv` but different values",
    );
    expect(issues[0].lines).toEqual([422]);
    expect(combined.stdout).not.toMatch(/conflicting/);
  }, 180_000);

  it("an indicator's privacy.minimumCount of 1 stops the build, naming the file, line and key", async () => {
    const r = await c2c(["build", "--project", "minimum-count-project", "--out", "out-minimum"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      "indicators/early-grade-reading.yaml:17: privacy.minimumCount: a minimum count below 3 would publish figures about one or two people",
    );
  });

  it("a mapping to a column the analyst mistyped is the configuration's problem, named in partners.yaml, and the build exits 1", async () => {
    const r = await c2c(["build", "--project", "mistyped-mapping-project", "--out", "out-mistyped"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      "1 problem in partners.yaml to fix: the partnership's configuration, not the partners' files. The site was written without the rows of the files it concerns:\n  data/2010/nyc-doe/graduation.csv:1: error: The partnership's mapping for this file in partners.yaml (`partners[0].extracts[0].mapping.fields.numerator.column`) reads a column headed `Total Grad - n`, which this file does not have (its nearest header is `Total Grads - n`)",
    );
    expect(r.stdout).not.toContain("Add a column headed");
    const json = JSON.parse(
      (await c2c(["build", "--project", "mistyped-mapping-project", "--out", "out-mistyped-json", "--json"])).stdout,
    ) as BuildJson;
    expect(json.ok).toBe(false);
    expect(json.configuration.map((c) => [c.file, c.code])).toEqual([
      ["data/2010/nyc-doe/graduation.csv", "mapping-column-missing"],
    ]);
    // The file's rows are counted as lost, none used.
    const doe = json.partners.find((p) => p.id === "nyc-doe");
    expect(doe && [doe.rowsRead, doe.rowsAccepted, doe.rowsRejected]).toEqual([1144, 0, 1144]);
  }, 180_000);
});

describe("the committed row cases", () => {
  it("are what make-row-cases.mjs makes", () => {
    const committed = path.join(REPO_ROOT, "fixtures", "hostile", "rows", "cases");
    const names = readdirSync(committed).sort();
    expect(names.length).toBeGreaterThan(10);
    for (const name of names)
      expect(readFileSync(path.join(committed, name)).equals(readFileSync(path.join(dir, "files", name))), name).toBe(
        true,
      );
  });
});
