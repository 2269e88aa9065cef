import type { PartnerFile } from "../discover/discover-files.ts";
import type { Effects } from "../effects.ts";
import type { Project } from "../load/load-project.ts";
import { finishFile } from "./finish-file.ts";
import { type ProcessedFile, type ProcessOptions, readFileRows } from "./read-file-rows.ts";

/**
 * Stages 3 to 7 for one partner file, as it streams: each chunk of rows is read, validated,
 * normalized and counted before the next is read, so memory depends on the number of cells, not
 * rows (bar the keys kept to find repeated rows: in memory for a file under `SPILL_MIN_BYTES`, on
 * disk for a larger one). A file that fails costs only its own rows.
 */
export async function processPartnerFile(
  file: PartnerFile,
  project: Project,
  effects: Effects,
  options: ProcessOptions = {},
): Promise<ProcessedFile> {
  const read = await readFileRows(file, project, effects, options);
  if ("failed" in read) return read.failed;
  return finishFile(file, project, read, effects);
}
