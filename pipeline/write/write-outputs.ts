import { createHash } from "node:crypto";
import type { BuildOptions } from "../build.ts";
import type { Discovery } from "../discover/discover-files.ts";
import type { Effects } from "../effects.ts";
import type { FileResult } from "../file-result.ts";
import { countSeverity, occurrences } from "../issues/catalogue.ts";
import type { Project } from "../load/load-project.ts";
import { observationKey } from "../observation.ts";
import type { ProtectionResult } from "../protect/protect-cells.ts";

/** `out/build.json`: what went in, what came out, and how many of each. */
export interface BuildManifest {
  c2c: { version: string };
  buildDate: string;
  partnership: string;
  configHash: string;
  reportingYear: number | null;
  inputs: { path: string; partner: string; schema: string | null; bytes: number; sha256: string }[];
  /** Every file written under `site/` and `partners/`, by path in `out/`, in code-point order (build.json itself not). */
  outputs: { path: string; bytes: number; sha256: string }[];
  counts: {
    files: number;
    rowsRead: number;
    rowsAccepted: number;
    rowsRejected: number;
    cells: number;
    cellsPublished: number;
    suppressedPrimary: number;
    suppressedComplementary: number;
    /** Hidden because the exact audit found that a reader combining every table could still narrow a hidden cell. */
    suppressedAudit: number;
    /** Hidden because the policy hides rates on few people (`privacy.reliability.action: hide`). */
    suppressedReliability: number;
    /** Cells shown only as "<5%" or ">95%" with their denominator (top and bottom coding). */
    coded: number;
    /** Published with a caution: rates on few people. */
    lowReliability: number;
    sourceSuppressed: number;
    incomplete: number;
  };
  issues: { errors: number; warnings: number; info: number; byCode: Record<string, number> };
  /** What the exact audit proved of the published tables, and the relations between indicators it held them to. */
  privacy: {
    hiddenCellsChecked: number;
    hiddenCountsChecked: number;
    auditRounds: number;
    /** The narrowest range a reader can give a hidden count that could be below its indicator's minimum. */
    narrowest: { cell: string; count: string; lo: number; hi: number } | null;
    relations: {
      left: string;
      right: string;
      yearOffset: number;
      origin: string;
      /** Cells where both counts are known, and how many agree. */
      compared: number;
      agreeing: number;
    }[];
  };
}

export function makeManifest(input: {
  project: Project;
  files: FileResult[];
  discovery: Discovery;
  protection: ProtectionResult;
  options: BuildOptions;
  reportingYear: number | null;
  site: ReadonlyMap<string, string | Uint8Array>;
  partnerReports: ReadonlyMap<string, { html: string; json: string }>;
}): BuildManifest {
  const { project, files, discovery, protection } = input;
  const issues = [...discovery.issues, ...files.flatMap((f) => f.issues)];
  const byCode: Record<string, number> = {};
  for (const i of [...issues].sort((a, b) => (a.code < b.code ? -1 : 1)))
    byCode[i.code] = (byCode[i.code] ?? 0) + occurrences(i);
  const reasons = [...protection.hidden.values()];
  const published = protection.published;
  return {
    c2c: { version: input.options.version },
    buildDate: input.options.buildDate,
    partnership: project.config.partnership.name,
    configHash: project.configHash,
    reportingYear: input.reportingYear,
    inputs: files.map((f) => ({
      path: f.path,
      partner: f.partner,
      schema: f.schema,
      bytes: f.bytes,
      sha256: f.sha256,
    })),
    outputs: outputFiles(input.site, input.partnerReports).map(([path, content]) => ({
      path,
      bytes: typeof content === "string" ? Buffer.byteLength(content) : content.length,
      sha256: sha256Of(content),
    })),
    counts: {
      files: files.length,
      rowsRead: sum(files.map((f) => f.rowsRead)),
      rowsAccepted: sum(files.map((f) => f.rowsAccepted)),
      rowsRejected: sum(files.map((f) => f.rowsRejected)),
      cells: published.length,
      cellsPublished: published.filter((o) => o.value !== null).length,
      suppressedPrimary: reasons.filter((r) => r === "primary").length,
      suppressedComplementary: reasons.filter((r) => r === "complementary").length,
      suppressedAudit: reasons.filter((r) => r === "audit").length,
      suppressedReliability: reasons.filter((r) => r === "reliability").length,
      coded: published.filter((o) => o.flag === "bottom-coded" || o.flag === "top-coded").length,
      lowReliability: published.filter((o) => o.flag === "low-reliability").length,
      sourceSuppressed: published.filter((o) => o.flag === "source-suppressed").length,
      incomplete: published.filter((o) => o.flag === "incomplete").length,
    },
    privacy: {
      hiddenCellsChecked: protection.audit.cells,
      hiddenCountsChecked: protection.audit.counts,
      auditRounds: protection.audit.rounds,
      narrowest: protection.audit.narrowest && {
        cell: observationKey(protection.audit.narrowest.cell),
        count: protection.audit.narrowest.count,
        lo: protection.audit.narrowest.lo,
        hi: protection.audit.narrowest.hi,
      },
      relations: protection.relations.map((r) => ({
        left: `${r.left.indicator}.${r.left.count}`,
        right: `${r.right.indicator}.${r.right.count}`,
        yearOffset: r.yearOffset,
        origin: r.origin,
        compared: r.compared,
        agreeing: r.agreeing,
      })),
    },
    issues: {
      errors: countSeverity(issues, "error"),
      warnings: countSeverity(issues, "warning"),
      info: countSeverity(issues, "info"),
      byCode,
    },
  };
}

