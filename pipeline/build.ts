/**
 * The c2c build: a partnership's project folder in, a public site and private partner reports out.
 *
 *   project folder ──1 loadProject──▶ Project (config, partners, indicators, schemas)
 *        │
 *        └──2 discoverFiles──▶ PartnerFile[] ──┐  for each file, streamed in chunks:
 *                                              │  3 readPartnerFile → 4 validateRows
 *                                              │  → 5 normalizeRows → 6 count (the engine: builtin
 *                                              │    in memory, or duckdb out of core)
 *                                              ▼
 *                        PartialCounts (merged: counts add) ──6 buildObservations──▶ Observation[]
 *                                              │
 *                        7 deriveObservations (rate, interval at the configured level)
 *                                              │
 *                        8 protectCells (primary + complementary suppression) ──▶ published table
 *                                              │             └─ 7 deriveProgress: changes, progress
 *                                              │                  to targets, gaps (from published only)
 *                        9 renderSite + renderPartnerReports
 *                                              │
 *                       10 writeOutputs (OUT/site public, OUT/private the rest; published whole by one rename)
 *
 * Stages 4 to 9 are pure; every file and console access goes through `effects`. `build` returns
 * each stage's result so tests and `--explain` can inspect them.
 */
import path from "node:path";
import { buildObservations } from "./aggregate/build-observations.ts";
import { combineGroups } from "./aggregate/combined-files.ts";
import { findImplausibleChanges, resolveConflicts } from "./aggregate/cross-checks.ts";
import { mergePartials } from "./aggregate/partial-counts.ts";
import { deriveObservations, summarizeIndicators } from "./derive/derive-observations.ts";
import { zForLevel } from "./derive/normal.ts";
import { type Derived, deriveProgress } from "./derive/progress.ts";
import {
  type Discovery,
  dataFileStats,
  discoverFiles,
  listDataFolder,
  type PartnerFile,
  type RefusedEntry,
  timesOf,
} from "./discover/discover-files.ts";
import { confinedTo, type Effects, withReadProgress } from "./effects.ts";
import type { EngineName } from "./engine/counting-engine.ts";
import { openEngine } from "./engine/open-engine.ts";
import type { FileResult } from "./file-result.ts";
import type { Issue } from "./issues/catalogue.ts";
import { loadProject, type Project } from "./load/load-project.ts";
import { onlyIndicators } from "./load/only-indicators.ts";
import { type IndicatorSummary, type Observation, sortObservations } from "./observation.ts";
import {
  processFileInParts,
  processFilesInParallel,
  type ReadProgress,
  workerParts,
} from "./parallel/process-files.ts";
import {
  PARALLEL_MIN_BYTES,
  SPLIT_MIN_BYTES,
  takeEarlyPool,
  WorkerPool,
  wantsThreads,
} from "./parallel/worker-pool.ts";
import type { ProjectRef } from "./parallel/worker-protocol.ts";
import { takeOutCombinedRepeats } from "./per-file/combined-repeats.ts";
import { processPartnerFile } from "./per-file/process-partner-file.ts";
import { loadRangeSolver } from "./protect/integer-ranges.ts";
import { minimumCountFor, type ProtectionResult, protectCells } from "./protect/protect-cells.ts";
import { renderPartnerReports } from "./render/render-partner-reports.ts";
import { loadBoundaries } from "./render/site/load-boundaries.ts";
import { loadSiteAssets } from "./render/site/load-site-assets.ts";
import { explainTables } from "./write/explain-tables.ts";
import { PUBLIC_MANIFEST } from "./write/output-layout.ts";
import {
  type BuildManifest,
  type BuildOutputs,
  makeManifest,
  privateOutputs,
  publicManifestJson,
  writeOutputs,
} from "./write/write-outputs.ts";

export { UnknownIndicatorError } from "./load/only-indicators.ts";

