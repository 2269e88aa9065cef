import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { memoryEffects } from "../effects-memory.ts";
import { REPO_ROOT } from "../test-support/load-fixture.ts";
import { loadProject } from "./load-project.ts";

/** The sample community under /project, and c2c's own definitions copied under `c2cRoot`. */
function files(c2cRoot: string, boundaries: string): Record<string, Uint8Array | string> {
  const out: Record<string, Uint8Array | string> = {};
  const copy = (from: string, to: string) => {
    for (const entry of readdirSync(from, { recursive: true, withFileTypes: true })) {
      if (entry.isDirectory()) continue;
      const abs = path.join(entry.parentPath, entry.name);
      out[path.posix.join(to, path.relative(from, abs).split(path.sep).join("/"))] = readFileSync(abs);
    }
  };
  copy(path.join(REPO_ROOT, "fixtures", "sample-community"), "/project");
  for (const dir of ["schemas", "indicators"]) copy(path.join(REPO_ROOT, dir), path.posix.join(c2cRoot, dir));
  out["/project/boundaries/districts.geojson"] = boundaries;
  return out;
}

const hashOf = async (c2cRoot: string, boundaries: string) =>
  (await loadProject("/project", c2cRoot, memoryEffects(files(c2cRoot, boundaries)))).configHash;

describe("the configuration hash in build.json", () => {
  const outlines = readFileSync(
    path.join(REPO_ROOT, "fixtures", "sample-community", "boundaries", "districts.geojson"),
    "utf8",
  );

  it("does not depend on where c2c is installed", async () => {
    expect(await hashOf("/opt/c2c", outlines)).toBe(await hashOf("/home/analyst/tools/c2c", outlines));
  });

  it("changes when the districts' boundary file changes", async () => {
    const moved = outlines.replace(/-?\d+\.\d+/, (n) => String(Number(n) + 0.01));
    expect(moved).not.toBe(outlines);
    expect(await hashOf("/opt/c2c", moved)).not.toBe(await hashOf("/opt/c2c", outlines));
  });
});
