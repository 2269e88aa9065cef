import { type MessagePort, parentPort } from "node:worker_threads";
import type { PartnerFile } from "../discover/discover-files.ts";
import { confinedTo, type Effects, memoryLogger, withReadProgress } from "../effects.ts";
import { nodeEffects } from "../effects-node.ts";
import type { ReadLimits } from "../files/read-limits.ts";
import { loadProject, type Project } from "../load/load-project.ts";
import { onlyIndicators } from "../load/only-indicators.ts";
import { processPartnerFile } from "../per-file/process-partner-file.ts";
import { readSegment } from "./read-segment.ts";
import { columnsOf, type FromWorker, type ProjectRef, type SegmentAnswer, type ToWorker } from "./worker-protocol.ts";

/**
 * A worker thread that reads, validates, normalizes and counts partner files for the main thread:
 * whole files, one at a time (`processFilesInParallel`), or one part of a large file
 * (`processFileInParts`). It loads the project itself (once), from the same folders.
 */
if (parentPort === null) throw new Error("file-worker runs only as a worker thread");
const port: MessagePort = parentPort;

let effects = nodeEffects(memoryLogger());
let loaded: { key: string; project: Promise<Project> } | null = null;
/** Parts waiting for the main thread's answer, by job id. */
const waiting = new Map<number, (answer: SegmentAnswer) => void>();

function projectFor(ref: ProjectRef): Promise<Project> {
  const key = `${ref.root}\0${ref.c2cRoot}\0${ref.only.join(",")}`;
  if (loaded?.key !== key) {
    const project = loadProject(ref.root, ref.c2cRoot, effects).then((p) => onlyIndicators(p, ref.only));
    loaded = { key, project };
  }
  return loaded.project;
}

/** The main thread's bounds on reads, for this worker's reads too. */
function limitTo(limits: ReadLimits | undefined): void {
  const now = effects.readLimits;
  if (limits !== undefined && (limits.maxBytes !== now.maxBytes || limits.stallMs !== now.stallMs))
    effects = nodeEffects(memoryLogger(), limits);
}

/** Reads, confined to the project, report their progress to the main thread, for its progress bar. */
function reporting(file: PartnerFile, id: number, root: string): Effects {
  return withReadProgress(confinedTo(root, effects), (read, total, again) =>
    port.postMessage({ type: "progress", id, path: file.path, read, total, again } satisfies FromWorker),
  );
}

function post(message: FromWorker, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer);
}

port.on("message", async (message: ToWorker) => {
  if (message.type === "resolve" || message.type === "abandon") {
    waiting.get(message.id)?.(message);
    waiting.delete(message.id);
    return;
  }
  limitTo(message.limits);
  if (message.type === "load") {
    // A failure is reported with the first file given, which loads the project again.
    projectFor(message).catch(() => {
      loaded = null;
    });
    return;
  }
  const id = message.id;
  try {
    const project = await projectFor(message);
    if (message.type === "file") {
      const processed = await processPartnerFile(message.file, project, reporting(message.file, id, message.root));
      post({ type: "done", id, result: processed.result, partials: columnsOf(processed.partials) });
      return;
    }
    const part = await readSegment(message, project, reporting(message.file, id, message.root), (found) => {
      const answer = new Promise<SegmentAnswer>((resolve) => waiting.set(id, resolve));
      post({ type: "found", id, found }, [found.keys.buffer as ArrayBuffer]);
      return answer;
    });
    post({ type: "part", id, part });
  } catch (e) {
    post({ type: "failed", id, message: e instanceof Error ? e.message : String(e) });
  }
});
