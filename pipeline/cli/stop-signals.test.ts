import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../test-support/load-fixture.ts";
import { MAIN } from "../test-support/run-cli.ts";

/**
 * Ctrl-C (SIGINT) and a kill (SIGTERM) stop every command at once, even while a read is blocked in
 * the operating system (a network drive that stopped answering; here, an open() of a FIFO no one
 * writes, which holds a thread of Node's pool), remove the run's scratch folders, and end the
 * process by the signal, so the shell sees 130 or 143. `hung-read-cli.mjs` blocks the reads of
 * files named `*hang*`. Runs `dist/`: `npm run build` first.
 */
const HUNG = path.join(REPO_ROOT, "pipeline", "test-support", "hung-read-cli.mjs");
const dir = mkdtempSync(path.join(tmpdir(), "c2c-signals-"));
const fifo = path.join(dir, "never-written");
spawnSync("mkfifo", [fifo]);
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

/** A copy of the hostile base project; `hang` adds a file whose reading blocks (named as the later version of the 2026 file, so it is the one read). */
function project(name: string, hang: boolean): string {
  const root = path.join(dir, name);
  cpSync(path.join(REPO_ROOT, "fixtures", "hostile", "base"), root, { recursive: true });
  if (hang) addHangingFile(root);
  return root;
}

function addHangingFile(root: string): void {
  writeFileSync(
    path.join(root, "data", "2026", "example-district", "outcome-counts-2026-v2-hang.csv"),
    "school_year\n",
  );
}

