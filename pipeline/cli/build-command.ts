import path from "node:path";
import { type BuildResult, build, UnknownIndicatorError } from "../build.ts";
import type { Effects } from "../effects.ts";
import { ENGINE_NAMES, type EngineName } from "../engine/counting-engine.ts";
import { readLimitsHelp } from "../files/read-limits.ts";
import { CONFIGURATION_CODES, countSeverity, formatIssue, type Issue } from "../issues/catalogue.ts";
import { ProjectError } from "../load/config-error.ts";
import type { Observation } from "../observation.ts";
import { workerCount } from "../parallel/worker-pool.ts";
import { ProtectionError } from "../protect/protect-cells.ts";
import { describeRelation } from "../protect/relations.ts";
import { OutputFolderError, outputFault } from "../write/output-errors.ts";
import { checkOutFolder, claimOutFolder } from "../write/output-folder.ts";
import { lockOutputs, OutputLockedError } from "../write/output-lock.ts";
import { type Command, flag, quietTerminal, stringOption, type Terminal } from "./command.ts";
import { formatTable, plural } from "./format.ts";

export const BUILD_HELP = `Usage: c2c build [options]

Reads every partner file in PROJECT/data/<year>/<partner>/, checks it against its extract schema,
aggregates the indicators, hides small numbers, and writes:

  OUT/site/                   PUBLIC: the dashboard; open OUT/site/index.html. Publish this folder
                              only, copying what it holds (rsync -a OUT/site/ DEST/; see the README)
  OUT/private/                NEVER PUBLISH: what is for the analyst and the partners alone
    partners/<id>/report.*    each partner's data check (send it to that partner only)
    build.json                what went in (with checksums) and what came out
    explain/                  with --explain: each stage's tables, unsuppressed

OUT is c2c's own folder: c2c makes it (or takes an empty one), marks it, and writes there only
site, private, .c2c and .c2c-lock. It refuses a folder of other files, /, your home folder, the
project folder, and anything in data/, before reading any partner file.

The new build replaces the old one only once it is complete, in one step: OUT/site and OUT/private
are links to the current build in OUT/.c2c/builds/, switched by one rename, so at no instant is
the site missing or half old, half new (where the disk has no links, as on Windows, they are real
folders swapped by two renames). The build before stays in OUT/.c2c/builds/ until the next one. A
failed build (a full disk too) leaves OUT as it was; the next build clears what a killed one left.
One build at a time writes OUT: a second one stops at once, naming the first (its lock is
OUT/.c2c-lock). Check a built OUT, or a copy of its site, with c2c verify.

Options:
  --project DIR      the partnership's folder, holding c2c.config.yaml (default: .)
  --out DIR          where to write: a new or empty folder, or one c2c made (default: PROJECT/out)
  --year YEAR        publish figures through this year only (default: the latest with data)
  --only ID          build only this indicator; repeat for more (e.g. --only employment)
  --engine NAME      where rows are counted: builtin (default; in memory as files stream, with a
                     file's keys on disk from 256 MB on, the faster one) or duckdb (out of core
                     in a temporary DuckDB database). Every cell is validated by c2c either way;
                     the figures are the same.
                     Also \`engine:\` in c2c.config.yaml.
  --threads N        read partner files in up to N threads (default: one per core, at most 4;
                     builtin engine only): several files of 32 MB or more in all, a file to a
                     thread; one record-level file of 16 MB or more, in N parts at once. The
                     result is the same. --threads 1 reads one file after another.
  --json             print the summary as JSON on stdout, for scripts
  --explain          also write each stage's tables to OUT/private/explain/ (unsuppressed counts);
                     a build without it leaves none
${readLimitsHelp(21)}
  --debug            show a stack trace on an unexpected failure
  -h, --help         show this help

Exit status: 0 when the site was written, 1 when it was not (OUT refused, a disk fault, a project to
fix) or when partners.yaml needs a fix (a mapping reads a column a partner's file does not have:
the site is written without that file's rows), 2 for a mistake in the command. Ctrl-C or SIGTERM
stops it at once, leaving OUT as it was (status 130, 143).

c2c reads only regular files inside the project: a link that leads out of it, a FIFO, a device,
a socket, a folder c2c may not read, is never opened, and is an error in that partner's report.

Examples:
  c2c build
  c2c build --project fixtures/sample-community --out out
  c2c build --only early-grade-reading --year 2024 --explain
  c2c build --engine duckdb

Environment:
  SOURCE_DATE_EPOCH   the build date, in seconds since 1970 (default: today), for reproducible sites
  NO_COLOR            no colours
`;

