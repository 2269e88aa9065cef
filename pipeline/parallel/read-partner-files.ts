import type { PartialCounts } from "../aggregate/partial-counts.ts";
import type { PartnerFile } from "../discover/discover-files.ts";
import { type Effects, withReadProgress } from "../effects.ts";
import type { EngineName } from "../engine/counting-engine.ts";
import { openEngine } from "../engine/open-engine.ts";
import type { FileResult } from "../file-result.ts";
import type { Project } from "../load/load-project.ts";
import { processPartnerFile } from "../per-file/process-partner-file.ts";
import { processFileInParts, processFilesInParallel, type ReadProgress, workerParts } from "./process-files.ts";
import type { ThreadPlan } from "./thread-plan.ts";
import type { WorkerPool } from "./worker-pool.ts";
import type { ProjectRef } from "./worker-protocol.ts";

/** How a build reads its partner files. */
export interface ReadFilesOptions {
  engine: EngineName;
  plan: ThreadPlan;
  /** The plan's threads (`threadsFor`), or null for one thread; stopped once the files are read. */
  pool: WorkerPool | null;
  ref: ProjectRef;
  onFile?: (result: FileResult) => void;
  onProgress?: ReadProgress;
}

/** Every file's result and counts, in the order of the files, and how many threads read them at most. */
export interface ReadFiles {
  files: FileResult[];
  partials: PartialCounts[];
  threads: number;
}

/**
 * Stages 3 to 7 for every partner file (`processPartnerFile`): several files at once in worker
 * threads, or one after another, a large record-level file in parts across the threads, as the
 * plan says. The results are the same either way.
 */
export async function readPartnerFiles(
  files: readonly PartnerFile[],
  project: Project,
  effects: Effects,
  options: ReadFilesOptions,
): Promise<ReadFiles> {
  const { pool, plan, ref, onFile, onProgress } = options;
  const out: ReadFiles = { files: [], partials: [], threads: 1 };
  try {
    if (pool !== null && plan.acrossFiles) {
      out.threads = Math.min(pool.size, files.length);
      const done = await processFilesInParallel(files, ref, pool, {
        ...(onProgress ? { onProgress } : {}),
        ...(onFile ? { onFile } : {}),
      });
      for (const processed of done) {
        out.files.push(processed.result);
        out.partials.push(processed.partials);
      }
      return out;
    }
    const engine = await openEngine(options.engine);
    try {
      for (const file of files) {
        const inParts =
          pool !== null && plan.split.has(file.path)
            ? await processFileInParts(file, project, workerParts(pool, ref), effects, onProgress ? { onProgress } : {})
            : null;
        if (inParts !== null && pool !== null) out.threads = Math.max(out.threads, pool.size);
        const processed =
          inParts ??
          (await processPartnerFile(file, project, withProgress(effects, file.path, onProgress), { engine }));
        out.files.push(processed.result);
        out.partials.push(processed.partials);
        onFile?.(processed.result);
      }
    } finally {
      await engine.close();
    }
    return out;
  } finally {
    await pool?.terminate();
  }
}

/** Effects whose partner-file streams report how many bytes have been read. */
function withProgress(effects: Effects, rel: string, onProgress: ReadProgress | undefined): Effects {
  return onProgress ? withReadProgress(effects, (read, total, again) => onProgress(rel, read, total, again)) : effects;
}