interface Running {
  child: ChildProcess;
  stderr: () => string;
  /** Resolves once stderr matches. */
  saying: (pattern: RegExp, timeoutMs?: number) => Promise<void>;
  /** How the process ended: exit code and signal. */
  ended: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

function start(args: string[], env: NodeJS.ProcessEnv = {}): Running {
  const child = spawn(process.execPath, [HUNG, ...args], {
    env: { ...process.env, NO_COLOR: "1", TMPDIR: dir, C2C_TEST_HANG_FIFO: fifo, ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  children.push(child);
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  const saying = async (pattern: RegExp, timeoutMs = 60_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(stderr)) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`never said ${pattern}:\n${stderr}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  return { child, stderr: () => stderr, saying, ended };
}

/** Sends the signal and says how long the process took to end, and how. */
async function stop(run: Running, signal: NodeJS.Signals): Promise<{ ms: number; signal: NodeJS.Signals | null }> {
  const sent = Date.now();
  run.child.kill(signal);
  const timeout = new Promise<null>((r) => setTimeout(() => r(null), 10_000));
  const ended = await Promise.race([run.ended, timeout]);
  if (ended === null) throw new Error(`still running 10 s after ${signal}:\n${run.stderr()}`);
  return { ms: ended.at - sent, signal: ended.signal };
}

const scratchOf = (pid: number | undefined) => readdirSync(dir).filter((n) => n.startsWith(`c2c-duckdb-${pid}-`));

describe("SIGTERM and SIGINT during a read that is blocked", () => {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    it(`stop c2c build at once (${signal}), removing its scratch folder`, async () => {
      const root = project(`build-${signal}`, true);
      const run = start(["build", "--project", root, "--out", path.join(root, "out"), "--engine", "duckdb"]);
      await run.saying(/c2c-test: hung reading .*outcome-counts-2026-v2-hang\.csv/);
      // The DuckDB engine keeps its database in a scratch folder while the files are read.
      expect(scratchOf(run.child.pid)).toHaveLength(1);
      const stopped = await stop(run, signal);
      expect(stopped.signal, run.stderr()).toBe(signal);
      expect(stopped.ms).toBeLessThan(1500);
      expect(run.stderr()).toContain(`c2c build: stopped (${signal === "SIGINT" ? "Ctrl-C" : "SIGTERM"}).`);
      expect(scratchOf(run.child.pid)).toEqual([]);
    }, 90_000);
  }

  it("stop c2c check at once", async () => {
    const root = project("check", true);
    const run = start([
      "check",
      path.join(root, "data", "2026", "example-district", "outcome-counts-2026-v2-hang.csv"),
    ]);
    await run.saying(/c2c-test: hung reading/);
    const stopped = await stop(run, "SIGTERM");
    expect(stopped.signal).toBe("SIGTERM");
    expect(stopped.ms).toBeLessThan(1500);
    expect(run.stderr()).toContain("c2c check: stopped (SIGTERM).");
  }, 90_000);

  it("stop c2c serve at once, idle or in a build that hangs", async () => {
    const root = project("serve", false);
    const idle = start(["serve", "--project", root, "--port", "0"]);
    await idle.saying(/Serving .* at http:\/\/127\.0\.0\.1:\d+\//);
    const idleStop = await stop(idle, "SIGINT");
    expect(idleStop.signal).toBe("SIGINT");
    expect(idleStop.ms).toBeLessThan(1500);
    expect(idle.stderr()).toContain("c2c serve: stopped (Ctrl-C).");

    const run = start(["serve", "--project", root, "--port", "0"]);
    await run.saying(/Serving .* at http:\/\/127\.0\.0\.1:\d+\//);
    addHangingFile(root);
    await run.saying(/c2c-test: hung reading/);
    const stopped = await stop(run, "SIGTERM");
    expect(stopped.signal).toBe("SIGTERM");
    expect(stopped.ms).toBeLessThan(1500);
    expect(run.stderr()).toContain("c2c serve: stopped (SIGTERM).");
  }, 120_000);
});

describe("without the blocked read", () => {
  it("c2c serve ends by SIGTERM as the shell counts it, 143", () => {
    // A shell reports a child ended by a signal as 128 + its number: what a script sees.
    const r = spawnSync(
      "sh",
      [
        "-c",
        `"${process.execPath}" "${MAIN}" serve --project "${project("shell", false)}" --port 0 >/dev/null & pid=$!; sleep 4; kill -TERM $pid; wait $pid; echo "status $?"`,
      ],
      {
        encoding: "utf8",
        timeout: 60_000,
      },
    );
    expect(r.stdout.trim()).toBe("status 143");
  }, 70_000);
});

describe("a read that brings nothing", () => {
  it("fails after --read-timeout with a coded issue in that partner's report, and the build goes on", async () => {
    const root = project("stall", true);
    const out = path.join(root, "out");
    const run = start(["build", "--project", root, "--out", out, "--read-timeout", "1", "--json"], {
      C2C_TEST_STALL: "1",
    });
    const ended = await Promise.race([run.ended, new Promise<null>((r) => setTimeout(() => r(null), 60_000))]);
    expect(ended, run.stderr()).toEqual(expect.objectContaining({ code: 0, signal: null }));
    const report = JSON.parse(
      readFileSync(path.join(out, "private", "partners", "example-district", "report.json"), "utf8"),
    ) as {
      files: { path: string; rowsAccepted: number; issues: { code: string; message: string }[] }[];
    };
    const stalled = report.files.find((f) => f.path.endsWith("outcome-counts-2026-v2-hang.csv"));
    expect(stalled?.issues.map((i) => [i.code, i.message])).toEqual([
      ["read-stalled", "Reading the file brought nothing for 1 second, so c2c stopped reading it and used none of it."],
    ]);
    expect(report.files.find((f) => f.path.endsWith("outcome-counts-2025.csv"))?.rowsAccepted).toBe(60);
  }, 90_000);

  it("and one the operating system never answers does not keep c2c from ending once its work is done", async () => {
    const root = project("stall-kernel", true);
    const out = path.join(root, "out");
    const run = start(["build", "--project", root, "--out", out, "--read-timeout", "1"], { C2C_TEST_STALL: "kernel" });
    const ended = await Promise.race([run.ended, new Promise<null>((r) => setTimeout(() => r(null), 60_000))]);
    expect(ended, run.stderr()).toEqual(expect.objectContaining({ code: null, signal: "SIGTERM" }));
    expect(run.stderr()).toMatch(
      /c2c build: reading .*outcome-counts-2026-v2-hang\.csv never came back from the operating system/,
    );
    const report = readFileSync(path.join(out, "private", "partners", "example-district", "report.json"), "utf8");
    expect(report).toContain('"code": "read-stalled"');
  }, 90_000);
});
