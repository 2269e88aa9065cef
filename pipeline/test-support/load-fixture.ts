import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type MemoryEffects, memoryEffects } from "../effects-memory.ts";

/** The repository's root, for tests. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * Loads a fixture project into in-memory effects under `/project`, so a whole build runs without
 * touching the disk (c2c's own templates and scripts are still read from the repository).
 */
export function loadFixtureProject(name: string): MemoryEffects {
  const dir = path.join(REPO_ROOT, "fixtures", name);
  const files: Record<string, Uint8Array> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isDirectory()) continue;
    const abs = path.join(entry.parentPath, entry.name);
    files[`/project/${path.relative(dir, abs).split(path.sep).join("/")}`] = new Uint8Array(readFileSync(abs));
  }
  return memoryEffects(files, { readDisk: true });
}

/** Reads a fixture CSV as rows of cells (the fixtures have no quoted commas). */
export function readFixtureCsv(name: string, file: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(path.join(REPO_ROOT, "fixtures", name, file), "utf8")
    .trimEnd()
    .split("\n");
  const cols = (header ?? "").split(",");
  return lines.map((l) => Object.fromEntries(l.split(",").map((v, i) => [cols[i] ?? "", v])));
}
