import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { hostname, tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../test-support/load-fixture.ts";

/**
 * Issue 10, as an analyst meets it: the same inputs give the same bytes under any time zone and
 * locale, a killed build never leaves a half-written site, two builds do not share a folder, inputs
 * are never changed, and `c2c verify` says what differs. Runs `dist/`: `npm run build` first.
 */
const MAIN = path.join(REPO_ROOT, "dist", "bundle", "c2c.js");
const SLOW = path.join(REPO_ROOT, "pipeline", "test-support", "slow-write-cli.mjs");
const SAMPLE = path.join(REPO_ROOT, "fixtures", "sample-community");
const EPOCH = "1767225600";
const baseEnv = { ...process.env, NO_COLOR: "1", SOURCE_DATE_EPOCH: EPOCH };

function c2c(args: string[], env: NodeJS.ProcessEnv = baseEnv) {
  const r = spawnSync(process.execPath, [MAIN, ...args], { env, encoding: "utf8", timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** As `c2c`, without blocking the test runner (a long block makes vitest's worker miss its own messages). */
function c2cAsync(
  args: string[],
  env: NodeJS.ProcessEnv = baseEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAIN, ...args], { env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Every file below `dir` (hidden ones too) with its sha256. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!existsSync(dir)) return out;
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const p = path.join(e.parentPath, e.name);
    out[path.relative(dir, p).split(path.sep).join("/")] = createHash("sha256").update(readFileSync(p)).digest("hex");
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** What OUT publishes, read through its links: every file of OUT/site and OUT/private, by path in OUT. */
function published(out: string): Record<string, string> {
  const seen: Record<string, string> = {};
  for (const part of ["site", "private"])
    for (const [p, hash] of Object.entries(tree(path.join(out, part)))) seen[`${part}/${p}`] = hash;
  return seen;
}

/** A copy of an OUT folder as `cp -r` makes one: links copied as links, their targets unchanged. */
function copyOut(from: string, to: string): void {
  cpSync(from, to, { recursive: true, verbatimSymlinks: true });
}

let work: string;
beforeAll(() => {
  if (!existsSync(MAIN)) throw new Error("dist/ is missing: run `npm run build` (npm test does it for you)");
  work = mkdtempSync(path.join(tmpdir(), "c2c-trust-"));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("reproducible builds", () => {
  it("gives byte-identical out/ under different time zones and locales, and leaves the inputs unchanged", async () => {
    const project = path.join(work, "sample");
    cpSync(SAMPLE, project, { recursive: true });
    const inputs = tree(project);
    const settings = [
      { TZ: "UTC", LANG: "C", LC_ALL: "C" },
      { TZ: "Pacific/Kiritimati", LANG: "de_DE.UTF-8", LC_ALL: "de_DE.UTF-8" },
      { TZ: "America/St_Johns", LANG: "cs_CZ.UTF-8", LC_ALL: "cs_CZ.UTF-8" },
    ];
    const runs = await Promise.all(
      settings.map((s, i) =>
        c2cAsync(["build", "--project", project, "--out", path.join(work, `repro-${i}`)], { ...baseEnv, ...s }),
      ),
    );
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    const [first, ...others] = settings.map((_, i) => tree(path.join(work, `repro-${i}`)));
    const shown = published(path.join(work, "repro-0"));
    expect(Object.keys(shown)).toContain("private/build.json");
    expect(Object.keys(shown).filter((p) => p.startsWith("site/")).length).toBeGreaterThan(10);
    for (const other of others) expect(other).toEqual(first);
    // Partner files: opened read-only, never changed.
    expect(tree(project)).toEqual(inputs);
  }, 180_000);
});

describe("c2c verify", () => {
  it("passes a fresh build, and names every output, input and configuration change", async () => {
    const project = path.join(work, "verify");
    expect((await c2cAsync(["init", project])).code).toBe(0);
    const out = path.join(project, "out");
    expect((await c2cAsync(["build", "--project", project])).code).toBe(0);
    const clean = await c2cAsync(["verify", out, "--project", project]);
    expect(clean.code, clean.stdout).toBe(0);
    expect(clean.stdout).toMatch(
      /matches its private\/build\.json \(\d+ output files, \d+ input files?, the configuration\)/,
    );
    // A published copy of the site is checked against the public manifest it carries.
    const copy = path.join(work, "verify-published");
    cpSync(path.join(out, "site"), copy, { recursive: true, dereference: true });
    const site = await c2cAsync(["verify", copy]);
    expect(site.code, site.stdout).toBe(0);
    expect(site.stdout).toMatch(/matches its c2c-manifest\.json \(\d+ output files\)/);
    const noInputs = await c2cAsync(["verify", copy, "--project", project]);
    expect(noInputs.code).toBe(1);
    expect(noInputs.stdout).toContain("holds no input checksums");
    writeFileSync(path.join(copy, "methods.html"), "edited");
    const tampered = await c2cAsync(["verify", copy, "--json"]);
    expect(tampered.code).toBe(1);
    expect((JSON.parse(tampered.stdout) as { differences: { kind: string; path: string }[] }).differences).toEqual([
      expect.objectContaining({ kind: "changed", path: "methods.html" }),
    ]);

    writeFileSync(path.join(out, "site", "index.html"), "<h1>edited</h1>");
    rmSync(path.join(out, "site", "data", "observations.csv"));
    writeFileSync(path.join(out, "site", "extra.html"), "x");
    const data = readdirSync(path.join(project, "data"), { recursive: true, withFileTypes: true }).find(
      (e) => e.isFile() && e.name.endsWith(".csv"),
    );
    if (!data) throw new Error("the init project has no data file");
    const input = path.join(data.parentPath, data.name);
    writeFileSync(input, `${readFileSync(input, "utf8")}\n`);
    const config = path.join(project, "c2c.config.yaml");
    writeFileSync(config, `${readFileSync(config, "utf8")}\n# edited\n`);

    const r = await c2cAsync(["verify", out, "--project", project, "--json"]);
    expect(r.code).toBe(1);
    const v = JSON.parse(r.stdout) as { differences: { kind: string; what: string; path: string }[] };
    expect(v.differences.map((d) => [d.kind, d.what, d.path])).toEqual([
      ["missing", "output", "site/data/observations.csv"],
      ["changed", "output", "site/index.html"],
      ["unexpected", "output", "site/extra.html"],
      ["changed", "input", path.relative(project, input).split(path.sep).join("/")],
      ["changed", "config", "c2c.config.yaml, partners.yaml, indicators/, schemas/"],
    ]);
    const text = await c2cAsync(["verify", out]);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain("changed     output site/index.html");
    expect(text.stdout).toMatch(/3 differences from .*build\.json/);
    expect((await c2cAsync(["verify", path.join(work, "nowhere")])).code).toBe(1);
    expect((await c2cAsync(["verify"])).code).toBe(2);
  }, 120_000);
});

describe("one build at a time", () => {
  it("fails fast while another build holds the lock, and takes over a dead build's lock with a note", () => {
    const project = path.join(work, "lock");
    expect(c2c(["init", project]).code).toBe(0);
    const out = path.join(project, "out");
    mkdirSync(out, { recursive: true });
    const lock = path.join(out, ".c2c-lock");
    // This test process stands in for a live build.
    const started = "2026-01-01T00:00:00.000Z";
    writeFileSync(lock, JSON.stringify({ pid: process.pid, host: hostname(), started }));
    const busy = c2c(["build", "--project", project]);
    expect(busy.code).toBe(1);
    expect(busy.stderr).toContain(lock);
    expect(busy.stderr).toContain(`PID ${process.pid}`);
    expect(busy.stderr).toContain(started);
    expect(existsSync(path.join(out, "site"))).toBe(false);

    const dead = spawnSync(process.execPath, ["-e", ""]).pid;
    writeFileSync(lock, JSON.stringify({ pid: dead, host: hostname(), started }));
    const after = c2c(["build", "--project", project]);
    expect(after.code, after.stderr).toBe(0);
    expect(after.stderr).toContain(`took over the lock ${lock} from a build that is no longer running (PID ${dead}`);
    expect(existsSync(lock)).toBe(false);
  }, 120_000);
});

describe("a build killed while writing", () => {
  /**
   * Every step of stage 10 at which the build is killed: writes of the new build, marking it
   * complete, making the new `current` link, the one rename that publishes it, and removing the
   * build before last and the last one's --explain tables.
   */
  const KILL_AT: { name: string; step: RegExp; nth?: number }[] = [
    { name: "first write of the new build", step: /^write .*\/\.c2c\/staging\// },
    { name: "twentieth write of the new build", step: /^write .*\/\.c2c\/staging\//, nth: 20 },
    { name: "writing its build.json, the last write", step: /^write .*\/\.c2c\/staging\/private\/build\.json$/ },
    { name: "marking it complete", step: /^rename .*\/\.c2c\/staging -> .*\/\.c2c\/builds\/3$/ },
    { name: "making the new current link", step: /^symlink builds\/3 -> .*\/\.c2c\/current\.next$/ },
    { name: "the rename that publishes it", step: /^rename .*\/\.c2c\/current\.next -> .*\/\.c2c\/current$/ },
    { name: "removing the build before last", step: /^remove .*\/\.c2c\/builds\/1$/ },
    { name: "removing the last build's --explain tables", step: /^remove .*\/\.c2c\/builds\/2\/private\/explain$/ },
  ];

  it("always shows a whole site, old or new, with its own partner reports; the next build recovers", async () => {
    const project = path.join(work, "kill");
    expect((await c2cAsync(["init", project])).code).toBe(0);
    // The seed has two builds (the second with --explain), so the killed one, build 3, removes build 1.
    const seed = path.join(work, "kill-old");
    const reference = path.join(work, "kill-new");
    const newEnv = { ...baseEnv, SOURCE_DATE_EPOCH: String(Number(EPOCH) + 86_400 * 40) };
    const [first, ref] = await Promise.all([
      c2cAsync(["build", "--project", project, "--out", seed]),
      c2cAsync(["build", "--project", project, "--out", reference], newEnv),
    ]);
    expect([first.code, ref.code]).toEqual([0, 0]);
    expect((await c2cAsync(["build", "--project", project, "--out", seed, "--explain"])).code).toBe(0);
    const before = published(seed);
    const after = published(reference);
    const part = (t: Record<string, string>, prefix: string) =>
      Object.fromEntries(Object.entries(t).filter(([p]) => p.startsWith(prefix)));
    expect(part(before, "site/")).not.toEqual(part(after, "site/"));
    expect(part(before, "private/partners/")).not.toEqual(part(after, "private/partners/"));

    const results = await Promise.all(
      KILL_AT.map(async (kill, i) => {
        const out = path.join(work, `kill-${i}`);
        copyOut(seed, out);
        const stderr = await killAt(
          ["build", "--project", project, "--out", out],
          { ...newEnv, C2C_TEST_WRITE_DELAY_MS: "40" },
          kill.step,
          kill.nth ?? 1,
        );
        return { kill, out, stderr, seen: published(out) };
      }),
    );
    for (const { kill, stderr, seen } of results) {
      // Whole, old or new: never missing, never a mix, and the reports are those of the site beside them.
      expect([before, after], `${kill.name}\n${stderr.slice(-2000)}`).toContainEqual(seen);
      const publishedYet = kill.name === "removing the build before last" || kill.name.includes("--explain");
      expect(seen, kill.name).toEqual(publishedYet ? after : before);
    }
    // What the killed build left is never published, and verify passes on the site as it is.
    const verified = await Promise.all(results.map(({ out }) => c2cAsync(["verify", out])));
    for (const [i, v] of verified.entries()) expect(v.code, `${results[i]?.kill.name}: ${v.stdout}`).toBe(0);
    const next = await Promise.all(
      results.map(({ out }) => c2cAsync(["build", "--project", project, "--out", out], newEnv)),
    );
    const checked = await Promise.all(results.map(({ out }) => c2cAsync(["verify", out, "--json"])));
    for (const [i, { kill, out }] of results.entries()) {
      expect(next[i]?.code, `${kill.name}: ${next[i]?.stderr}`).toBe(0);
      expect(next[i]?.stderr, kill.name).toContain("took over the lock");
      expect(published(out), kill.name).toEqual(after);
      const v = JSON.parse(checked[i]?.stdout ?? "") as { ok: boolean; notes: string[] };
      expect(v, kill.name).toEqual(expect.objectContaining({ ok: true, notes: [] }));
      // The build before it is kept for rollback, no other.
      expect(readdirSync(path.join(out, ".c2c", "builds")).length, kill.name).toBe(2);
    }
  }, 300_000);
});

/** Runs a slowed build and SIGKILLs it when it announces the `nth` step matching `step`; resolves with its stderr. */
function killAt(args: string[], env: NodeJS.ProcessEnv, step: RegExp, nth: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [SLOW, ...args], { env });
    let stderr = "";
    let seen = 0;
    let killed = false;
    child.stderr?.on("data", (d: Buffer) => {
      stderr += d.toString();
      if (killed) return;
      for (const line of stderr.split("\n")) {
        const m = /^c2c-test: (.*)$/.exec(line);
        if (m?.[1] !== undefined && step.test(m[1])) seen++;
      }
      if (seen >= nth) {
        killed = true;
        child.kill("SIGKILL");
      } else seen = 0;
    });
    child.on("close", (code, signal) => {
      if (signal === "SIGKILL") resolve(stderr);
      else reject(new Error(`the build was not killed (exit ${code}) before ${step}:\n${stderr}`));
    });
  });
}

describe("unreadable partner files", () => {
  /** A copy of the sample with `add` done to one partner's folder, built; returns that partner's issues by file name. */
  function buildWith(name: string, add: (partnerDir: string) => void) {
    const project = path.join(work, name);
    cpSync(SAMPLE, project, { recursive: true });
    const partnerDir = path.join(project, "data", "2025", "pathways-college-access");
    add(partnerDir);
    const r = c2c(["build", "--project", project, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const report = JSON.parse(
      readFileSync(path.join(project, "out", "private", "partners", "pathways-college-access", "report.json"), "utf8"),
    ) as { files: { path: string; issues: { code: string; message: string }[] }[] };
    return {
      partnerDir,
      issues: (file: string) =>
        report.files.find((f) => f.path.endsWith(`/${file}`))?.issues.map((i) => [i.code, i.message]) ?? null,
    };
  }

  it("reports a folder named like a data file and a broken link in that partner's report, not a crash", () => {
    let inputs: Record<string, string> = {};
    const { issues, partnerDir } = buildWith("unreadable", (dir) => {
      mkdirSync(path.join(dir, "postsecondary-folder.csv"));
      writeFileSync(path.join(dir, "postsecondary-folder.csv", "inner.csv"), "a,b\n");
      symlinkSync(path.join(work, "does-not-exist.csv"), path.join(dir, "postsecondary-link.csv"));
      inputs = tree(dir);
    });
    expect(issues("postsecondary-folder.csv")).toEqual([
      ["file-unreadable", "The file could not be opened: it is a folder, not a file."],
    ]);
    expect(issues("postsecondary-link.csv")).toEqual([
      ["file-unreadable", expect.stringMatching(/^The file could not be opened: no such file or directory/)],
    ]);
    expect(issues("postsecondary-2025.csv")?.some(([code]) => code === "file-unreadable")).toBe(false);
    expect(tree(partnerDir)).toEqual(inputs);
  }, 120_000);

  // Root reads a file whatever its mode bits, so there is nothing unreadable to report when tests run as root.
  it.skipIf(process.getuid?.() === 0)(
    "reports a file without read permission (skipped as root, who can read it)",
    () => {
      const { issues, partnerDir } = buildWith("no-permission", (dir) => {
        const locked = path.join(dir, "postsecondary-locked.csv");
        cpSync(path.join(dir, "postsecondary-2025.csv"), locked);
        chmodSync(locked, 0);
      });
      chmodSync(path.join(partnerDir, "postsecondary-locked.csv"), 0o644);
      expect(issues("postsecondary-locked.csv")).toEqual([
        ["file-unreadable", expect.stringMatching(/^The file could not be opened: permission denied/)],
      ]);
      expect(statSync(path.join(partnerDir, "postsecondary-2025.csv")).isFile()).toBe(true);
    },
    120_000,
  );
});
