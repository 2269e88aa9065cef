import type { PartnerFile } from "../discover/discover-files.ts";
import type { EngineName } from "../engine/counting-engine.ts";
import type { Project } from "../load/load-project.ts";
import type { StartedThreads } from "./started-threads.ts";
import { PARALLEL_MIN_BYTES, SPLIT_MIN_BYTES, WorkerPool, wantsThreads } from "./worker-pool.ts";
import type { ProjectRef } from "./worker-protocol.ts";

/** What a build asks of its threads. */
export interface ThreadOptions {
  /** Partner files read at once, each in a worker thread (default 1: no threads). */
  threads?: number;
  /** The engine the command line asks for (threads serve the builtin engine only). */
  engine?: EngineName;
  /** Partner files of at least this many bytes in all are read at once (default 32 MiB). */
  parallelMinBytes?: number;
  /** A record-level file at least this large is read in parts, one per thread (default 16 MiB). */
  splitMinBytes?: number;
  /** Worker threads the caller started already (the CLI, before it loaded c2c). */
  started?: StartedThreads | null;
}

/** How a build's partner files are read: across files (a file to a thread), some in parts, or in one thread. */
export interface ThreadPlan {
  threads: number;
  acrossFiles: boolean;
  /** The files read in parts. */
  split: Set<string>;
}

/**
 * How to use threads (`threads` > 1, which only the CLI sets, as workers read the disk themselves;
 * the builtin engine only). Several files that share the bytes (none holds much more than its share)
 * are read at once, a file to a thread, when they hold enough to pay for starting the threads. A
 * file of record-level rows (not reshaped from an agency's layout) that is large is read in parts,
 * one per thread. Otherwise, one thread.
 */
export function planThreads(
  files: readonly PartnerFile[],
  engine: EngineName,
  options: ThreadOptions,
  project: Project,
  stats: ReadonlyMap<string, { size: number }>,
): ThreadPlan {
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
 * `planThreads`), started before the project is loaded: each loads it too, meanwhile. The caller
 * may have started them already (`options.started`). Null otherwise.
 */
export async function startThreads(
  stats: ReadonlyMap<string, { size: number }>,
  ref: ProjectRef,
  options: ThreadOptions,
): Promise<WorkerPool | null> {
  const threads = options.threads ?? 1;
  const early = (await options.started?.take(ref, threads)) ?? null;
  let total = 0;
  for (const s of stats.values()) total += s.size;
  if (!wantsThreads(threads, options.engine, total, options)) {
    await early?.terminate();
    return null;
  }
  return early ?? warmed(new WorkerPool(threads), ref);
}

/**
 * The threads a plan reads with: those started (`startThreads`), or new ones where the plan wants
 * threads and none were started; null for one thread (any started are stopped).
 */
export async function threadsFor(
  plan: ThreadPlan,
  started: WorkerPool | null,
  ref: ProjectRef,
): Promise<WorkerPool | null> {
  if (plan.threads > 1) return started ?? warmed(new WorkerPool(plan.threads), ref);
  await started?.terminate();
  return null;
}

function warmed(pool: WorkerPool, ref: ProjectRef): WorkerPool {
  pool.warm(ref);
  return pool;
}
