import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/**
 * Scratch folders: what a run keeps on disk for a while and removes itself (a large file's keys,
 * the DuckDB engine's database). Each is named `c2c-<kind>-<pid>-<random>` in the system's
 * temporary folder, so that a run stopped before it could remove its own (Ctrl-C, a kill, a
 * machine out of memory) leaves folders the next run can tell apart from a live run's and remove:
 * at 10 million rows they hold a few hundred megabytes.
 */
export type ScratchKind = "keys" | "duckdb";

const NAME = /^c2c-(keys|duckdb)-(\d+)-[^/]+$/;

/** A new scratch folder of this process, under `base` (the system's temporary folder by default). */
export function makeScratchDir(kind: ScratchKind, base: string = tmpdir()): string {
  return mkdtempSync(path.join(base, `c2c-${kind}-${process.pid}-`));
}

/** The scratch folders under `base` and the process each belongs to. */
function scratchDirs(base: string): { dir: string; pid: number }[] {
  let names: string[];
  try {
    names = readdirSync(base);
  } catch {
    return [];
  }
  const out: { dir: string; pid: number }[] = [];
  for (const name of names) {
    const m = NAME.exec(name);
    if (m) out.push({ dir: path.join(base, name), pid: Number(m[2]) });
  }
  return out;
}

/**
 * Removes the scratch folders left under `base` by runs that are no longer running (`isRunning`
 * says; a process of another user counts as running). Returns what was removed and its size.
 * Never throws: a folder it cannot remove is left for the next run.
 */
export function removeStaleScratch(
  isRunning: (pid: number) => boolean,
  base: string = tmpdir(),
): { dirs: string[]; bytes: number } {
  const removed: { dirs: string[]; bytes: number } = { dirs: [], bytes: 0 };
  for (const { dir, pid } of scratchDirs(base)) {
    if (pid === process.pid || isRunning(pid)) continue;
    const bytes = sizeOf(dir);
    try {
      rmSync(dir, { recursive: true, force: true });
      removed.dirs.push(dir);
      removed.bytes += bytes;
    } catch {
      // Another user's, or a disk gone read-only: left as it is.
    }
  }
  return removed;
}

/** Removes this process's scratch folders under `base`, at once: for a run that is being stopped. */
export function removeOwnScratch(base: string = tmpdir()): void {
  for (const { dir, pid } of scratchDirs(base)) {
    if (pid !== process.pid) continue;
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 2 });
    } catch {
      // Left for the next run to remove.
    }
  }
}

function sizeOf(dir: string): number {
  let bytes = 0;
  try {
    for (const e of readdirSync(dir, { recursive: true, withFileTypes: true }))
      if (e.isFile()) bytes += statSync(path.join(e.parentPath, e.name)).size;
  } catch {
    // Counted as far as it could be.
  }
  return bytes;
}
