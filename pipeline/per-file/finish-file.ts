import { findPartsExceedTotal } from "../aggregate/cross-checks.ts";
import type { PartnerFile } from "../discover/discover-files.ts";
import type { Effects } from "../effects.ts";
import { type Issue, makeIssue, occurrences } from "../issues/catalogue.ts";
import type { Project } from "../load/load-project.ts";
import { lostZeros } from "../validate/validate-rows.ts";
import { hashFile } from "./hash-file.ts";
import { mergeByLine } from "./issue-list.ts";
import type { FileRows, ProcessedFile } from "./read-file-rows.ts";

/** What `finishFile` needs of a file's rows: all of `FileRows` but the normalizer. */
export type ReadRows = Omit<FileRows, "normalizer" | "spilled">;

/**
 * A file's result from its rows: the file's own findings (markers and ranges seen, ids that lost
 * their zeros, parts larger than their totals, a file that sent no rows) added to its rows' issues.
 */
export async function finishFile(
  file: PartnerFile,
  project: Project,
  rows: ReadRows,
  effects: Effects,
): Promise<ProcessedFile> {
  const { outcome, state, checked, gaveUp, partials } = rows;
  const schema = project.extracts.get(file.extract.schema)!;
  const where = { partner: file.partner, file: file.path };
  const absolute = `${project.root}/${file.path}`;
  let accepted = rows.accepted;
  const fileIssues: Issue[] = [];
  if (gaveUp)
    fileIssues.push(
      makeIssue(
        "too-many-errors",
        { ...where, line: (outcome.rowsRead || checked) + 1 },
        { count: checked, expected: String(checked), detail: "none of them passed the checks above" },
      ),
    );
  if (outcome.failed) accepted = 0;
  const markers = [...state.markers.entries()];
  if (markers.length > 0) {
    const count = markers.reduce((n, [, c]) => n + c, 0);
    fileIssues.push(
      makeIssue("source-suppressed", where, { count, value: markers.map(([m, c]) => `${m} ×${c}`).join(", ") }),
    );
  }
  const ranges = [...state.ranges.entries()];
  if (ranges.length > 0) {
    const count = ranges.reduce((n, [, c]) => n + c, 0);
    fileIssues.push(
      makeIssue("value-bounded", where, { count, value: ranges.map(([m, c]) => `${m} ×${c}`).join(", ") }),
    );
  }
  if (schema.kind === "aggregate") fileIssues.push(...findPartsExceedTotal(partials, project.indicators, where));
  const rowIssues = [...mergeByLine(rows.validation, lostZeros(state, where)), ...rows.normalization];
  const blank = [...outcome.issues, ...rowIssues, ...fileIssues]
    .filter((i) => i.code === "blank-row")
    .reduce((n, i) => n + occurrences(i), 0);
  // A header and nothing else reads without a single bad row, yet sends nothing: say so.
  const empty =
    !outcome.failed && outcome.rowsRead - blank === 0 && !outcome.issues.some((i) => i.severity === "error");
  if (empty) fileIssues.push(makeIssue("no-data-rows", where));
  return {
    result: {
      partner: file.partner,
      path: file.path,
      schema: schema.id,
      year: file.year,
      sha256: outcome.sha256 ?? (await hashFile(absolute, effects)),
      bytes: outcome.bytes,
      rowsRead: outcome.rowsRead - blank,
      rowsAccepted: accepted,
      rowsRejected: Math.max(0, outcome.rowsRead - blank - accepted),
      issues: [...outcome.issues, ...rowIssues, ...fileIssues],
    },
    partials,
  };
}
