import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../test-support/load-fixture.ts";

/**
 * `--out` as an analyst meets it (issues 16 and 17): c2c writes only into a folder it made, an
 * empty one, or an earlier c2c's; it refuses the rest with a code before reading any partner
 * file; a disk that fails is a coded error that leaves the old site published; an earlier c2c's
 * layout is moved once; `--explain` tables never outlive their build; `c2c init` keeps data/ and
 * out/ out of git. Runs `dist/`: `npm run build` first.
 */
const MAIN = path.join(REPO_ROOT, "dist", "bundle", "c2c.js");
const SLOW = path.join(REPO_ROOT, "pipeline", "test-support", "slow-write-cli.mjs");
const FAULTY = path.join(REPO_ROOT, "pipeline", "test-support", "faulty-disk-cli.mjs");
const SAMPLE = path.join(REPO_ROOT, "fixtures", "sample-community");

let work: string;
let home: string;
let project: string;
let env: NodeJS.ProcessEnv;

/** Runs the CLI (or a test-support wrapper of it) without blocking the test runner: the builds take seconds. */
function run(
  script: string,
  args: string[],
  extra: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; stdout: string; stderr: string; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, ...args], { env: { ...env, ...extra }, cwd: work });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, signal });
    });
  });
}
const c2c = (args: string[], extra: NodeJS.ProcessEnv = {}) => run(MAIN, args, extra);

/** Every file and link below `dir` (hidden ones too, links not followed): sha256 or `-> target`. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!existsSync(dir)) return out;
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const p = path.join(e.parentPath, e.name);
    const rel = path.relative(dir, p).split(path.sep).join("/");
    if (e.isSymbolicLink()) out[rel] = `-> ${readlinkSync(p)}`;
    else if (e.isFile()) out[rel] = createHash("sha256").update(readFileSync(p)).digest("hex");
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** OUT/site and OUT/private as a reader sees them, through the links. */
function published(out: string): Record<string, string> {
  const seen: Record<string, string> = {};
  for (const part of ["site", "private"])
    for (const [p, h] of Object.entries(tree(path.join(out, part)))) seen[`${part}/${p}`] = h;
  return seen;
}

