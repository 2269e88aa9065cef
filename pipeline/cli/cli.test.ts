import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../test-support/load-fixture.ts";
import type { Change } from "./diff-command.ts";

/**
 * The command line as an analyst runs it: `node dist/bundle/c2c.js` in a child process, in
 * temporary folders. `npm test` builds dist/ first; run `npm run build` before running this alone.
 */
const MAIN = path.join(REPO_ROOT, "dist", "bundle", "c2c.js");
const SAMPLE = path.join(REPO_ROOT, "fixtures", "sample-community");
const env = { ...process.env, NO_COLOR: "1", SOURCE_DATE_EPOCH: "1767225600" };

function c2c(args: string[], cwd = REPO_ROOT) {
  const r = spawnSync(process.execPath, [MAIN, ...args], { cwd, env, encoding: "utf8", timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function newestSource(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true }))
    if (e.isFile() && e.name.endsWith(".ts") && !e.name.endsWith(".test.ts"))
      newest = Math.max(newest, statSync(path.join(e.parentPath, e.name)).mtimeMs);
  return newest;
}

let work: string;
beforeAll(() => {
  if (!existsSync(MAIN) || statSync(MAIN).mtimeMs < newestSource(path.join(REPO_ROOT, "pipeline")))
    throw new Error("dist/ is missing or older than pipeline/: run `npm run build` (npm test does it for you)");
  work = mkdtempSync(path.join(tmpdir(), "c2c-cli-"));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("c2c, as a process", () => {
  it("teaches itself: --help lists every command, each command has --help, mistakes exit 2", () => {
    const help = c2c(["--help"]);
    expect(help.code).toBe(0);
    for (const command of ["init", "build", "check", "template", "aggregate", "diff", "serve", "verify"]) {
      expect(help.stdout).toContain(`  ${command} `);
      const own = c2c([command, "--help"]);
      expect(own.code, command).toBe(0);
      expect(own.stdout, command).toContain(`Usage: c2c ${command}`);
      expect(own.stdout, command).toContain("Example");
    }
    expect(c2c([]).code).toBe(2);
    expect(c2c(["bild"]).stderr).toContain("unknown command `bild`");
    const bad = c2c(["build", "--nope"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("c2c build --help");
    expect(c2c(["--version"]).stdout).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("starts a partnership with init, and builds it at once", () => {
    const dir = path.join(work, "new-partnership");
    const init = c2c(["init", dir]);
    expect(init.code).toBe(0);
    expect(init.stdout).toContain("c2c build --project");
    const build = c2c(["build", "--project", dir, "--json"]);
    expect(build.code).toBe(0);
    const summary = JSON.parse(build.stdout) as { ok: boolean; partners: { id: string; errors: number }[] };
    expect(summary.ok).toBe(true);
    expect(summary.partners.map((p) => p.id)).toContain("example-district");
    expect(summary.partners.every((p) => p.errors === 0)).toBe(true);
    expect(existsSync(path.join(dir, "out", "site", "index.html"))).toBe(true);
    expect(build.stderr).toBe("");
    expect(c2c(["init", dir]).code).toBe(1);
  });

  it("says what is wrong with a project in one clear message, exit 1, no stack trace", () => {
    const dir = path.join(work, "broken");
    cpSync(path.join(work, "new-partnership"), dir, { recursive: true });
    const config = path.join(dir, "c2c.config.yaml");
    writeFileSync(config, readFileSync(config, "utf8").replace("minimumCount: 10", "minimumCount: ten"));
    const r = c2c(["build", "--project", dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("c2c.config.yaml");
    expect(r.stderr).toContain("privacy.minimumCount");
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(c2c(["build", "--project", path.join(work, "nowhere")]).code).toBe(1);
    expect(c2c(["build", "--project", path.join(work, "new-partnership"), "--only", "nope"]).code).toBe(2);
  });

  it("diffs two builds and lists exactly the figures a revised partner file moved", () => {
    const project = path.join(work, "sample");
    cpSync(SAMPLE, project, { recursive: true });
    expect(c2c(["build", "--project", project, "--out", path.join(work, "before")]).code).toBe(0);
    const file = path.join(project, "data", "2025", "cedar-hills-sd", "outcome-counts-2025.csv");
    const lines = readFileSync(file, "utf8").split("\n");
    const at = lines.findIndex((l) => /^2024-25,CHSD,,Grade 3 Reading,All Students,All Students,/.test(l));
    const cells = (lines[at] ?? "").split(",");
    cells[7] = String(Number(cells[7]) + 5);
    lines[at] = cells.join(",");
    writeFileSync(file, lines.join("\n"));
    expect(c2c(["build", "--project", project, "--out", path.join(work, "after")]).code).toBe(0);

    const diff = c2c(["diff", path.join(work, "before"), path.join(work, "after"), "--json"]);
    expect(diff.code).toBe(0);
    const changes = JSON.parse(diff.stdout) as Change[];
    // The oracle: the rows of the two downloads that are not byte-identical, by key.
    const rows = (build: string) =>
      new Map(
        readFileSync(path.join(work, build, "site", "data", "observations.csv"), "utf8")
          .trimEnd()
          .split("\n")
          .slice(1)
          .map((l) => [l.split(",").slice(0, 6).join("|"), l.split(",").slice(6, 12).join(",")] as const),
      );
    const [a, b] = [rows("before"), rows("after")];
    const moved = [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k)).sort();
    expect(changes.map((c) => c.key).sort()).toEqual(moved);
    const changed = changes.filter((c) => c.kind === "changed");
    expect(changed.map((c) => c.key)).toEqual([
      "early-grade-reading|2025|community|river-valley|all|all",
      "early-grade-reading|2025|district|cedar-hills|all|all",
    ]);
    for (const c of changed) {
      expect(c.new?.numerator).toBe((c.old?.numerator ?? 0) + 5);
      expect(c.reasons).toEqual(["revised file data/2025/cedar-hills-sd/outcome-counts-2025.csv"]);
    }
    // Anything else that moved did so because protection changed, and says so.
    for (const c of changes.filter((x) => x.kind !== "changed"))
      expect(c.reasons.join("; "), c.key).toMatch(/no longer needs hiding|hidden to protect privacy/);
    const text = c2c(["diff", path.join(work, "before"), path.join(work, "after")]);
    expect(text.stdout).toContain(`${changes.length} published figures differ: 2 changed`);
    expect(c2c(["diff", path.join(work, "before"), path.join(work, "before")]).stdout).toBe(
      "No published figure changed.\n",
    );
  });

  it("checks a partner file: file:line output, exit 1 with errors, JSON on request", () => {
    const broken = path.join(SAMPLE, "data", "2025", "cedar-hills-sd", "outcome-counts-2025.csv");
    const r = c2c(["check", broken]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/outcome-counts-2025\.csv:115: error: .*`37a`.* \[type-error\]/);
    const json = JSON.parse(c2c(["check", broken, "--json"]).stdout) as { accepted: boolean; rowsRejected: number };
    expect(json).toMatchObject({ accepted: false, rowsRejected: 6 });
    expect(c2c(["check", path.join(SAMPLE, "data", "2024", "cedar-hills-sd", "outcome-counts-2024.csv")]).code).toBe(0);
  });

  it("serves the site on localhost and builds again when a project file changes", async () => {
    const dir = path.join(work, "new-partnership");
    const child = spawn(process.execPath, [MAIN, "serve", "--project", dir, "--port", "0"], { env });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL in: ${stderr}`)), 60_000);
        child.stderr.on("data", () => {
          const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(stderr);
          if (m) {
            clearTimeout(timer);
            resolve(m[0]);
          }
        });
      });
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain("Example Cradle to Career Partnership");
      expect((await fetch(`${url}../../etc/passwd`)).status).not.toBe(200);
      const config = path.join(dir, "c2c.config.yaml");
      writeFileSync(config, readFileSync(config, "utf8").replace("name: Example Cradle", "name: Renamed Cradle"));
      // On failure, what the server said (and whether it stopped) is the value shown.
      await expect
        .poll(
          async () => {
            try {
              return (await (await fetch(url)).text()).includes("Renamed Cradle");
            } catch (e) {
              return `${e instanceof Error ? e.message : String(e)}; exit ${child.exitCode} ${child.signalCode}; ${stderr}`;
            }
          },
          { timeout: 30_000, interval: 250 },
        )
        .toBe(true);
      expect(stderr).toContain("changed; building again");
    } finally {
      child.kill("SIGTERM");
    }
  }, 90_000);
});
