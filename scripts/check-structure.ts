/**
 * Checks the shape of the code: no import cycle, no import of a layer above (the layers are in
 * scripts/structure/layers.ts), no source file over 400 lines. Findings still to be fixed are
 * listed in scripts/structure/remaining.ts; the check fails on any finding not listed there, and on
 * any listed one that is gone (take it off the list), so the list only shrinks.
 *
 *   npm run check:structure
 */
import { packageRoot } from "../pipeline/package-root.ts";
import { checkStructure, PROJECT_RULES } from "./structure/check-structure.ts";
import { readImportGraph } from "./structure/import-graph.ts";
import { compareWithRemaining, REMAINING } from "./structure/remaining.ts";

const HELP = `c2c's structure check: import cycles, upward imports and over-long files.

  npm run check:structure

Reads every .ts file under pipeline/, schemas/ and scripts/ (tests are exempt from the layer and
length rules; pipeline/test-support/ from the layer rule). Exits 1 on a finding not listed in
scripts/structure/remaining.ts, or a listed finding that is fixed (remove it from the list).
`;

if (process.argv.includes("--help") || process.argv.includes("-h")) {
  process.stdout.write(HELP);
  process.exit(0);
}

const graph = readImportGraph(packageRoot());
const findings = checkStructure(graph, PROJECT_RULES);
const { unexpected, fixed, remaining } = compareWithRemaining(findings, REMAINING);
const count = (rule: string) => findings.filter((f) => f.rule === rule).length;
process.stdout.write(
  `structure: ${graph.size} files; ${count("cycle")} import cycles, ${count("upward-import")} upward imports, ` +
    `${count("too-long")} files over 400 lines, ${count("unplaced-file")} files in no layer\n`,
);
for (const f of remaining) process.stdout.write(`  still to fix (listed): ${f.detail}\n`);
for (const f of unexpected) process.stdout.write(`  NEW: ${f.detail}\n`);
for (const key of fixed) process.stdout.write(`  fixed, take it off scripts/structure/remaining.ts: ${key}\n`);
if (unexpected.length > 0 || fixed.length > 0) process.exit(1);
