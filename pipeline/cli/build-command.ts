import path from "node:path";
import { type BuildResult, build } from "../build.ts";
import type { Effects } from "../effects.ts";
import { ProjectError } from "../load/config-error.ts";
import { formatTable, plural } from "./format.ts";

export const BUILD_HELP = `Usage: c2c build [--project DIR] [--out DIR]

Reads every partner file in DIR/data/<year>/<partner>/, checks it against its extract schema,
aggregates the indicators, hides small numbers, and writes:

  OUT/site/                    the public dashboard: open OUT/site/index.html, or publish the folder
  OUT/partners/<id>/report.*   each partner's data check (private: send it to that partner only)
  OUT/build.json               what went in (with checksums) and what came out

Options:
  --project DIR   the partnership's folder, holding c2c.config.yaml (default: .)
  --out DIR       where to write (default: DIR/out)
  --debug         show a stack trace on an unexpected failure
  -h, --help      show this help

Examples:
  c2c build
  c2c build --project fixtures/sample-community --out out

Environment:
  SOURCE_DATE_EPOCH   the build date, in seconds since 1970 (default: today), for reproducible sites
`;

export interface BuildCommandOptions {
  project: string;
  out: string | undefined;
  c2cRoot: string;
  version: string;
  buildDate: string;
}

/** Runs a build and prints what an analyst needs: files, rows, indicators, suppression, where the site is. */
export async function runBuild(
  options: BuildCommandOptions,
  effects: Effects,
  stdout: (text: string) => void,
): Promise<number> {
  const outDir = options.out ?? path.join(options.project, "out");
  let result: BuildResult;
  try {
    result = await build(
      {
        projectDir: options.project,
        outDir,
        c2cRoot: options.c2cRoot,
        version: options.version,
        buildDate: options.buildDate,
        onFile: (f) =>
          effects.log.info(
            `  read ${f.path}: ${f.rowsRead.toLocaleString("en-US")} rows, ${f.rowsRejected.toLocaleString("en-US")} rejected`,
          ),
      },
      effects,
    );
  } catch (e) {
    if (e instanceof ProjectError) {
      effects.log.warn(
        `the project in ${options.project} has ${plural(e.errors.length, "problem")} to fix before it can build:`,
      );
      for (const line of e.message.split("\n")) effects.log.warn(`  ${line}`);
      return 1;
    }
    throw e;
  }
  stdout(summarize(result, outDir));
  return 0;
}

export function summarize(result: BuildResult, outDir: string): string {
  const { project, files, manifest } = result;
  const lines: string[] = [];
  lines.push(
    `${project.config.partnership.name}: built ${project.indicators.length} indicators${result.reportingYear !== null ? ` through ${result.reportingYear}` : ""}.`,
  );
  lines.push("");
  const rows = project.partners.map((p) => {
    const mine = files.filter((f) => f.partner === p.id);
    const issues = mine.flatMap((f) => f.issues);
    return [
      p.id,
      String(mine.length),
      fmt(mine.reduce((n, f) => n + f.rowsRead, 0)),
      fmt(mine.reduce((n, f) => n + f.rowsAccepted, 0)),
      fmt(mine.reduce((n, f) => n + f.rowsRejected, 0)),
      String(issues.filter((i) => i.severity === "error").length),
      String(issues.filter((i) => i.severity === "warning").length),
    ];
  });
  lines.push(
    formatTable(["partner", "files", "rows read", "accepted", "rejected", "errors", "warnings"], rows, [
      false,
      true,
      true,
      true,
      true,
      true,
      true,
    ]),
  );
  lines.push("");
  const indicatorRows = project.indicators.map((indicator) => {
    const cells = result.protection.published.filter((o) => o.indicator === indicator.id);
    const summary = result.summaries.find((s) => s.indicator === indicator.id);
    const latest =
      summary?.latestValue != null && summary.latestYear !== null
        ? `${Math.round(summary.latestValue * 100)}% (${summary.latestYear})`
        : "none published";
    return [
      indicator.id,
      latest,
      fmt(cells.filter((o) => o.value !== null).length),
      fmt(cells.filter((o) => o.value === null).length),
    ];
  });
  lines.push(
    formatTable(["indicator", "latest, community", "cells shown", "cells hidden"], indicatorRows, [
      false,
      true,
      true,
      true,
    ]),
  );
  const c = manifest.counts;
  lines.push("");
  lines.push(
    `Cells: ${fmt(c.cells)}, ${fmt(c.cellsPublished)} published; ${fmt(c.suppressedPrimary + c.suppressedComplementary)} hidden by c2c (${fmt(c.suppressedPrimary)} below the minimum count, ${fmt(c.suppressedComplementary)} to stop subtraction), ${fmt(c.sourceSuppressed)} withheld by partners, ${fmt(c.incomplete)} incomplete.`,
  );
  if (result.discovery.issues.length > 0)
    lines.push(
      `${plural(result.discovery.issues.length, "file")} in data/ could not be placed; see the partner reports.`,
    );
  lines.push(`Site:            ${path.join(outDir, "site", "index.html")}`);
  lines.push(`Partner reports: ${path.join(outDir, "partners")}/<partner>/report.html (private)`);
  return `${lines.join("\n")}\n`;
}

function fmt(n: number): string {
  return n.toLocaleString("en-US");
}
