import type { ExtractSchema } from "../../schemas/index.ts";
import { type Issue, type IssueLocation, makeIssue, ProblemFolder } from "../issues/catalogue.ts";
import type { RawRow, ReadPosition } from "../rows/raw-row.ts";
import { type RowSpot, rejectsRow } from "./bad-spots.ts";
import type { TextEncodingName } from "./decode-text.ts";
import { type HeaderColumns, type HeaderLayout, schemaLayout } from "./header-layout.ts";
import { columnName } from "./map-header.ts";
import { parseRows } from "./parse-rows.ts";

export interface ReadOptions {
  schema: ExtractSchema;
  /** How the header is read and the rows' cells lined up (default: the schema's own layout, `schemaLayout`). */
  header?: HeaderLayout;
  where: IssueLocation;
  /** Declared by the partner; else from the file's `sep=` line, else detected from the header line. */
  delimiter?: string | undefined;
  /**
   * A row longer than this (in characters, quoted line breaks included) is cut there and skipped,
   * as the one row it is: a line that never breaks, a value that holds a document. Default 1 MiB.
   */
  maxFieldChars?: number;
  /** Asked after each chunk of rows is handed on; true stops reading (the caller reports why). */
  shouldStop?: () => boolean;
  /** The text's encoding, where already known: a later part of a file is not sniffed on its own. */
  encoding?: TextEncodingName;
  /** Whether to report what is wrong with the header (default true; a later part of a file repeats its header). */
  headerIssues?: boolean;
}

export interface ReadOutcome {
  encoding: TextEncodingName | null;
  delimiter: string | null;
  /** Null when the file was not read to its end (it failed early); the caller hashes it then. */
  sha256: string | null;
  bytes: number;
  /**
   * Data rows seen, blank rows at the end left out. A file whose header stops it has its rows
   * counted still (none of them checked), so the rows it lost are counted.
   */
  rowsRead: number;
  /** Rows read cleanly from the file and handed on (the validator may still reject them). */
  rowsPassed: number;
  issues: Issue[];
  /** The file as a whole could not be used (no rows were handed on past the failure). */
  failed: boolean;
  /** Rows after the header, blank ones at the end included. */
  records: number;
  /** Blank rows at the end, not counted in `rowsRead`. */
  trailingBlank: number;
  /** Rows that could not be used as rows: their cells did not line up with the header, or they had a bad spot. */
  misshapen: number;
  /** The line break the rows were split at ("" where it parsed nothing). */
  linebreak: string;
  /**
   * Quotes that opened a value which never closed (each cost its row), and whether one was still
   * open at the end: a part of a file read on its own can end so though the file does not.
   */
  runaways: number;
  endedQuoted: boolean;
}

/** Past this many rows that cannot be used as rows, and more of them than good rows, the file is not read on. */
export const MAX_MISSHAPEN_ROWS = 1000;

export { detectDelimiter } from "./parse-rows.ts";

/** Why a file whose quotes never close was not read on. */
export const QUOTES_STOPPED =
  "from this line on, quote marks open values that never close, more than c2c reads past, so the rest of the file was not read and none of it was used";

/**
 * Stage 3, the one reader of partner files: decodes and parses a file as it streams (`parseRows`),
 * reads its header as `options.header` says (by default matched to the schema, each row's cells then
 * in the schema's field order; a mapped file's by its own column names, for reshape), and hands
 * rows on in chunks. A row with a bad spot (bytes that are no text, a quote that never closes, a
 * line past the length limit) or whose cells do not line up with the header is left out with an
 * issue on its line; the rest are read. The file fails as a whole only when it is no text, has no
 * usable header, or is mostly bad rows. Memory stays bounded by the chunk size and the longest row.
 */
