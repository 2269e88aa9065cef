import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { type PartialCounts, partialTable } from "../aggregate/partial-counts.ts";
import type { PartnerFile } from "../discover/discover-files.ts";
import type { FileResult } from "../file-result.ts";
import type { FileJob, FromWorker } from "./worker-protocol.ts";

/** Below this many bytes of partner files in all, starting threads costs more than it saves. */
export const PARALLEL_MIN_BYTES = 32 << 20;

/** How many files to read at once: one per core, at most `limit`. */
export function workerCount(limit: number): number {
  return Math.max(1, Math.min(limit, availableParallelism()));
}

/**
 * Stages 3 to 6 for several partner files at once, each whole file in a worker thread of its own
 * (a file streams through one thread, so its rows stay in line order). Results come back in the
 * order the files were given, whatever order they finish in. Runs from the compiled `dist/` only.
 */
export async function processFilesInParallel(
  files: readonly PartnerFile[],
  job: Omit<FileJob, "id" | "file">,
  threads: number,
  hooks: {
    onProgress?: (path: string, read: number, total: number) => void;
    onFile?: (result: FileResult) => void;
  } = {},
): Promise<{ result: FileResult; partials: PartialCounts }[]> {
  const out: { result: FileResult; partials: PartialCounts }[] = new Array(files.length);
  let next = 0;
  const workers = Array.from(
    { length: Math.min(threads, files.length) },
    () => new Worker(new URL("./file-worker.js", import.meta.url)),
  );
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const send = () => {
              if (next >= files.length) return resolve();
              const id = next++;
              worker.postMessage({ ...job, id, file: files[id] as PartnerFile } satisfies FileJob);
            };
            worker.on("message", (m: FromWorker) => {
              if (m.type === "progress") hooks.onProgress?.(m.path, m.read, m.total);
              else if (m.type === "failed") reject(new Error(`${files[m.id]?.path}: ${m.message}`));
              else {
                out[m.id] = { result: m.result, partials: partialTable(m.partials) };
                hooks.onFile?.(m.result);
                send();
              }
            });
            worker.on("error", reject);
            send();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return out;
}