export interface BuildOptions {
  projectDir: string;
  outDir: string;
  /** c2c's own folder (templates, default catalog, schemas). */
  c2cRoot: string;
  version: string;
  /** `YYYY-MM-DD`; from SOURCE_DATE_EPOCH or the clock, chosen by the caller. */
  buildDate: string;
  /** Off only to prove the privacy audit can fail. */
  complementarySuppression?: boolean;
  /** Off only to prove the privacy audit can fail: protect each indicator as if no other related to it. */
  relatedProtection?: boolean;
  /** Render and return the outputs without writing them. */
  dryRun?: boolean;
  /** Also write each stage's tables to `OUT/private/explain/` (private: unsuppressed). */
  explain?: boolean;
  /** Publish only through this year (default: the config's `reportingYear`, else the latest with data). */
  reportingYear?: number;
  /** Where rows are counted (default: the config's `engine`, else `builtin`). */
  engine?: EngineName;
  /**
   * Read up to this many partner files at once, each in a worker thread (default 1). Workers read
   * the disk themselves, so only the CLI sets it; used with the builtin engine when the files are
   * large enough to pay for the threads (`parallelMinBytes`, default 32 MiB in all).
   */
  threads?: number;
  parallelMinBytes?: number;
  /** A record-level file at least this large is read in parts, one per thread (default 16 MiB). */
  splitMinBytes?: number;
  /** Build only these indicators (ids); the others are left out of the site. */
  only?: readonly string[];
  /** Told after each file is processed. */
  onFile?: (result: FileResult) => void;
  /** Told as a file's bytes are read, for a progress bar; `again` for a second reading of them. */
  onProgress?: ReadProgress;
}

export interface BuildResult {
  project: Project;
  discovery: Discovery;
  files: FileResult[];
  /** The full table before protection: private, never written to the site. */
  observations: Observation[];
  protection: ProtectionResult;
  summaries: IndicatorSummary[];
  /** Changes, progress to targets, gaps and the headline: what the site says about the numbers. */
  derived: Derived;
  reportingYear: number | null;
  site: Map<string, string | Uint8Array>;
  partnerReports: Map<string, { html: string; json: string }>;
  /** What was (or, with `dryRun`, would be) written: the site and `OUT/private/`, but build.json. */
  outputs: BuildOutputs;
  manifest: BuildManifest;
  /** How many threads read the partner files: 1, or the worker threads that read files, or parts of one, at once. */
  threads: number;
  /** How long protection and its exact audit took, for the summary (never written to out/). */
  protectSeconds: number;
}

export async function build(options: BuildOptions, given: Effects): Promise<BuildResult> {
  const root = path.resolve(options.projectDir);
  // Nothing outside the project is read as the project's: links that leave it are refused.
  const effects = confinedTo(root, given);
  const listing = await listDataFolder(root, effects);
  const dataFiles = listing.paths;
  const stats = await dataFileStats(root, dataFiles, effects);
  // Large partner files are read by worker threads: they start now, loading the project as this thread does.
  const ref = {
    root,
    c2cRoot: path.resolve(options.c2cRoot),
    only: options.only ? [...options.only] : [],
    limits: effects.readLimits,
  };
  const pool = await startPool(stats, ref, options);
  try {
    return await buildWith(options, effects, dataFiles, listing.refused, stats, ref, pool);
  } finally {
    await pool?.terminate();
  }
}

