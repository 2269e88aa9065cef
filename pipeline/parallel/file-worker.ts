import { type MessagePort, parentPort } from "node:worker_threads";
import type { PartnerFile } from "../discover/discover-files.ts";
import { type Effects, memoryLogger, withReadProgress } from "../effects.ts";
import { nodeEffects } from "../effects-node.ts";
import { loadProject, type Project } from "../load/load-project.ts";
import { onlyIndicators } from "../load/only-indicators.ts";
import { processPartnerFile } from "../process-partner-file.ts";
import { columnsOf, type FileJob, type FromWorker } from "./worker-protocol.ts";

/**
 * A worker thread that reads, validates, normalizes and counts whole partner files, one at a time,
 * for `processFilesInParallel`. It loads the project itself (once), from the same folders.
 */
if (parentPort === null) throw new Error("file-worker runs only as a worker thread");
const port: MessagePort = parentPort;

const effects = nodeEffects(memoryLogger());
let loaded: { key: string; project: Promise<Project> } | null = null;

function projectFor(job: FileJob): Promise<Project> {
  const key = `${job.root}\0${job.c2cRoot}\0${job.only.join(",")}`;
  if (loaded?.key !== key) {
    const project = loadProject(job.root, job.c2cRoot, effects).then((p) => onlyIndicators(p, job.only));
    loaded = { key, project };
  }
  return loaded.project;
}

/** Reads report their progress to the main thread, for its progress bar. */
function reporting(file: PartnerFile, id: number): Effects {
  return withReadProgress(effects, (read, total) =>
    port.postMessage({ type: "progress", id, path: file.path, read, total } satisfies FromWorker),
  );
}

port.on("message", async (job: FileJob) => {
  try {
    const project = await projectFor(job);
    const processed = await processPartnerFile(job.file, project, reporting(job.file, job.id));
    port.postMessage({
      type: "done",
      id: job.id,
      result: processed.result,
      partials: columnsOf(processed.partials),
    } satisfies FromWorker);
  } catch (e) {
    port.postMessage({
      type: "failed",
      id: job.id,
      message: e instanceof Error ? e.message : String(e),
    } satisfies FromWorker);
  }
});
