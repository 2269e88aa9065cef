import type { Derived } from "./derive/progress.ts";
import type { Discovery } from "./discover/discover-files.ts";
import type { EngineName } from "./engine/counting-engine.ts";
import type { FileResult } from "./file-result.ts";
import type { Project } from "./load/load-project.ts";
import type { IndicatorSummary, Observation } from "./observation.ts";
import type { ReadProgress } from "./parallel/process-files.ts";
import type { ThreadOptions } from "./parallel/thread-plan.ts";
import type { ProtectionResult } from "./protect/protect-cells.ts";
import type { BuildManifest, BuildOutputs } from "./write/write-outputs.ts";

/** What a build (`build.ts`) is given, and what it returns: each stage's result. */

export interface BuildOptions extends ThreadOptions {
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
  /**
   * Where rows are counted (default: the config's `engine`, else `builtin`). `threads`: read up to
   * this many partner files at once, each in a worker thread (default 1); workers read the disk
   * themselves, so only the CLI sets it (see `ThreadOptions`).
   */
  engine?: EngineName;
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
