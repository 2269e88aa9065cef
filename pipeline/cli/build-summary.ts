import path from "node:path";
import type { BuildResult } from "../build.ts";
import { CONFIGURATION_CODES, countSeverity, formatIssue, type Issue } from "../issues/catalogue.ts";
import type { Observation } from "../observation.ts";
import { describeRelation } from "../protect/relations.ts";
import { quietTerminal, type Terminal } from "./command.ts";
import { formatTable, plural } from "./format.ts";

/** What `c2c build` tells the analyst once it is done: on the terminal (`summarize`), or as JSON (`summaryJson`). */

/** Problems in the partnership's configuration found in its partners' files: the build exits 1 for them. */
export function configurationIssues(result: BuildResult): Issue[] {
  return result.files.flatMap((f) => f.issues.filter((i) => CONFIGURATION_CODES.has(i.code)));
}

/** Files listed in a summary one by one; the rest are counted (--json lists every one). */
const LISTED_FILES = 20;

/** What `--json` prints: the manifest's counts with per-partner and per-indicator figures. */
export function summaryJson(result: BuildResult, outDir: string) {
  const configuration = configurationIssues(result);
  return {
    ok: configuration.length === 0,
    site: path.join(outDir, "site"),
    private: path.join(outDir, "private"),
    threads: result.threads,
    partnership: result.project.config.partnership.name,
    reportingYear: result.reportingYear,
    partners: result.project.partners.map((p) => {
      const mine = result.files.filter((f) => f.partner === p.id);
      const issues = mine.flatMap((f) => f.issues);
      return {
        id: p.id,
        files: mine.length,
        rowsRead: mine.reduce((n, f) => n + f.rowsRead, 0),
        rowsAccepted: mine.reduce((n, f) => n + f.rowsAccepted, 0),
        rowsRejected: mine.reduce((n, f) => n + f.rowsRejected, 0),
        errors: countSeverity(issues, "error"),
        warnings: countSeverity(issues, "warning"),
        report: path.join(outDir, "private", "partners", p.id, "report.html"),
      };
    }),
    indicators: result.project.indicators.map((i) => {
      const cells = result.protection.published.filter((o) => o.indicator === i.id);
      const s = result.summaries.find((x) => x.indicator === i.id);
      return {
        id: i.id,
        latestYear: s?.latestYear ?? null,
        latestValue: s?.latestValue ?? null,
        cellsShown: cells.filter((o) => o.value !== null).length,
        cellsHidden: cells.filter((o) => o.value === null).length,
      };
    }),
    counts: result.manifest.counts,
    issues: result.manifest.issues,
    configuration: configuration.map(({ file, line, code, message, fix }) => ({ file, line, code, message, fix })),
    unplaced: result.discovery.issues.map(({ file, code, message, fix }) => ({ file, code, message, fix })),
  };
}

export function summarize(result: BuildResult, outDir: string, terminal: Terminal = quietTerminal()): string {
  const { project, files, manifest } = result;
  const lines: string[] = [];
  lines.push(
    terminal.bold(
      `${project.config.partnership.name}: built ${project.indicators.length} indicators${result.reportingYear !== null ? ` through ${result.reportingYear}` : ""}.`,
    ),
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
      String(countSeverity(issues, "error")),
      String(countSeverity(issues, "warning")),
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
    `Cells: ${fmt(c.cells)}, ${fmt(c.cellsPublished)} published${c.coded > 0 ? `, ${fmt(c.coded)} shown only as below or above a share` : ""}; ${fmt(c.suppressedPrimary + c.suppressedComplementary + c.suppressedAudit)} hidden by c2c (${fmt(c.suppressedPrimary)} below the minimum count, ${fmt(c.suppressedComplementary)} to stop subtraction${c.suppressedAudit > 0 ? `, ${fmt(c.suppressedAudit)} found by the exact check` : ""}), ${fmt(c.sourceSuppressed)} withheld by partners, ${fmt(c.incomplete)} incomplete.`,
  );
  lines.push(...privacyLines(result));
  const unplaced = result.discovery.issues;
  if (unplaced.length > 0) {
    lines.push(`${plural(unplaced.length, "file")} in data/ could not be placed:`);
    lines.push(...listed(unplaced));
  }
  const configuration = configurationIssues(result);
  if (configuration.length > 0) {
    lines.push(
      terminal.red(
        `${plural(configuration.length, "problem")} in partners.yaml to fix: the partnership's configuration, not the partners' files. The site was written without the rows of the files it concerns:`,
      ),
    );
    lines.push(...listed(configuration));
  }
  lines.push(
    `Site:            ${path.join(outDir, "site", "index.html")} (public: publish ${path.join(outDir, "site")}/ only)`,
  );
  lines.push(
    `Partner reports: ${path.join(outDir, "private", "partners")}/<partner>/report.html (private: send each partner its own)`,
  );
  return `${lines.join("\n")}\n`;
}

/** Issues as `file:line: severity: message [code]`, indented, the first `LISTED_FILES`; then how many more. */
function listed(issues: readonly Issue[]): string[] {
  const out = issues.slice(0, LISTED_FILES).map((i) => `  ${formatIssue(i)}`);
  if (issues.length > LISTED_FILES)
    out.push(`  ... and ${fmt(issues.length - LISTED_FILES)} more (--json lists them all).`);
  return out;
}

/**
 * What the exact privacy check proved, and the relations between indicators it held the tables to;
 * a relation found in the figures but not declared is named with where to declare it.
 */
function privacyLines(result: BuildResult): string[] {
  const { audit, relations } = result.protection;
  const lines: string[] = [];
  const narrowest = audit.narrowest;
  const where = (o: Observation) =>
    `${o.indicator} ${o.year} ${o.geo_id} ${o.dimension === "all" ? "everyone" : `${o.dimension}/${o.group}`}`;
  const range = narrowest
    ? `; the narrowest range a reader can reach is ${narrowest.lo}–${narrowest.hi} (${narrowest.hi - narrowest.lo + 1}${narrowest.exact ? "" : " or more"} values), the ${narrowest.count} of ${where(narrowest.cell)}`
    : "";
  lines.push(
    `Privacy: ${plural(audit.cells, "hidden cell")} checked against a reader who combines every published table (exact solver, ${result.protectSeconds.toFixed(1)} s): none can be worked out or narrowed below the minimum count${range}.`,
  );
  const origin = { declared: "declared", definition: "same extract and rows", detected: "found in the figures" };
  for (const r of relations) {
    const holds =
      r.compared === 0
        ? ""
        : r.agreeing === r.compared
          ? `, in all ${fmt(r.compared)} cells`
          : `, in ${fmt(r.agreeing)} of ${fmt(r.compared)} cells`;
    lines.push(`  Related: ${describeRelation(r)} (${origin[r.origin]}${holds}).`);
    if (r.origin === "detected")
      lines.push(
        `    Not declared: protected as related. Say why in indicators/${r.left.indicator}.yaml (relations: - count: ${r.left.count}, equals: ${r.right.count}, of: ${r.right.indicator}${r.yearOffset !== 0 ? `, yearOffset: ${r.yearOffset}` : ""}).`,
      );
  }
  return lines;
}

export function fmt(n: number): string {
  return n.toLocaleString("en-US");
}
