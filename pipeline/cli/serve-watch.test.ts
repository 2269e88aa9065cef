import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../test-support/load-fixture.ts";
import { MAIN } from "../test-support/run-cli.ts";

/**
 * `c2c serve` sees every way a file changes, as editors, spreadsheets and people change them:
 * saved by rename-over (`sed -i`) and changed again after, deleted and re-created, a new year's
 * folder, a file moved in from outside the project. Each step is driven against one running
 * server, and the served site must change with it. Runs `dist/`: `npm run build` first.
 */
const dir = mkdtempSync(path.join(tmpdir(), "c2c-serve-watch-"));
const root = path.join(dir, "project");
const counts = (year: number) =>
  path.join(root, "data", String(year), "example-district", `outcome-counts-${year}.csv`);
let child: ChildProcess;
let stderr = "";
let url = "";

beforeAll(async () => {
  cpSync(path.join(REPO_ROOT, "fixtures", "hostile", "base"), root, { recursive: true });
  child = spawn(process.execPath, [MAIN, "serve", "--project", root, "--port", "0"], {
    env: { ...process.env, NO_COLOR: "1" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  child.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const deadline = Date.now() + 60_000;
  while (url === "" && Date.now() < deadline) {
    url = /http:\/\/127\.0\.0\.1:\d+\//.exec(stderr)?.[0] ?? "";
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(url, stderr).not.toBe("");
}, 90_000);
afterAll(() => {
  child.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

/** The served kindergarten-readiness figures: the community's count of all children ready, by year. */
async function ready(): Promise<Record<string, string>> {
  const csv = await (await fetch(`${url}data/kindergarten-readiness.csv`)).text();
  const out: Record<string, string> = {};
  for (const line of csv.split("\n")) {
    const cells = line.split(",");
    if (cells[2] === "community" && cells[4] === "all") out[cells[1] as string] = cells[6] as string;
  }
  return out;
}

/** Waits until the served figures are `expected`; on failure, shows what the server said. */
async function served(expected: Record<string, string>): Promise<void> {
  await expect
    .poll(
      async () => {
        try {
          return await ready();
        } catch (e) {
          return `${e instanceof Error ? e.message : String(e)}; exit ${child.exitCode}; ${stderr}`;
        }
      },
      { timeout: 30_000, interval: 250 },
    )
    .toEqual(expected);
}

describe("c2c serve, as files change", () => {
  it("starts with the project's figures", async () => {
    await served({ "2025": "86", "2026": "90" });
  }, 60_000);

  it("sees a file saved by rename-over (sed -i), and the changes after it", async () => {
    expect(spawnSync("sed", ["-i", "s/,180,86$/,180,99/", counts(2025)]).status).toBe(0);
    await served({ "2025": "99", "2026": "90" });
    // Node's own recursive watch lost the file here: its watch followed the replaced inode.
    expect(spawnSync("sed", ["-i", "s/,180,99$/,180,77/", counts(2025)]).status).toBe(0);
    await served({ "2025": "77", "2026": "90" });
    writeFileSync(counts(2025), readFileSync(counts(2025), "utf8").replace(/,180,77$/m, ",180,55"));
    await served({ "2025": "55", "2026": "90" });
  }, 120_000);

  it("sees a file deleted, and re-created", async () => {
    const text = readFileSync(counts(2026), "utf8");
    unlinkSync(counts(2026));
    await served({ "2025": "55" });
    writeFileSync(counts(2026), text.replace(/,180,90$/m, ",180,66"));
    await served({ "2025": "55", "2026": "66" });
    writeFileSync(counts(2026), text.replace(/,180,90$/m, ",180,44"));
    await served({ "2025": "55", "2026": "44" });
  }, 120_000);

  it("sees a new year's folder, and a file moved in from outside the project", async () => {
    const text = readFileSync(counts(2025), "utf8");
    mkdirSync(path.dirname(counts(2027)), { recursive: true });
    writeFileSync(counts(2027), text.replaceAll("2024-25", "2026-27").replace(/,180,55$/m, ",180,33"));
    await served({ "2025": "55", "2026": "44", "2027": "33" });
    const incoming = path.join(dir, "incoming.csv");
    writeFileSync(incoming, text.replaceAll("2024-25", "2027-28").replace(/,180,55$/m, ",180,22"));
    mkdirSync(path.dirname(counts(2028)), { recursive: true });
    renameSync(incoming, counts(2028));
    await served({ "2025": "55", "2026": "44", "2027": "33", "2028": "22" });
    // And a change to the file moved in.
    writeFileSync(counts(2028), readFileSync(counts(2028), "utf8").replace(/,180,22$/m, ",180,11"));
    await served({ "2025": "55", "2026": "44", "2027": "33", "2028": "11" });
  }, 120_000);
});
