import type { PartnerFile } from "../discover/discover-files.ts";
import type { Project } from "../load/load-project.ts";
import { type NormalizedRow, normalizeRows } from "../normalize/normalize-rows.ts";
import type { TextEncodingName } from "../read/decode-text.ts";
import { newValidationState, validateRows } from "../validate/validate-rows.ts";
import { readFile } from "./read-file.ts";
import { rowCheckers } from "./row-checkers.ts";

/**
 * Reads a file (or a part of one) again up to the last of `lines`, and takes those rows back out
 * of the counts (`remove`): rows found to repeat an earlier row only after they were counted.
 * Returns each one's key as the partner wrote it, for its issue.
 */
export async function takeBack(
  file: PartnerFile,
  project: Project,
  bytes: () => AsyncIterable<Uint8Array>,
  encoding: TextEncodingName | undefined,
  lines: readonly number[],
  remove: (rows: readonly NormalizedRow[]) => void,
): Promise<Map<number, string>> {
  const { schema, where, validator, normalizer } = rowCheckers(file, project, { deferDuplicates: true });
  const wanted = new Set(lines);
  const last = Math.max(...wanted);
  const found = new Map<number, string>();
  let reached = 0;
  const scratch = newValidationState();
  await readFile(
    file,
    project,
    bytes(),
    {
      schema,
      where,
      delimiter: file.extract.delimiter,
      ...(encoding ? { encoding } : {}),
      headerIssues: false,
      shouldStop: () => reached >= last,
    },
    (raw) => {
      reached = raw[raw.length - 1]?.line ?? reached;
      const rows = raw.filter((r) => wanted.has(r.line));
      if (rows.length === 0) return;
      const normalized = normalizeRows(validateRows(rows, validator, scratch).rows, normalizer);
      remove(normalized.rows);
      for (const row of normalized.rows) found.set(row.line, row.key?.shown ?? "");
    },
  );
  if (found.size !== wanted.size)
    throw new Error(`${file.path}: ${wanted.size - found.size} repeated rows could not be read again`);
  return found;
}
