import { RowAggregator } from "../aggregate/aggregate-rows.ts";
import { combineGroups } from "../aggregate/combined-files.ts";
import type { PartialCounts } from "../aggregate/partial-counts.ts";
import type { PartnerFile } from "../discover/discover-files.ts";
import { type Effects, withReadProgress } from "../effects.ts";
import type { FileResult } from "../file-result.ts";
import { itemAt } from "../internal-error.ts";
import { type Issue, makeIssue, ProblemFolder } from "../issues/catalogue.ts";
import type { Project } from "../load/load-project.ts";
import { KeyTable } from "../normalize/key-table.ts";
import { type NormalizedRow, normalizeRows } from "../normalize/normalize-rows.ts";
import { newValidationState, validateRows } from "../validate/validate-rows.ts";
import { readFile } from "./read-file.ts";
import { rowCheckers } from "./row-checkers.ts";

/**
 * `versions: combine` across files: a row of one file of a combined group (`combineGroups`) that
 * repeats a row of an earlier file of the group counts once.
 */

/** A row of a combined file whose key a row of an earlier file of its group had. */
interface CrossRepeat {
  row: NormalizedRow;
  firstFile: string;
  firstLine: number;
  sameRow: boolean;
  shown: string;
}

/**
 * Records of a combined group's files that repeat a record of an earlier file of the group (by the
 * extract's key, in canonical codes, as within one file): each is taken out of its file's counts
 * and reported on its line, naming the file and line it repeats. The files are read again, in the
 * order the build read them (by name), once all are read; the first file's row is the one counted.
 * `results` and `partials` are the build's, in the order of `files`; changed in place. The keys of
 * a group's files are held in memory while it is read (about 16 bytes a row).
 */
export async function takeOutCombinedRepeats(
  files: readonly PartnerFile[],
  results: FileResult[],
  partials: PartialCounts[],
  project: Project,
  effects: Effects,
  onProgress?: (path: string, read: number, total: number, again: boolean) => void,
): Promise<void> {
  const groups = combineGroups(files);
  const members = new Map<string, number[]>();
  files.forEach((f, i) => {
    const key = groups.get(f.path);
    if (key !== undefined) members.set(key, [...(members.get(key) ?? []), i]);
  });
  for (const indexes of members.values()) {
    // Counts files (`c2c aggregate`'s, one per records file) that send the same cell are added up,
    // as combined files are: only a record, one child, can be in two files once too often.
    const first = itemAt(files, itemAt(indexes, 0, "file of the group"), "partner file");
    if (project.extracts.get(first.extract.schema)?.kind !== "record") continue;
    const table = new KeyTable();
    /** Where each file's lines start in the group's numbering, to tell which file a first row is in. */
    const starts: { offset: number; path: string }[] = [];
    let offset = 0;
    for (const i of indexes) {
      const file = files[i] as PartnerFile;
      const result = results[i] as FileResult;
      // A file none of whose rows were counted (it failed, or was given up on) has no row to repeat.
      if (result.rowsAccepted === 0) continue;
      starts.push({ offset, path: file.path });
      // A second reading of the file: its progress bar says so.
      const reading = onProgress
        ? withReadProgress(effects, (r, total) => onProgress(file.path, r, total, true))
        : effects;
      const read = await readCounted(file, project, reading, (row, text, whole, shown) => {
        const seen = table.seenOrAddHashed(text, whole, offset + row.line);
        if (seen === undefined) return null;
        const at = starts.findLast((s) => s.offset < seen.line) as { offset: number; path: string };
        return { row, firstFile: at.path, firstLine: seen.line - at.offset, sameRow: seen.sameRow, shown };
      });
      offset += read.lastLine + 1;
      if (read.repeats.length === 0) continue;
      partials[i] = read.partials;
      result.rowsAccepted -= read.repeats.length;
      result.rowsRejected += read.repeats.length;
      result.issues.push(...repeatIssues(file, project, read.repeats));
    }
  }
}

/**
 * Reads a file again and gives each row its first reading counted (repeats within the file left
 * out, as they were) to `check`, with its key; returns the rows `check` found repeated, and the
 * file's counts without them.
 */
async function readCounted(
  file: PartnerFile,
  project: Project,
  effects: Effects,
  check: (row: NormalizedRow, key: string, whole: number, shown: string) => CrossRepeat | null,
): Promise<{ repeats: CrossRepeat[]; partials: PartialCounts; lastLine: number }> {
  const { schema, where, validator, normalizer } = rowCheckers(file, project, { deferDuplicates: true });
  const own = new KeyTable();
  const counter = new RowAggregator({
    feeds: project.feeds.get(schema.id) ?? [],
    kind: schema.kind,
    dimensionFields: schema.roles.dimensions,
    source: file.path,
  });
  const state = newValidationState();
  const repeats: CrossRepeat[] = [];
  let lastLine = 1;
  await readFile(
    file,
    project,
    effects.readStream(`${project.root}/${file.path}`),
    { schema, where, delimiter: file.extract.delimiter, headerIssues: false },
    (raw) => {
      lastLine = Math.max(lastLine, raw[raw.length - 1]?.line ?? lastLine);
      const kept: NormalizedRow[] = [];
      for (const row of normalizeRows(validateRows(raw, validator, state).rows, normalizer).rows) {
        const key = row.key;
        if (key === null || own.seenOrAddHashed(key.text, key.whole, row.line) !== undefined) continue;
        const repeat = check(row, key.text, key.whole, key.shown);
        if (repeat === null) kept.push(row);
        else repeats.push(repeat);
      }
      counter.add(kept);
    },
  );
  return { repeats, partials: counter.result(), lastLine };
}

/** The issues of a file's rows that repeat an earlier combined file's, folded as any problem is. */
function repeatIssues(file: PartnerFile, project: Project, repeats: readonly CrossRepeat[]): Issue[] {
  const schema = project.extracts.get(file.extract.schema);
  const column = schema?.primaryKey.join(", ") ?? "";
  const where = { partner: file.partner, file: file.path };
  const folder = new ProblemFolder();
  const out: Issue[] = [];
  for (const r of repeats) {
    const other = String(r.firstLine);
    const issue = r.sameRow
      ? makeIssue("duplicate-row", { ...where, line: r.row.line }, { other, detail: r.firstFile })
      : makeIssue(
          "duplicate-key",
          { ...where, line: r.row.line, column },
          { column, value: r.shown, other, detail: r.firstFile },
        );
    if (folder.keep(issue)) out.push(issue);
  }
  return out;
}