beforeAll(() => {
  if (!existsSync(MAIN)) throw new Error("dist/ is missing: run `npm run build` (npm test does it for you)");
  work = mkdtempSync(path.join(tmpdir(), "c2c-out-"));
  home = path.join(work, "home");
  mkdirSync(path.join(home, "Documents"), { recursive: true });
  writeFileSync(path.join(home, "Documents", "budget.xlsx"), "the analyst's own file");
  project = path.join(work, "projects", "sample");
  cpSync(SAMPLE, project, { recursive: true });
  env = { ...process.env, NO_COLOR: "1", SOURCE_DATE_EPOCH: "1767225600", HOME: home };
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("--out is c2c's own folder", () => {
  it("refuses a folder of the user's files, before reading a partner file, and changes nothing in it", async () => {
    const mine = path.join(work, "mine");
    mkdirSync(path.join(mine, "site"), { recursive: true });
    mkdirSync(path.join(mine, "partners"));
    writeFileSync(path.join(mine, "site", "my-own.html"), "<p>mine</p>");
    writeFileSync(path.join(mine, "partners", "contract.pdf"), "%PDF");
    writeFileSync(path.join(mine, "build.json"), '{"my":"own"}');
    const before = tree(mine);
    const r = await run(SLOW, ["build", "--project", project, "--out", mine]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /c2c: build: --out .*mine: this folder was not made by c2c and is not empty \(it holds build\.json, partners, site\).* \[out-not-c2c\]/,
    );
    expect(r.stderr).not.toMatch(/c2c-test: stream /);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(tree(mine)).toEqual(before);
    const json = await c2c(["build", "--project", project, "--out", mine, "--json"]);
    expect(JSON.parse(json.stdout)).toEqual({
      ok: false,
      error: expect.objectContaining({ code: "out-not-c2c", path: mine }),
    });
  }, 180_000);

  it("refuses /, the home folder (and a link to it), the project, a folder holding it, and data/", async () => {
    const link = path.join(work, "link-to-home");
    symlinkSync(home, link);
    const cases: [string, string][] = [
      ["/", "out-is-root"],
      [home, "out-is-home"],
      [link, "out-is-home"],
      [path.dirname(home), "out-holds-home"],
      [project, "out-is-project"],
      [path.dirname(project), "out-holds-project"],
      [path.join(project, "data"), "out-in-data"],
      [path.join(project, "data", "2025", "new-folder"), "out-in-data"],
    ];
    const rootBefore = readdirSync("/").sort();
    const homeBefore = tree(home);
    for (const [out, code] of cases) {
      const r = await c2c(["build", "--project", project, "--out", out]);
      expect(r.code, out).toBe(1);
      expect(r.stderr, out).toContain(`c2c: build: --out ${out}: `);
      expect(r.stderr, out).toMatch(new RegExp(`such as ${path.join(project, "out")}.* \\[${code}\\]\\n$`));
    }
    expect(readdirSync("/").sort()).toEqual(rootBefore);
    expect(tree(home)).toEqual(homeBefore);
    expect(existsSync(path.join(project, "data", "2025", "new-folder"))).toBe(false);
    expect(existsSync(path.join(project, "site"))).toBe(false);
  }, 180_000);

  it("says a file is not a folder, and that a folder that cannot be made cannot, at once", async () => {
    const file = path.join(project, "c2c.config.yaml");
    const r = await c2c(["build", "--project", project, "--out", file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`--out ${file}: this is a file, not a folder.`);
    expect(r.stderr).toContain("[out-is-file]");
    // Node's own recursive mkdir tries /proc/nonexistent forever; c2c says why and stops.
    const started = Date.now();
    const proc = await c2c(["build", "--project", project, "--out", "/proc/nonexistent/x"]);
    expect(proc.signal).toBeNull();
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(proc.code).toBe(1);
    expect(proc.stderr).toContain(
      "--out /proc/nonexistent/x: the folder cannot be made: a folder above it does not exist and cannot be made (ENOENT, at /proc/nonexistent).",
    );
    expect(proc.stderr).toContain("[out-cannot-create]");
    const under = await c2c(["build", "--project", project, "--out", path.join(file, "out")]);
    expect(under.code).toBe(1);
    expect(under.stderr).toMatch(/a part of the path is a file, not a folder \(ENOTDIR.*\[out-cannot-create\]/);
  }, 180_000);

  it("says a folder it may not write is one, with the fix, and writes nothing", async () => {
    const locked = path.join(work, "locked");
    const r = await run(FAULTY, ["build", "--project", project, "--out", locked], {
      C2C_TEST_FAULT: "EACCES",
      C2C_TEST_FAULT_UNDER: locked,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--out .*locked: c2c may not write here: permission denied \(EACCES, at .*locked\)\./);
    expect(r.stderr).toMatch(/Give --out a folder you may write to.*\[out-not-writable\]/);
    expect(r.stderr).not.toContain("failed unexpectedly");
    expect(existsSync(locked)).toBe(false);
  }, 180_000);

  it("makes a new folder, marks it, and builds again into it; takes an empty one (a .DS_Store is still empty)", async () => {
    const fresh = path.join(work, "fresh", "out");
    const first = await c2c(["build", "--project", project, "--out", fresh]);
    expect(first.code, first.stderr).toBe(0);
    expect(readFileSync(path.join(fresh, ".c2c", "made-by-c2c"), "utf8")).toContain("c2c made this folder");
    expect(lstatSync(path.join(fresh, "site")).isSymbolicLink()).toBe(true);
    expect(readFileSync(path.join(fresh, "private", "README.txt"), "utf8")).toMatch(/^PRIVATE: never publish/);
    expect(first.stdout).toContain(`Site:            ${path.join(fresh, "site", "index.html")} (public: publish`);
    expect(first.stdout).toContain(`Partner reports: ${path.join(fresh, "private", "partners")}/<partner>/report.html`);
    const again = await c2c(["build", "--project", project, "--out", fresh]);
    expect(again.code, again.stderr).toBe(0);
    expect(readdirSync(path.join(fresh, ".c2c", "builds")).sort()).toEqual(["1", "2"]);
    expect(readdirSync(fresh).sort()).toEqual([".c2c", "private", "site"]);

    const empty = path.join(work, "empty");
    mkdirSync(empty);
    writeFileSync(path.join(empty, ".DS_Store"), "finder");
    expect((await c2c(["build", "--project", project, "--out", empty])).code).toBe(0);
    expect(readFileSync(path.join(empty, ".DS_Store"), "utf8")).toBe("finder");
    expect(published(empty)).toEqual(published(fresh));
  }, 180_000);
});

describe("a full disk", () => {
  it("is out-disk-full with a fix; the old site stays published, nothing is left behind, verify passes", async () => {
    const out = path.join(work, "full");
    expect((await c2c(["build", "--project", project, "--out", out])).code).toBe(0);
    const before = published(out);
    const beforeTree = tree(out);
    for (const after of ["0", "25"]) {
      const r = await run(FAULTY, ["build", "--project", project, "--out", out], {
        SOURCE_DATE_EPOCH: "1770000000",
        C2C_TEST_FAULT: "ENOSPC",
        C2C_TEST_FAULT_UNDER: path.join(out, ".c2c", "staging"),
        C2C_TEST_FAULT_AFTER: after,
      });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/c2c: build: --out .*full: the disk is full: no space left on the device \(ENOSPC/);
      expect(r.stderr).toMatch(/Free some space on the disk.*\[out-disk-full\]\n$/);
      expect(r.stderr).not.toContain("failed unexpectedly");
      expect(published(out)).toEqual(before);
      expect(tree(out)).toEqual(beforeTree);
      const v = await c2c(["verify", out]);
      expect(v.code, v.stdout).toBe(0);
      expect(v.stdout).not.toContain("note:");
    }
  }, 180_000);
});

describe("a disk without symbolic links (Windows, exFAT, some network shares)", () => {
  it("gets real site/ and private/ folders, replaced whole at each build, and says so once", async () => {
    const out = path.join(work, "no-links");
    const noLinks = { C2C_TEST_FAULT: "ENOTSUP", C2C_TEST_FAULT_OPS: "symlink", C2C_TEST_FAULT_UNDER: out };
    const first = await run(FAULTY, ["build", "--project", project, "--out", out], noLinks);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain("this file system cannot hold symbolic links");
    expect(lstatSync(path.join(out, "site")).isDirectory()).toBe(true);
    expect(lstatSync(path.join(out, "private")).isDirectory()).toBe(true);
    const again = await run(FAULTY, ["build", "--project", project, "--out", out], {
      ...noLinks,
      SOURCE_DATE_EPOCH: "1770000000",
    });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).not.toContain("symbolic links");
    expect(readdirSync(out).sort()).toEqual([".c2c", "private", "site"]);
    expect(readdirSync(path.join(out, ".c2c"))).toEqual(["made-by-c2c"]);
    expect((await c2c(["verify", out])).code).toBe(0);
    // Once links can be made there, the next build turns the folders into links.
    const linked = await c2c(["build", "--project", project, "--out", out]);
    expect(linked.stderr).toContain("are now links to the current build");
    expect(lstatSync(path.join(out, "site")).isSymbolicLink()).toBe(true);
    expect((await c2c(["verify", out])).code).toBe(0);
  }, 180_000);
});

describe("an OUT written by an earlier c2c (site/, partners/, build.json, explain/ side by side)", () => {
  it("is moved to the new layout by the next build, with one line saying so, and the user's own files kept", async () => {
    const out = path.join(work, "earlier");
    const manifest = { c2c: { version: "0.1.0" }, configHash: "x", inputs: [], outputs: [] };
    const files: Record<string, string> = {
      "site/index.html": "<h1>earlier</h1>",
      "partners/riverside-usd/report.html": "earlier report",
      "build.json": JSON.stringify(manifest),
      "explain/8-hidden.csv": "key,reason\n",
      "notes.txt": "the analyst's notes",
    };
    for (const [p, content] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(out, p)), { recursive: true });
      writeFileSync(path.join(out, p), content);
    }
    const r = await c2c(["build", "--project", project, "--out", out]);
    expect(r.code, r.stderr).toBe(0);
    const moved = r.stderr.split("\n").filter((l) => l.includes("moved the outputs of an earlier c2c"));
    expect(moved).toEqual([
      `c2c: moved the outputs of an earlier c2c in ${out} to the new layout: the site is ${out}/site (publish it), the partner reports and build.json are in ${out}/private/ (never publish it); the earlier ones are kept in ${out}/.c2c/replaced/ until the next build.`,
    ]);
    expect(readdirSync(out).sort()).toEqual([".c2c", "notes.txt", "private", "site"]);
    expect(readFileSync(path.join(out, "notes.txt"), "utf8")).toBe("the analyst's notes");
    expect(existsSync(path.join(out, "private", "partners", "riverside-usd", "report.html"))).toBe(true);
    expect((await c2c(["verify", out])).code).toBe(0);
    const next = await c2c(["build", "--project", project, "--out", out]);
    expect(next.stderr).not.toContain("moved the outputs");
    expect(existsSync(path.join(out, ".c2c", "replaced"))).toBe(false);
    expect(Object.keys(tree(out)).filter((p) => p.includes("explain"))).toEqual([]);
  }, 180_000);
});

describe("--explain", () => {
  it("writes the stage tables into private/explain/ of its own build; a build without it leaves none", async () => {
    const out = path.join(work, "explain");
    const r = await c2c(["build", "--project", project, "--out", out, "--explain"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      `Stage tables (private, unsuppressed): ${path.join(out, "private", "explain", "1-project.json")}`,
    );
    expect(readdirSync(path.join(out, "private", "explain")).sort()).toEqual([
      "1-project.json",
      "2-discovery.json",
      "3-5-files.json",
      "6-7-observations.csv",
      "8-hidden.csv",
      "8-published.csv",
    ]);
    expect((await c2c(["verify", out])).code).toBe(0);
    expect((await c2c(["build", "--project", project, "--out", out])).code).toBe(0);
    expect(existsSync(path.join(out, "private", "explain"))).toBe(false);
    expect(Object.keys(tree(out)).filter((p) => p.includes("/explain/"))).toEqual([]);
  }, 180_000);
});

describe("c2c init", () => {
  it("writes a .gitignore that keeps data/ and out/ out of git", async () => {
    const dir = path.join(work, "new-partnership");
    const r = await c2c(["init", dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("  .gitignore\n");
    const lines = readFileSync(path.join(dir, ".gitignore"), "utf8").split("\n");
    expect(lines).toContain("data/");
    expect(lines).toContain("out/");
    const git = spawnSync("git", ["init", "-q", dir]);
    if (git.status === 0) {
      expect((await c2c(["build", "--project", dir])).code).toBe(0);
      const status = spawnSync("git", ["-C", dir, "status", "--porcelain", "--untracked-files=all"], {
        encoding: "utf8",
      });
      expect(status.stdout).not.toMatch(/^\?\? (data|out)\//m);
      expect(status.stdout).toMatch(/^\?\? c2c\.config\.yaml$/m);
    }
  }, 180_000);
});
