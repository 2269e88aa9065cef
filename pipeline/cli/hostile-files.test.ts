import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../test-support/load-fixture.ts";
import { asOtherUser, OTHER_USER_MISSING } from "../test-support/other-user.ts";
import { type CliRun, everythingUnder, runCli } from "../test-support/run-cli.ts";

/**
 * Issue 17, the file system's side, through the CLI as users run it (`npm run build` first): the
 * cases `fixtures/hostile/make-hostile.mjs` makes (links out of the project and in, loops, FIFOs,
 * sockets, devices, unreadable folders and files, paths in the config that leave the project).
 * c2c never opens any of them, never hangs on one (each run has a timeout), says what each is with a
 * code in the report of the partner whose folder it is in, and builds the other partners; nothing
 * of a file outside the project (its marker) reaches anything it prints or writes.
 */
let root: string;
let marker: string;
let cases: Record<string, string>;

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), "c2c-hostile-"));
  // Readable by `nobody`, who runs the permission cases.
  chmodSync(root, 0o755);
  const made = spawnSync(process.execPath, [path.join(REPO_ROOT, "fixtures", "hostile", "make-hostile.mjs"), root], {
    encoding: "utf8",
  });
  expect(made.status, made.stderr).toBe(0);
  ({ marker, cases } = JSON.parse(made.stdout) as { marker: string; cases: Record<string, string> });
});
afterAll(() => {
  // The unreadable case's folder, made unreadable on purpose, must be readable again to remove.
  spawnSync("chmod", ["-R", "u+rwX", root]);
  rmSync(root, { recursive: true, force: true });
});

const at = (name: string) => cases[name] as string;
const outOf = (name: string) => path.join(root, "out", name);

/** Nothing of a file outside the project: not its marker, not its /etc/passwd-like line. */
function expectNothingFromOutside(run: CliRun, out?: string): void {
  const all = `${run.stdout}\n${run.stderr}\n${out ? everythingUnder(out) : ""}`;
  expect(all.includes(marker), "a byte of a file outside the project reached an output").toBe(false);
  expect(all.includes("root:x:0:0")).toBe(false);
}

function expectNoHang(run: CliRun): void {
  expect(run.hung, `the command hung:\n${run.stderr}`).toBe(false);
}

interface ReportFile {
  path: string;
  rowsAccepted: number;
  issues: { code: string; severity: string; message: string; fix: string }[];
}

/** Each file of a partner's report with its issues' codes. */
function reported(out: string, partner: string): Record<string, string[]> {
  const report = JSON.parse(readFileSync(path.join(out, "private", "partners", partner, "report.json"), "utf8")) as {
    files: ReportFile[];
  };
  return Object.fromEntries(report.files.map((f) => [f.path, f.issues.map((i) => i.code)]));
}

describe("a data folder with links, FIFOs, sockets and folder links in it", () => {
  let run: CliRun;
  beforeAll(async () => {
    run = await runCli(["build", "--project", at("data-folder"), "--out", outOf("data-folder"), "--json"], {
      timeoutMs: 90_000,
    });
  }, 120_000);

  it("builds (exit 0) without opening any of them, and without hanging", () => {
    expectNoHang(run);
    expect(run.code, run.stderr).toBe(0);
    expectNothingFromOutside(run, outOf("data-folder"));
  });

  it("reports each in its partner's report, with a code, and builds the good files", () => {
    const out = outOf("data-folder");
    expect(reported(out, "example-district")).toEqual({
      "data/2024/example-district/outcome-counts-2024.csv": [],
      "data/2025/example-district/outcome-counts-2025.csv": [],
      "data/2026/example-district/outcome-counts-2026.csv": [],
      "data/2025/example-district/outcome-counts-gone.csv": ["file-unreadable"],
      "data/2025/example-district/outcome-counts-loop-a.csv": ["link-loop"],
      "data/2025/example-district/outcome-counts-loop-b.csv": ["link-loop"],
      "data/2025/example-district/outcome-counts-relative.csv": ["link-outside-project"],
      "data/2025/example-district/outcome-counts-secret.csv": ["link-outside-project"],
      "data/2025/example-district/outcome-counts-self.csv": ["link-loop"],
    });
    expect(reported(out, "county-health")).toEqual({
      "data/2024/county-health": ["link-to-folder"],
      "data/2025/county-health/birth-outcomes-2025.csv": ["special-file"],
    });
    expect(reported(out, "college-access")).toEqual({
      "data/2025/college-access/postsecondary-2025.csv": ["special-file"],
    });
    expect(reported(out, "early-learning")).toEqual({ "data/2025/early-learning": ["link-outside-project"] });
    // The link that stays inside the project (to shared/) was followed: its rows count.
    const summary = JSON.parse(run.stdout) as { partners: { id: string; files: number; rowsAccepted: number }[] };
    expect(summary.partners.find((p) => p.id === "example-district")).toMatchObject({ files: 3, rowsAccepted: 180 });
    const report = readFileSync(path.join(out, "private", "partners", "county-health", "report.json"), "utf8");
    expect(report).toContain("This is a FIFO (named pipe), not a regular file, so c2c did not open it.");
  });
});