export async function readPartnerFile(
  bytes: AsyncIterable<Uint8Array>,
  options: ReadOptions,
  onRows: (rows: RawRow[], at?: ReadPosition) => void,
): Promise<ReadOutcome> {
  const issues: Issue[] = [];
  // A row's problem past the first `KEPT_PER_PROBLEM` of its kind is counted, not kept.
  const folder = new ProblemFolder();
  const addRowIssue = (issue: Issue) => {
    if (folder.keep(issue)) issues.push(issue);
  };
  const where = options.where;
  const maxFieldChars = options.maxFieldChars ?? 1024 * 1024;
  const layout = options.header ?? schemaLayout(options.schema, where);
  const headerIssues = options.headerIssues !== false;
  let failed = false;
  let stopped = false;
  /** The header stopped the file: its rows are only counted. */
  let counting = false;
  let blankWhileCounting = 0;
  let rowIndex = 0;
  let rowsPassed = 0;
  let pendingBlank: number[] = [];
  const headerRows: string[][] = [];
  let columns: HeaderColumns | null = null;
  let misshapen = 0;
  const isBlank = (cells: readonly string[]) => cells.every((c) => c.trim() === "");

  const parsed = await parseRows(
    bytes,
    { delimiter: options.delimiter, maxFieldChars, ...(options.encoding ? { encoding: options.encoding } : {}) },
    (chunk) => {
      const out: RawRow[] = [];
      for (let at = 0; at < chunk.rows.length; at++) {
        const cells = chunk.rows[at] as string[];
        const line = ++rowIndex;
        if (counting) {
          if (isBlank(cells)) blankWhileCounting++;
          continue;
        }
        const spot = chunk.spots?.[at] ?? null;
        if (columns === null) {
          if (spot !== null && rejectsRow(spot)) {
            // A header that is no text, never closes a quote, or runs past the limit: no column can be found.
            issues.push(spotIssue(spot, { ...where, line }, columnName, maxFieldChars));
            failed = true;
            return true;
          }
          if (spot !== null && headerIssues)
            issues.push(spotIssue(spot, { ...where, line }, (c) => cells[c]?.trim() || columnName(c), maxFieldChars));
          headerRows.push(cells);
          if (headerRows.length < layout.rows) continue;
          const header = layout.open(headerRows);
          if (headerIssues) issues.push(...header.issues);
          if (header.columns === null) {
            failed = true;
            counting = true;
            continue;
          }
          columns = header.columns;
          continue;
        }
        if (isBlank(cells)) {
          pendingBlank.push(line);
          continue;
        }
        for (const b of pendingBlank) addRowIssue(makeIssue("blank-row", { ...where, line: b }));
        pendingBlank = [];
        const { width, labels } = columns;
        if (spot !== null)
          addRowIssue(spotIssue(spot, { ...where, line }, (c) => labels[c] ?? columnName(c), maxFieldChars));
        const extra = cells.length > width && cells.slice(width).some((c) => c.trim() !== "");
        const bad = spot !== null && rejectsRow(spot);
        if (bad || extra || cells.length < width) {
          if (!bad)
            addRowIssue(
              makeIssue(
                extra ? "extra-cell" : "missing-cell",
                { ...where, line },
                { count: cells.length, expected: String(width) },
              ),
            );
          if (++misshapen >= MAX_MISSHAPEN_ROWS && misshapen * 2 > line - layout.rows) {
            failed = true;
            issues.push(
              makeIssue(
                "too-many-errors",
                { ...where, line },
                {
                  count: misshapen,
                  expected: String(line - layout.rows),
                  detail: "they are not rows that line up with the header's columns",
                },
              ),
            );
            return true;
          }
          continue;
        }
        out.push({ line, cells: columns.order(cells) });
      }
      if (failed || counting) return undefined;
      rowsPassed += out.length;
      if (out.length > 0) onRows(out, { bytes: chunk.bytes });
      if (options.shouldStop?.()) {
        stopped = true;
        return true;
      }
      return undefined;
    },
  );

  if (parsed.unreadable === "binary") issues.push(binaryIssue(where));
  if (parsed.unreadable === "empty" || (parsed.unreadable === null && columns === null && !failed))
    issues.push(makeIssue("empty-file", { ...where, line: 1 }));
  if (parsed.unreadable !== null || (columns === null && !failed)) failed = true;
  if (parsed.unterminated !== null && !stopped) {
    failed = true;
    issues.push(
      makeIssue(
        "parse-error",
        { ...where, line: parsed.unterminated },
        { detail: "a quoted value that starts on this line never ends, so the rest of the file could not be read" },
      ),
    );
  }
  if (parsed.guard.stopped) {
    failed = true;
    issues.push(makeIssue("parse-error", { ...where, line: rowIndex + 1 }, { detail: QUOTES_STOPPED }));
  }
  const records = Math.max(0, rowIndex - layout.rows);
  return {
    encoding: parsed.encoding,
    delimiter: parsed.delimiter,
    sha256: parsed.sha256,
    bytes: parsed.bytes,
    rowsRead: Math.max(0, records - pendingBlank.length - blankWhileCounting),
    rowsPassed: failed ? 0 : rowsPassed,
    issues,
    failed,
    records,
    trailingBlank: pendingBlank.length,
    misshapen,
    linebreak: parsed.linebreak,
    runaways: parsed.guard.runaways,
    endedQuoted: parsed.guard.endedQuoted,
  };
}

/** The issue for a row's bad spot, on its line; `label` names a column by its index. */
export function spotIssue(
  spot: RowSpot,
  at: IssueLocation,
  label: (column: number) => string,
  maxFieldChars: number,
): Issue {
  const size =
    maxFieldChars >= 1024 * 1024
      ? `${Math.round(maxFieldChars / (1024 * 1024))} MB`
      : `${Math.round(maxFieldChars / 1024)} KB`;
  switch (spot.kind) {
    case "long":
      return makeIssue("row-too-long", at, { expected: size });
    case "quote":
      return makeIssue("parse-error", at, {
        detail: `a quote mark (") opens a value on this line that does not close within ${size} or before the end of the file, so the row was read without it and not used`,
      });
    case "bytes":
      return makeIssue("bad-bytes", at, { column: label(spot.column), detail: spot.detail });
    case "guessed":
      return makeIssue("encoding-mixed", at, { column: label(spot.column), value: spot.value });
  }
}

/** The file is no text from its first line. */
export function binaryIssue(where: IssueLocation): Issue {
  return makeIssue(
    "encoding-error",
    { ...where, line: 1 },
    {
      expected: "text",
      detail: "it looks like a binary file (a spreadsheet saved as .xlsx, or UTF-16 without a byte-order mark)",
    },
  );
}
