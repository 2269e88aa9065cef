/**
 * The c2c build: a partnership's project folder in, a public site and private partner reports out.
 *
 *   project folder ──1 load──▶ Project (config, partners, indicators, schemas)
 *        │
 *        └──2 discover──▶ PartnerFile[] ──┐  each file as it streams, in chunks (per-file/):
 *                                         │  3 read → 4 reshape (a mapped file) → 5 validate
 *                                         │  → 6 normalize → 7 count (the engine: builtin in
 *                                         │    memory, or duckdb out of core); files in worker
 *                                         │    threads where they are large (parallel/)
 *                                         ▼
 *        PartialCounts per file ──8 aggregate──▶ Observation[] (combined files' repeats taken out,
 *                                         │      cells sent twice settled, counts added up)
 *                       9 derive (rate, interval at the configured level)
 *                                         │
 *                      10 protect (primary + complementary suppression, the exact audit) ──▶ published
 *                                         │
 *                      11 progress (changes, progress to targets, gaps: from the published table only)
 *                                         │
 *                      12 render (the site, the partner reports)
 *                                         │
 *                      13 write (OUT/site public, OUT/private the rest; published whole by one rename)
 *
 * Stages 5 to 12 are pure; every file and console access goes through `effects`. `build` returns
 * each stage's result so tests and `--explain` can inspect them.
 */
import path from "node:path";
import { buildObservations } from "./aggregate/build-observations.ts";
import { combineGroups } from "./aggregate/combined-files.ts";
import { findImplausibleChanges, resolveConflicts } from "./aggregate/cross-checks.ts";
import { mergePartials } from "./aggregate/partial-counts.ts";
import type { BuildOptions, BuildResult } from "./build-contract.ts";
import { deriveObservations, summarizeIndicators } from "./derive/derive-observations.ts";
import { zForLevel } from "./derive/normal.ts";
import { deriveProgress } from "./derive/progress.ts";
import { dataFileStats, discoverFiles, listDataFolder } from "./discover/discover-files.ts";
import { confinedTo, type Effects } from "./effects.ts";
import type { FileResult } from "./file-result.ts";
import type { Issue } from "./issues/catalogue.ts";
import { loadProject } from "./load/load-project.ts";
import { onlyIndicators } from "./load/only-indicators.ts";
import { sortObservations } from "./observation.ts";
import { readPartnerFiles } from "./parallel/read-partner-files.ts";
import { planThreads, startThreads, threadsFor } from "./parallel/thread-plan.ts";
import { takeOutCombinedRepeats } from "./per-file/combined-repeats.ts";
import { loadRangeSolver } from "./protect/integer-ranges.ts";
import { protectCells, smallestMinimumCount } from "./protect/protect-cells.ts";
import { renderPartnerReports } from "./render/render-partner-reports.ts";
import { loadBoundaries } from "./render/site/load-boundaries.ts";
import { loadSiteAssets } from "./render/site/load-site-assets.ts";
import { explainTables } from "./write/explain-tables.ts";
import { PUBLIC_MANIFEST } from "./write/output-layout.ts";
import {
  type BuildOutputs,
  makeManifest,
  privateOutputs,
  publicManifestJson,
  writeOutputs,
} from "./write/write-outputs.ts";

export type { BuildOptions, BuildResult } from "./build-contract.ts";
export { UnknownIndicatorError } from "./load/only-indicators.ts";

/** Runs the build (the stages above) for a project folder; writes `OUT/` unless `dryRun`. */
export async function build(options: BuildOptions, given: Effects): Promise<BuildResult> {
  const root = path.resolve(options.projectDir);
  // Nothing outside the project is read as the project's: links that leave it are refused.
  const effects = confinedTo(root, given);
  const listing = await listDataFolder(root, effects);
  const stats = await dataFileStats(root, listing.paths, effects);
  // Large partner files are read by worker threads: they start now, loading the project as this thread does.
  const ref = {
    root,
    c2cRoot: path.resolve(options.c2cRoot),
    only: [...(options.only ?? [])],
    limits: effects.readLimits,
  };
  const started = await startThreads(stats, ref, options);
  // The privacy audit's solver compiles while the files are read; a build that stops before
  // stage 10 must not leave its failure unhandled.
  const solver = loadRangeSolver();
  solver.catch(() => undefined);
  try {
    // 1. load
    const project = onlyIndicators(await loadProject(root, options.c2cRoot, effects), options.only);
    // 2. discover
    const discovery = discoverFiles(listing.paths, project, listing.refused);
    // 3–7. read, reshape, validate, normalize and count each file as it streams
    const engine = options.engine ?? project.config.engine ?? "builtin";
    const plan = planThreads(discovery.files, engine, options, project, stats);
    const pool = await threadsFor(plan, started, ref);
    // This thread waits while the workers read: it loads the chart libraries meanwhile.
    const rendering = pool !== null ? import("./render/site/render-site.ts") : null;
    const read = await readPartnerFiles(discovery.files, project, effects, {
      engine,
      plan,
      pool,
      ref,
      ...(options.onFile ? { onFile: options.onFile } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    const { files, partials } = read;
    // 8. aggregate: a combined extract's files (a district's schools) are one file, whose rows
    // repeat each other only once; a cell sent twice is settled by precedence or withheld, never
    // last-write-wins; then the partial counts roll up into the observation table
    await takeOutCombinedRepeats(discovery.files, files, partials, project, effects, options.onProgress);
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
    // 9. derive rates and intervals
    const z = zForLevel(project.config.statistics.confidenceLevel);
    const observations = deriveObservations(inRange, z);
    // 10. protect, and prove it with the exact audit
    const protecting = performance.now();
    const protection = protectCells(observations, project.indicators, project.config, {
      solver: await solver,
      complementary: options.complementarySuppression !== false,
      related: options.relatedProtection !== false,
    });
    const protectSeconds = (performance.now() - protecting) / 1000;
    // 11. progress, changes and gaps, from the published table only
    const derived = deriveProgress(project.indicators, protection.published, {
      z,
      gapReference: project.config.statistics.gapReference,
    });
    const summaries = summarizeIndicators(project.indicators, protection.published, derived);
    // 12. render; the chart libraries load here, not at start: they take a quarter second that
    // `c2c check` and the other commands do not need
    const assets = await loadSiteAssets(effects, options.c2cRoot);
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
        minimumCount: smallestMinimumCount(project.indicators, project.config),
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
    const explain = options.explain
      ? explainTables({ project, discovery, files, observations, protection })
      : undefined;
    const outputs: BuildOutputs = { site, private: privateOutputs(partnerReports, explain) };
    const manifest = makeManifest({ project, files, discovery, protection, stamp: options, reportingYear, outputs });
    // 13. write
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
      threads: read.threads,
      protectSeconds,
    };
  } finally {
    await started?.terminate();
  }
}

/** Adds cross-file findings to the results of the files they concern, so partner reports show them. */
function attachIssues(files: FileResult[], issues: readonly Issue[]): void {
  for (const issue of issues) {
    const file = files.find((f) => f.path === issue.file);
    if (file) file.issues.push(issue);
  }
}