export interface BuildCommandOptions {
  project: string;
  out: string | undefined;
  year: number | undefined;
  only: string[];
  /** Overrides the config's `engine`. */
  engine?: EngineName | undefined;
  /** Partner files read at once (default: one per core, at most 4). */
  threads?: number | undefined;
  json: boolean;
  explain: boolean;
  c2cRoot: string;
  version: string;
  buildDate: string;
}

/**
 * Runs a build and prints what an analyst needs: files, rows, indicators, suppression, where the site is.
 * Holds the lock on the out folder throughout, so a second build on it fails at once instead of
 * interleaving its writes.
 */
export async function runBuild(
  options: BuildCommandOptions,
  effects: Effects,
  stdout: (text: string) => void,
  terminal: Terminal = quietTerminal(),
): Promise<number> {
  const outDir = options.out ?? path.join(options.project, "out");
  const refused = (e: OutputFolderError) => {
    effects.log.warn(`build: ${e.format()}`);
    if (options.json) stdout(`${JSON.stringify({ ok: false, error: e.toJSON() }, null, 2)}\n`);
    return 1;
  };
  let release: () => Promise<void>;
  try {
    // Before anything is read or written: OUT must be c2c's to write.
    const checked = await checkOutFolder(outDir, options.project, effects);
    // No lock (and no out folder) for a folder that is not a project: the build says what is wrong.
    if (!(await effects.exists(path.join(options.project, "c2c.config.yaml")))) release = async () => {};
    else {
      await claimOutFolder(checked, outDir, effects);
      release = await lockOutputs(path.resolve(outDir), effects);
    }
  } catch (e) {
    if (e instanceof OutputLockedError) {
      effects.log.warn(`build: ${e.message}`);
      if (options.json) stdout(`${JSON.stringify({ ok: false, locked: e.lockPath, holder: e.holder }, null, 2)}\n`);
      return 1;
    }
    const fault = outputFault(e, outDir);
    if (fault === null) throw e;
    return refused(fault);
  }
  try {
    return await runLockedBuild(options, outDir, effects, stdout, terminal);
  } catch (e) {
    // Only stage 13's own faults (a full disk, a folder that cannot be written), never a partner file's.
    if (!(e instanceof OutputFolderError)) throw e;
    terminal.done();
    return refused(e);
  } finally {
    await release();
  }
}