async function buildWith(
  options: BuildOptions,
  effects: Effects,
  dataFiles: string[],
  refused: readonly RefusedEntry[],
  stats: ReadonlyMap<string, { size: number; modifiedMs: number }>,
  ref: ProjectRef,
  started: WorkerPool | null,
): Promise<BuildResult> {
  const root = ref.root;
  // The privacy audit's solver compiles while the files are read.
  const solver = loadRangeSolver();
  // Awaited at stage 8; a build that stops before then must not leave its failure unhandled.
  solver.catch(() => undefined);
  // 1. load config
  const project = onlyIndicators(await loadProject(root, options.c2cRoot, effects), options.only);
  // 2. discover
  const discovery = discoverFiles(dataFiles, project, timesOf(stats), refused);
  // 3–6. read, validate, normalize, aggregate each file as it streams
  const files: FileResult[] = [];
  const partials = [];
  const engineName = options.engine ?? project.config.engine ?? "builtin";
  const plan = threadPlan(discovery.files, engineName, options, project, stats);
  let threads = 1;
  const pool = plan.threads > 1 ? (started ?? warmed(new WorkerPool(plan.threads), ref)) : null;
  if (pool === null) await started?.terminate();
  // This thread waits while the workers read: it loads the chart libraries meanwhile.
  const rendering = pool !== null ? import("./render/site/render-site.ts") : null;
  try {
    if (pool !== null && plan.acrossFiles) {
      threads = Math.min(pool.size, discovery.files.length);
      const done = await processFilesInParallel(discovery.files, ref, pool, {
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        ...(options.onFile ? { onFile: options.onFile } : {}),
      });
      for (const processed of done) {
        files.push(processed.result);
        partials.push(processed.partials);
      }
    } else {
      const engine = await openEngine(engineName);
      try {
        for (const file of discovery.files) {
          const inParts =
            pool !== null && plan.split.has(file.path)
              ? await processFileInParts(
                  file,
                  project,
                  workerParts(pool, ref),
                  effects,
                  options.onProgress ? { onProgress: options.onProgress } : {},
                )
              : null;
          if (inParts !== null) threads = Math.max(threads, (pool as WorkerPool).size);
          const processed =
            inParts ?? (await processPartnerFile(file, project, withProgress(effects, file.path, options), { engine }));
          files.push(processed.result);
          partials.push(processed.partials);
          options.onFile?.(processed.result);
        }
      } finally {
        await engine.close();
      }
    }
  } finally {
    await pool?.terminate();
  }
  // 5. the files of a combined extract (a district's schools) are one file: a row one repeats from another counts once
  await takeOutCombinedRepeats(discovery.files, files, partials, project, effects, options.onProgress);
  // 6. roll the partial counts up into the observation table, after the cross-file checks: a cell sent twice is settled by precedence or withheld, never last-write-wins; combined files add up
  const resolved = resolveConflicts(
    mergePartials(partials),
    project.indicators,
    project.precedence,
    combineGroups(discovery.files),
  );
  const all = buildObservations(resolved.partials, project.config);
  attachIssues(files, [
    ...resolved.issues,
    ...findImplausibleChanges(all, project.indicators, project.config.checks.changeFactor),
  ]);
  const reportingYear =
    options.reportingYear ??
    project.config.reportingYear ??
    (all.length > 0 ? Math.max(...all.map((o) => o.year)) : null);
  const inRange = sortObservations(all.filter((o) => reportingYear === null || o.year <= reportingYear));
  // 7. derive rates and intervals
  const z = zForLevel(project.config.statistics.confidenceLevel);
  const observations = deriveObservations(inRange, z);
  // 8. protect, and prove it with the exact audit
  const protecting = performance.now();
  const protection = protectCells(observations, project.indicators, project.config, {
    solver: await solver,
    complementary: options.complementarySuppression !== false,
    related: options.relatedProtection !== false,
  });
  const protectSeconds = (performance.now() - protecting) / 1000;
  // 7. progress, changes and gaps, from the published table only
  const derived = deriveProgress(project.indicators, protection.published, {
    z,
    gapReference: project.config.statistics.gapReference,
  });
  const summaries = summarizeIndicators(project.indicators, protection.published, derived);
  // 9. render
  const assets = await loadSiteAssets(effects, options.c2cRoot);
  // Loaded here, not at start: the chart libraries take a quarter second that `c2c check` and the
  // other commands do not need.
  const { renderSite } = await (rendering ?? import("./render/site/render-site.ts"));
  const site = await renderSite(
    {
      config: project.config,
      indicators: project.indicators,
      observations: protection.published,
      summaries,
      derived,
      vocabularies: project.vocabularies,
      partners: project.partners,
      buildDate: options.buildDate,
      version: options.version,
      minimumCount: Math.min(...project.indicators.map((i) => minimumCountFor(i, project.config))),
      privacy: {
        relations: protection.relations.map(({ left, right, yearOffset }) => ({ left, right, yearOffset })),
        checkedCells: protection.audit.cells,
      },
      boundaries: await loadBoundaries(root, project.config, effects),
    },
    assets,
  );
  const partnerReports = await renderPartnerReports(project, discovery, files, options, effects);
  site.set(
    PUBLIC_MANIFEST,
    publicManifestJson(site, {
      c2c: { version: options.version },
      buildDate: options.buildDate,
      partnership: project.config.partnership.name,
      configHash: project.configHash,
      reportingYear,
    }),
  );
  const explain = options.explain ? explainTables({ project, discovery, files, observations, protection }) : undefined;
  const outputs: BuildOutputs = { site, private: privateOutputs(partnerReports, explain) };
  const manifest = makeManifest({ project, files, discovery, protection, stamp: options, reportingYear, outputs });
  // 10. write
  if (!options.dryRun) await writeOutputs(path.resolve(options.outDir), outputs, manifest, effects);
  return {
    project,
    discovery,
    files,
    observations,
    protection,
    summaries,
    derived,
    reportingYear,
    site,
    partnerReports,
    outputs,
    manifest,
    threads,
    protectSeconds,
  };
}

