import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { FromWorker, ProjectRef, ToWorker } from "./worker-protocol.ts";

/*
 * The worker threads that read partner files, apart from the reading itself: this module loads
 * nothing of the pipeline, so the CLI can start the threads before it loads the rest of c2c.
 */

/** Below this many bytes of partner files in all, starting threads costs more than it saves. */
export const PARALLEL_MIN_BYTES = 32 << 20;
/** Below this many bytes, a file is read in one thread: splitting it costs more than it saves. */
export const SPLIT_MIN_BYTES = 16 << 20;

/** How many files to read at once: one per core, at most `limit`. */
export function workerCount(limit: number): number {
  return Math.max(1, Math.min(limit, availableParallelism()));
}

/**
 * Worker threads running `file-worker.js`, kept for a build. Each runs one job at a time; what a
 * worker says goes to the handler of the job it names. Runs from the compiled `dist/` only.
 */
export class WorkerPool {
  private readonly workers: Worker[];
  private readonly handlers = new Map<number, { onMessage: (m: FromWorker) => void; onError: (e: Error) => void }>();
  private nextId = 0;

  constructor(size: number) {
    this.workers = Array.from({ length: size }, () => {
      // A smaller young generation than V8's default: rows die young, and every thread has its own.
      const worker = new Worker(new URL("./file-worker.js", import.meta.url), {
        resourceLimits: { maxYoungGenerationSizeMb: 16 },
      });
      worker.on("message", (m: FromWorker) => this.handlers.get(m.id)?.onMessage(m));
      worker.on("error", (e) => {
        for (const h of this.handlers.values()) h.onError(e);
      });
      return worker;
    });
  }

  get size(): number {
    return this.workers.length;
  }

  /** A new job id, and a handler for what the worker says about that job. */
  open(onMessage: (m: FromWorker) => void, onError: (e: Error) => void): number {
    const id = this.nextId++;
    this.handlers.set(id, { onMessage, onError });
    return id;
  }

  close(id: number): void {
    this.handlers.delete(id);
  }

  /** Has every worker load the project now, before it is given a file. */
  warm(project: ProjectRef): void {
    for (const worker of this.workers) worker.postMessage({ type: "load", ...project } satisfies ToWorker);
  }

  post(worker: number, message: ToWorker): void {
    (this.workers[worker] as Worker).postMessage(message);
  }

  async terminate(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/**
 * Whether a build reads its partner files in worker threads, as far as can be told before the
 * project is loaded: two threads or more, the builtin engine, and partner files of at least the
 * smallest size that pays for threads (a large file read in parts, or several files at once).
 */
export function wantsThreads(
  threads: number,
  engine: string | undefined,
  dataBytes: number,
  sizes: { splitMinBytes?: number | undefined; parallelMinBytes?: number | undefined } = {},
): boolean {
  const enough = Math.min(sizes.splitMinBytes ?? SPLIT_MIN_BYTES, sizes.parallelMinBytes ?? PARALLEL_MIN_BYTES);
  return threads >= 2 && engine !== "duckdb" && dataBytes >= enough;
}
