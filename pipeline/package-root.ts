import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * c2c's own folder (templates, default catalog, schemas), found by walking up from this module to
 * the `package.json` named `c2c`. Works from `pipeline/` in a clone and from `dist/pipeline/` once built.
 */
export function packageRoot(from: string = path.dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { name?: unknown };
      if (pkg.name === "c2c") return dir;
    } catch {
      // no package.json here: keep walking up
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`c2c could not find its own package.json above ${from}`);
    dir = parent;
  }
}