describe("c2c check and c2c aggregate on what is not a regular file", () => {
  const refused: [string, () => string, string][] = [
    [
      "a FIFO in a partner's folder",
      () => path.join(at("data-folder"), "data/2025/county-health/birth-outcomes-2025.csv"),
      "special-file",
    ],
    ["a FIFO outside any project", () => path.join(at("outside"), "pipe.csv"), "special-file"],
    ["/dev/zero", () => "/dev/zero", "special-file"],
    ["a socket", () => path.join(at("data-folder"), "data/2025/college-access/postsecondary-2025.csv"), "special-file"],
    ["a folder", () => path.join(at("data-folder"), "data/2025"), "file-unreadable"],
  ];
  for (const [what, file, code] of refused) {
    it(`check refuses ${what} at once, with exit 1 and [${code}]`, async () => {
      const run = await runCli(["check", file()], { timeoutMs: 30_000 });
      expectNoHang(run);
      expect(run.code, run.stderr).toBe(1);
      expect(run.stderr).toContain(`[${code}]`);
      expect(run.ms).toBeLessThan(20_000);
    }, 40_000);
  }

  it("aggregate refuses /dev/zero and a FIFO the same way", async () => {
    for (const file of ["/dev/zero", path.join(at("outside"), "pipe.csv")]) {
      const run = await runCli(["aggregate", file], { timeoutMs: 30_000 });
      expectNoHang(run);
      expect(run.code, run.stderr).toBe(1);
      expect(run.stderr).toContain("[special-file]");
    }
  }, 70_000);

  it("check, in a project, refuses a link that leaves it as the build does", async () => {
    const run = await runCli(
      ["check", path.join(at("data-folder"), "data/2025/example-district/outcome-counts-secret.csv")],
      { timeoutMs: 30_000 },
    );
    expectNoHang(run);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("[link-outside-project]");
    expectNothingFromOutside(run);
  }, 40_000);

  it("reads at most --max-size of a file, and says how to read more", async () => {
    const file = path.join(at("data-folder"), "data/2025/example-district/outcome-counts-2025.csv");
    const small = await runCli(["check", file, "--max-size", "1kB"], { timeoutMs: 30_000 });
    expect(small.code).toBe(1);
    expect(small.stdout).toMatch(
      /The file is 4\.5 kB, more than the 1 kB c2c reads of one file.*--max-size 1MB`.*\[file-too-large\]/,
    );
    const wrong = await runCli(["check", file, "--max-size", "lots"], { timeoutMs: 30_000 });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain("--max-size takes a size such as 500MB or 40GB, not `lots`");
    const help = await runCli(["check", "--help"]);
    expect(help.stdout).toContain("--max-size SIZE");
    expect(help.stdout).toContain("--read-timeout S");
  }, 70_000);
});

describe("paths of the project that lead out of it", () => {
  const failing: [string, string, RegExp][] = [
    [
      "boundaries-outside",
      "a `boundaries:` path outside the project",
      /c2c\.config\.yaml: boundaries: `\.\.\/outside\/districts\.geojson` is outside the project folder.*\[path-outside-project\]/,
    ],
    [
      "boundaries-link",
      "a `boundaries:` file that links outside",
      /c2c\.config\.yaml: boundaries: `boundaries\/districts\.geojson` is a link to `.*outside\/districts\.geojson`, outside the project folder.*\[path-outside-project\]/,
    ],
    [
      "data-link",
      "a data folder that links outside",
      /data: the data folder is a link to `.*outside\/data`, outside the project folder.*\[path-outside-project\]/,
    ],
    [
      "partners-fifo",
      "a partners.yaml that is a FIFO",
      /partners\.yaml: the file could not be read: it is a FIFO \(named pipe\).*\[path-not-a-file\]/,
    ],
  ];
  for (const [name, what, message] of failing) {
    it(`stops the build on ${what}, with a coded error naming the key, and writes nothing`, async () => {
      const run = await runCli(["build", "--project", at(name), "--out", outOf(name)], { timeoutMs: 60_000 });
      expectNoHang(run);
      expect(run.code, run.stderr).toBe(1);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).not.toContain("failed unexpectedly");
      expect(existsSync(path.join(outOf(name), "site"))).toBe(false);
      expectNothingFromOutside(run, outOf(name));
    }, 70_000);
  }
});

describe("a partner's folder and a file c2c may not read", () => {
  const prefix = asOtherUser();
  if (prefix === null) {
    if (process.env.CI === "true") throw new Error(`The permission tests must run under CI=true.${OTHER_USER_MISSING}`);
    process.stderr.write(`${OTHER_USER_MISSING}\n`);
  }
  it.skipIf(prefix === null)(
    "cost that partner (a coded issue in its report), and the others build",
    async () => {
      const out = path.join(root, "out-nobody");
      mkdirSync(out, { recursive: true });
      chmodSync(out, 0o777);
      const run = await runCli(["build", "--project", at("unreadable"), "--out", path.join(out, "out")], {
        prefix: prefix ?? [],
        timeoutMs: 90_000,
        env: { ...process.env, NO_COLOR: "1", HOME: out },
      });
      expectNoHang(run);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).not.toContain("failed unexpectedly");
      const built = path.join(out, "out");
      expect(reported(built, "college-access")).toEqual({ "data/2025/college-access": ["permission-denied"] });
      expect(reported(built, "example-district")).toEqual({
        "data/2025/example-district/outcome-counts-2025.csv": [],
        "data/2026/example-district/outcome-counts-2026.csv": ["permission-denied"],
      });
      const report = readFileSync(path.join(built, "private", "partners", "college-access", "report.json"), "utf8");
      expect(report).toContain("c2c has no permission to read this folder, so none of its files were read.");
      expect(report).toContain("chmod -R a+rX");
    },
    120_000,
  );
});