/**
 * How to use threads (`threads` > 1, which only the CLI sets, as workers read the disk themselves;
 * the builtin engine only). Several files that share the bytes (none holds much more than its share)
 * are read at once, a file to a thread, when they hold enough to pay for starting the threads. A
 * file of record-level rows (not reshaped from an agency's layout) that is large is read in parts,
 * one per thread. Otherwise, one thread.
 */
function threadPlan(
  files: readonly PartnerFile[],
  engine: EngineName,
  options: BuildOptions,
  project: Project,
  stats: ReadonlyMap<string, { size: number }>,
): { threads: number; acrossFiles: boolean; split: Set<string> } {
  const wanted = options.threads ?? 1;
  const one = { threads: 1, acrossFiles: false, split: new Set<string>() };
  if (wanted < 2 || engine !== "builtin" || files.length === 0) return one;
  const sizes = new Map(files.map((f) => [f.path, stats.get(f.path)?.size ?? 0]));
  const total = [...sizes.values()].reduce((a, b) => a + b, 0);
  const largest = Math.max(...sizes.values());
  const threads = Math.min(wanted, Math.max(2, files.length));
  if (
    files.length >= 2 &&
    total >= (options.parallelMinBytes ?? PARALLEL_MIN_BYTES) &&
    largest * threads <= total * 1.5
  )
    return { threads: Math.min(wanted, files.length), acrossFiles: true, split: new Set() };
  const split = new Set(
    files
      .filter(
        (f) =>
          (sizes.get(f.path) ?? 0) >= (options.splitMinBytes ?? SPLIT_MIN_BYTES) &&
          !f.extract.mapping &&
          project.extracts.get(f.extract.schema)?.kind === "record",
      )
      .map((f) => f.path),
  );
  return split.size > 0 ? { threads: wanted, acrossFiles: false, split } : one;
}

/**
 * Worker threads for a build whose partner files are large enough to be read in threads (see
 * `threadPlan`), started before the project is loaded: each loads it too, meanwhile. The CLI may
 * have started them already (`startEarlyPool`). Null otherwise.
 */
async function startPool(
  stats: ReadonlyMap<string, { size: number }>,
  ref: ProjectRef,
  options: BuildOptions,
): Promise<WorkerPool | null> {
  const threads = options.threads ?? 1;
  const early = await takeEarlyPool(ref, threads);
  let total = 0;
  for (const s of stats.values()) total += s.size;
  if (!wantsThreads(threads, options.engine, total, options)) {
    await early?.terminate();
    return null;
  }
  return early ?? warmed(new WorkerPool(threads), ref);
}

function warmed(pool: WorkerPool, ref: ProjectRef): WorkerPool {
  pool.warm(ref);
  return pool;
}

/** Effects whose partner-file streams report how many bytes have been read. */
function withProgress(effects: Effects, rel: string, options: BuildOptions): Effects {
  const onProgress = options.onProgress;
  return onProgress ? withReadProgress(effects, (read, total, again) => onProgress(rel, read, total, again)) : effects;
}

/** Adds cross-file findings to the results of the files they concern, so partner reports show them. */
function attachIssues(files: FileResult[], issues: readonly Issue[]): void {
  for (const issue of issues) {
    const file = files.find((f) => f.path === issue.file);
    if (file) file.issues.push(issue);
  }
}