/** Inside `out/`, so the swap never crosses file systems. */
const STAGING = ".c2c-staging";
/** The staging folder once complete: from the moment it has this name, the next build finishes the swap. */
const READY = ".c2c-ready";
/** The previous outputs while they are being replaced. */
const RETIRED = ".c2c-retired";
/** What a build replaces in `out/`, build.json last: while `READY/build.json` exists the swap is unfinished. */
const SWAPPED = ["site", "partners", "build.json"] as const;

/**
 * Stage 10: writes the site, the partner reports and the manifest into `out/.c2c-staging/`, marks
 * it complete by renaming it to `.c2c-ready`, then swaps each of `site`, `partners` and
 * `build.json` in with two renames (old out, new in).
 *
 * A build stopped at any moment leaves either the old outputs, or a complete `.c2c-ready` that the
 * next build swaps in first (`recoverOutputs`); never a half-written site. POSIX cannot replace a
 * non-empty folder in one step, so between the two renames of `site` (microseconds) a reader finds
 * no `out/site/` at all, never a partial one. `site` stays a real folder, not a symlink to swap,
 * because publishing tools (cp -r, rsync, git) copy a symlink as a link.
 * Every build writes all three: the site has an index page and every partner gets a report.
 */
export async function writeOutputs(
  outDir: string,
  site: ReadonlyMap<string, string | Uint8Array>,
  partnerReports: ReadonlyMap<string, { html: string; json: string }>,
  manifest: BuildManifest,
  effects: Effects,
): Promise<void> {
  await recoverOutputs(outDir, effects);
  const staging = `${outDir}/${STAGING}`;
  for (const [p, content] of outputFiles(site, partnerReports)) await effects.writeFile(`${staging}/${p}`, content);
  await effects.writeFile(`${staging}/build.json`, manifestJson(manifest));
  await effects.rename(staging, `${outDir}/${READY}`);
  await swapReady(outDir, effects);
}

/**
 * Puts `out/` right after a build that was stopped while writing: a complete `.c2c-ready` is
 * swapped in (it is a whole, checked build), a half-written `.c2c-staging` and a leftover
 * `.c2c-retired` are removed. Returns what it did, for the log; empty when there was nothing to do.
 */
export async function recoverOutputs(outDir: string, effects: Effects): Promise<string[]> {
  const notes: string[] = [];
  if (await effects.exists(`${outDir}/${READY}`)) {
    await swapReady(outDir, effects);
    notes.push(`finished swapping in the outputs of an interrupted build (${outDir}/${READY})`);
  }
  for (const leftover of [STAGING, RETIRED]) {
    if (!(await effects.exists(`${outDir}/${leftover}`))) continue;
    await effects.remove(`${outDir}/${leftover}`);
    notes.push(`removed ${outDir}/${leftover}, left by an interrupted build`);
  }
  for (const note of notes) effects.log.info(`c2c: ${note}.`);
  return notes;
}

/** Whether `out/` holds the leftovers of an interrupted build (see `recoverOutputs`). */
export async function interruptedOutputs(outDir: string, effects: Effects): Promise<string[]> {
  const found: string[] = [];
  for (const leftover of [READY, STAGING, RETIRED])
    if (await effects.exists(`${outDir}/${leftover}`)) found.push(`${outDir}/${leftover}`);
  return found;
}

/** Moves each output from `.c2c-ready` into `out/`, retiring the old one; safe to run again after a kill. */
async function swapReady(outDir: string, effects: Effects): Promise<void> {
  const ready = `${outDir}/${READY}`;
  const retired = `${outDir}/${RETIRED}`;
  for (const name of SWAPPED) {
    // Absent: swapped in before the interruption.
    if (!(await effects.exists(`${ready}/${name}`))) continue;
    if (await effects.exists(`${outDir}/${name}`)) {
      await effects.remove(`${retired}/${name}`);
      await effects.rename(`${outDir}/${name}`, `${retired}/${name}`);
    }
    await effects.rename(`${ready}/${name}`, `${outDir}/${name}`);
  }
  await effects.remove(ready);
  await effects.remove(retired);
}

/** Every file of the site and the partner reports, by its path in `out/`, in code-point order. */
export function outputFiles(
  site: ReadonlyMap<string, string | Uint8Array>,
  partnerReports: ReadonlyMap<string, { html: string; json: string }>,
): [string, string | Uint8Array][] {
  const files: [string, string | Uint8Array][] = [...site.entries()].map(([p, c]) => [`site/${p}`, c]);
  for (const [partner, report] of partnerReports) {
    files.push([`partners/${partner}/report.html`, report.html]);
    files.push([`partners/${partner}/report.json`, report.json]);
  }
  return files.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** `build.json` as written: two-space JSON and a final newline. */
export function manifestJson(manifest: BuildManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** The sha256 of a file's bytes, as hex. */
export function sha256Of(content: string | Uint8Array): string {
  return createHash("sha256").update(content).digest("hex");
}

function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}