async function runLockedBuild(
  options: BuildCommandOptions,
  outDir: string,
  effects: Effects,
  stdout: (text: string) => void,
  terminal: Terminal,
): Promise<number> {
  let result: BuildResult;
  const started = new Map<string, number>();
  const mb = (n: number) => (n / 1e6).toFixed(1);
  try {
    result = await build(
      {
        projectDir: options.project,
        outDir,
        c2cRoot: options.c2cRoot,
        version: options.version,
        buildDate: options.buildDate,
        ...(options.year !== undefined ? { reportingYear: options.year } : {}),
        only: options.only,
        ...(options.engine !== undefined ? { engine: options.engine } : {}),
        explain: options.explain,
        threads: options.threads ?? workerCount(4),
        onProgress: (file, read, total, again) => {
          if (!started.has(file)) started.set(file, performance.now());
          const share = total > 0 ? Math.min(1, read / total) : 0;
          const bar = `${"█".repeat(Math.round(share * 20))}${"░".repeat(20 - Math.round(share * 20))}`;
          terminal.progress(
            again
              ? `reading ${file} a second time ${bar} ${mb(read)} of ${mb(total)} MB`
              : `reading ${file} ${bar} ${mb(read)} of ${mb(total)} MB`,
          );
        },
        onFile: (f) => {
          if (!terminal.interactive) return;
          const seconds = (performance.now() - (started.get(f.path) ?? performance.now())) / 1000;
          const errors = countSeverity(f.issues, "error");
          const warnings = countSeverity(f.issues, "warning");
          const mark = errors > 0 ? terminal.red("✗") : warnings > 0 ? terminal.yellow("!") : terminal.green("✓");
          effects.log.info(
            `${mark} ${f.path}: ${fmt(f.rowsRead)} rows, ${fmt(f.rowsRejected)} left out, ${plural(errors, "error")}, ${plural(warnings, "warning")} (${seconds.toFixed(2)} s)`,
          );
        },
      },
      effects,
    );
  } catch (e) {
    terminal.done();
    if (e instanceof ProjectError) {
      effects.log.warn(
        `the project in ${options.project} has ${plural(e.errors.length, "problem")} to fix before it can build; nothing was written:`,
      );
      for (const line of e.message.split("\n")) effects.log.warn(`  ${line}`);
      if (options.json) stdout(`${JSON.stringify({ ok: false, errors: e.errors }, null, 2)}\n`);
      return 1;
    }
    if (e instanceof UnknownIndicatorError) {
      effects.log.warn(`build: ${e.message}.`);
      return 2;
    }
    if (e instanceof ProtectionError) {
      effects.log.warn(`build: ${e.message} Nothing was written; the previous site is unchanged.`);
      if (options.json) stdout(`${JSON.stringify({ ok: false, unprotectable: e.cells }, null, 2)}\n`);
      return 1;
    }
    throw e;
  }
  terminal.done();
  if (options.explain) {
    const dir = path.join(outDir, "private", "explain");
    const written = [...result.outputs.private.keys()].filter((p) => p.startsWith("explain/"));
    effects.log.info(
      `Stage tables (private, unsuppressed): ${written.map((w) => path.join(dir, w.slice("explain/".length))).join(", ")}`,
    );
  }
  stdout(
    options.json ? `${JSON.stringify(summaryJson(result, outDir), null, 2)}\n` : summarize(result, outDir, terminal),
  );
  return configurationIssues(result).length > 0 ? 1 : 0;
}

/** Problems in the partnership's configuration found in its partners' files: the build exits 1 for them. */
function configurationIssues(result: BuildResult): Issue[] {
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

export const buildCommand: Command = {
  name: "build",
  summary: "validate partner files, aggregate indicators, protect small numbers, write the site",
  help: BUILD_HELP,
  options: {
    project: { type: "string", default: "." },
    out: { type: "string" },
    year: { type: "string" },
    only: { type: "string", multiple: true },
    engine: { type: "string" },
    threads: { type: "string" },
    json: { type: "boolean" },
    explain: { type: "boolean" },
  },
  positionals: { min: 0, max: 0, usage: "takes no file names; use --project DIR" },
  readLimits: true,
  async run(args, ctx) {
    const yearText = stringOption(args, "year");
    const year = yearText === undefined ? undefined : Number(yearText);
    if (year !== undefined && !(Number.isInteger(year) && year >= 1900 && year <= 2200)) {
      ctx.effects.log.warn(`build: --year takes a year such as 2025, not \`${yearText}\`.`);
      return 2;
    }
    const engine = stringOption(args, "engine");
    if (engine !== undefined && !isEngineName(engine)) {
      ctx.effects.log.warn(`build: --engine takes ${ENGINE_NAMES.join(" or ")}, not \`${engine}\`.`);
      return 2;
    }
    const threadsText = stringOption(args, "threads");
    const threads = threadsText === undefined ? undefined : Number(threadsText);
    if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1 && threads <= 64)) {
      ctx.effects.log.warn(`build: --threads takes a whole number from 1 to 64, not \`${threadsText}\`.`);
      return 2;
    }
    const only = args.values.only;
    return runBuild(
      {
        project: stringOption(args, "project") ?? ".",
        out: stringOption(args, "out"),
        year,
        only: Array.isArray(only) ? only.map(String) : [],
        engine,
        threads,
        json: flag(args, "json"),
        explain: flag(args, "explain"),
        c2cRoot: ctx.c2cRoot,
        version: ctx.version,
        buildDate: ctx.buildDate,
      },
      ctx.effects,
      ctx.stdout,
      flag(args, "json") ? quietTerminal() : ctx.terminal,
    );
  },
};

function isEngineName(name: string): name is EngineName {
  return (ENGINE_NAMES as readonly string[]).includes(name);
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

function fmt(n: number): string {
  return n.toLocaleString("en-US");
}
