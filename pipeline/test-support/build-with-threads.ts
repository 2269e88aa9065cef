import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect } from "vitest";
import { REPO_ROOT } from "./load-fixture.ts";

/** The compiled CLI: worker threads run only from `dist/` (`npm test` builds it first). */
const MAIN = path.join(REPO_ROOT, "dist", "bundle", "c2c.js");

/**
 * `c2c build --threads N --json` on a project, into `out`, with a fixed build date: its JSON
 * summary, and every file it published (by path under `out`: site/…, private/…), to compare builds byte for byte.
 */
export function buildWithThreads(
  root: string,
  out: string,
  threads: number,
): { summary: { threads: number }; files: Map<string, string> } {
  const r = spawnSync(
    process.execPath,
    [MAIN, "build", "--project", root, "--out", out, "--threads", String(threads), "--json"],
    { encoding: "utf8", env: { ...process.env, SOURCE_DATE_EPOCH: "1767225600" }, timeout: 300_000 },
  );
  expect(r.status, r.stderr).toBe(0);
  const files = new Map<string, string>();
  // What the build published: OUT/site and OUT/private (links to the current build), by path under `out`.
  for (const part of ["site", "private"])
    for (const e of readdirSync(path.join(out, part), { recursive: true, withFileTypes: true }))
      if (e.isFile()) {
        const abs = path.join(e.parentPath, e.name);
        files.set(path.join(part, path.relative(path.join(out, part), abs)), readFileSync(abs, "utf8"));
      }
  return { summary: JSON.parse(r.stdout) as { threads: number }, files };
}
