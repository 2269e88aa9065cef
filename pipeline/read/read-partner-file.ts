import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import Papa from "papaparse";
import type { ExtractSchema } from "../../schemas/index.ts";
import { type Issue, type IssueLocation, makeIssue, ProblemFolder } from "../issues/catalogue.ts";
import { DecodeError, decodeChunks, type TextEncodingName } from "./decode-text.ts";
import { guardRowLength, type RowTooLong } from "./guard-row-length.ts";
import { mapHeader } from "./map-header.ts";

/** One data row, its cells in the order of the schema's fields ("" where a column is absent). */
export interface RawRow {
  /** The row as the partner's spreadsheet numbers it: the header is row 1. */
  line: number;
  cells: string[];
}

/** How far into the file the rows handed on so far reach. */
export interface ReadPosition {
  /** Bytes of the file up to the end of the last row handed on (estimated from the text's own bytes per character). */
  bytes: number;
}

export interface ReadOptions {
  schema: ExtractSchema;
  where: IssueLocation;
  /** Declared by the partner; detected from the header line when absent. */
  delimiter?: string | undefined;
  /**
   * A row longer than this (in characters, quoted line breaks included) fails the file: a quote
   * that never closes, a line that never breaks, or not a CSV file at all. Default 1 MiB.
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
  /** Data rows seen, blank rows included. */
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
  /** Rows whose cells did not line up with the header. */
  misshapen: number;
  /** The line break papaparse found ("" where it parsed nothing). */
  linebreak: string;
}

const DELIMITERS = [",", ";", "\t", "|"] as const;
/** Characters handed to the parser at a time: the rows of one piece are validated and counted before the next. */
const PARSE_PIECE = 64 * 1024;
/** Past this many rows whose cells do not line up with the header, and more of them than good rows, the file is not read on. */
export const MAX_MISSHAPEN_ROWS = 1000;

/** Text cut into pieces of at most PARSE_PIECE characters: the rows of one piece die young (a cheap collection), not with the whole megabyte. */
function* pieces(text: string): Generator<string> {
  if (text.length <= PARSE_PIECE) yield text;
  else for (let at = 0; at < text.length; at += PARSE_PIECE) yield text.slice(at, at + PARSE_PIECE);
}

/** Picks the delimiter that splits the header line most often, ignoring quoted text. */
export function detectDelimiter(firstLine: string): string {
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const ch of firstLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && counts.has(ch)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  let best = ",";
  for (const d of DELIMITERS) if ((counts.get(d) ?? 0) > (counts.get(best) ?? 0)) best = d;
  return best;
}

/**
 * Stage 3: decodes and parses a partner file as it streams, maps its header to the schema, and
 * hands rows on in chunks. Memory stays bounded by the chunk size and the longest row; a file that
 * breaks (bad bytes, a quote that never closes, a missing required column) fails with an issue.
 */
export async function readPartnerFile(
  bytes: AsyncIterable<Uint8Array>,
  options: ReadOptions,
  onRows: (rows: RawRow[], at?: ReadPosition) => void,
): Promise<ReadOutcome> {
  const hash = createHash("sha256");
  let byteCount = 0;
  const issues: Issue[] = [];
  // A row's problem past the first `KEPT_PER_PROBLEM` of its kind is counted, not kept.
  const folder = new ProblemFolder();
  const addRowIssue = (issue: Issue) => {
    if (folder.keep(issue)) issues.push(issue);
  };
  const where = options.where;
  const maxFieldChars = options.maxFieldChars ?? 1024 * 1024;
  let encoding: TextEncodingName | null = null;
  let delimiter: string | null = options.delimiter ?? null;
  let failed = false;

  async function* hashed(): AsyncGenerator<Uint8Array> {
    for await (const chunk of bytes) {
      hash.update(chunk);
      byteCount += chunk.length;
      yield chunk;
    }
    complete = true;
  }
  let complete = false;
  const digest = () => (complete ? hash.digest("hex") : null);
  const text = decodeChunks(
    hashed(),
    (e) => {
      encoding = e;
    },
    options.encoding,
  );

  // Read up to the first line break to choose the delimiter, then stream the rest through papaparse.
  let head = "";
  let decodeFailure: DecodeError | null = null;
  let tooLong: RowTooLong | null = null;
  try {
    // Bounded: the guard below only sees the first line once it is in `head`.
    while (head.length <= maxFieldChars) {
      const next = await text.next();
      if (next.done) break;
      head += next.value;
      if (/[\r\n]/.test(next.value)) break;
    }
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    decodeFailure = e;
  }
  if (decodeFailure) {
    issues.push(encodingIssue(decodeFailure, where, encoding));
    return {
      encoding,
      delimiter,
      sha256: digest(),
      bytes: byteCount,
      rowsRead: 0,
      rowsPassed: 0,
      issues,
      failed: true,
      records: 0,
      trailingBlank: 0,
      misshapen: 0,
      linebreak: "",
    };
  }
  if (head.trim() === "") {
    // Drain what is left so the checksum covers the whole file.
    for await (const _ of text) void _;
    issues.push(makeIssue("empty-file", { ...where, line: 1 }));
    return {
      encoding,
      delimiter,
      sha256: digest(),
      bytes: byteCount,
      rowsRead: 0,
      rowsPassed: 0,
      issues,
      failed: true,
      records: 0,
      trailingBlank: 0,
      misshapen: 0,
      linebreak: "",
    };
  }
  const firstBreak = head.search(/[\r\n]/);
  delimiter ??= detectDelimiter(head.slice(0, firstBreak === -1 ? Math.min(head.length, 64 * 1024) : firstBreak));

  // Characters decoded so far: with the bytes read so far, the bytes a character takes in this file.
  let charsDecoded = head.length;
  async function* rest(): AsyncGenerator<string> {
    yield* pieces(head);
    try {
      for await (const t of text) {
        charsDecoded += t.length;
        yield* pieces(t);
      }
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
      decodeFailure = e;
    }
  }

  let rowIndex = 0;
  let rowsPassed = 0;
  let pendingBlank: number[] = [];
  let mapping: ReturnType<typeof mapHeader>["mapping"] | null = null;
  let inOrder = false;
  let misshapen = 0;
  let linebreak = "";
  const width = options.schema.fields.length;
  const guarded = guardRowLength(rest(), delimiter, maxFieldChars, (where) => {
    tooLong = where;
  });
  // One chunk of text ahead of the parser, not sixteen (each is up to a megabyte).
  const source = Readable.from(guarded, { objectMode: true, highWaterMark: 1 });

  await new Promise<void>((resolve, reject) => {
    Papa.parse<string[]>(source, {
      delimiter,
      skipEmptyLines: false,
      chunk(results, parser) {
        // After bad bytes or a row cut off by the guard, what papaparse flushes is a cut-off row: nothing to report about it.
        if (decodeFailure || tooLong) return;
        // papaparse numbers an error's row within this chunk's rows; the file's row is counted from here.
        const unterminated = new Set<number>();
        for (const chunk of results.errors) {
          if (chunk.code === "MissingQuotes") {
            failed = true;
            const row = rowIndex + (chunk.row ?? 0) + 1;
            unterminated.add(chunk.row ?? 0);
            issues.push(
              makeIssue(
                "parse-error",
                { ...where, line: row },
                { detail: `a quoted value that starts on row ${row} never ends` },
              ),
            );
          }
        }
        const out: { line: number; cells: string[] }[] = [];
        for (let at = 0; at < results.data.length; at++) {
          const cells = results.data[at] as string[];
          const line = ++rowIndex;
          // The row a runaway quote swallowed is reported once, as the parse error above.
          if (unterminated.has(at)) continue;
          if (mapping === null) {
            const header = mapHeader(cells, options.schema, where);
            if (options.headerIssues !== false) issues.push(...header.issues);
            if (!header.ok) {
              failed = true;
              parser.abort();
              return;
            }
            mapping = header.mapping;
            inOrder = mapping.columnOfField.every((c, f) => c === f);
            continue;
          }
          if (cells.every((c) => c.trim() === "")) {
            pendingBlank.push(line);
            continue;
          }
          for (const b of pendingBlank) addRowIssue(makeIssue("blank-row", { ...where, line: b }));
          pendingBlank = [];
          const extra = cells.length > mapping.width && cells.slice(mapping.width).some((c) => c.trim() !== "");
          if (extra || cells.length < mapping.width) {
            addRowIssue(
              makeIssue(
                extra ? "extra-cell" : "missing-cell",
                { ...where, line },
                {
                  count: cells.length,
                  expected: String(mapping.width),
                },
              ),
            );
            if (++misshapen >= MAX_MISSHAPEN_ROWS && misshapen * 2 > line - 1) {
              failed = true;
              issues.push(
                makeIssue(
                  "too-many-errors",
                  { ...where, line },
                  {
                    count: misshapen,
                    expected: String(line - 1),
                    detail: "their cells do not line up with the header's columns",
                  },
                ),
              );
              parser.abort();
              return;
            }
            continue;
          }
          // A file in the template's own column order hands its cells on as they are.
          if (inOrder && cells.length === width) {
            out.push({ line, cells });
            continue;
          }
          const ordered = new Array<string>(width);
          for (let f = 0; f < width; f++) {
            const c = mapping.columnOfField[f]!;
            ordered[f] = c === -1 ? "" : (cells[c] ?? "");
          }
          out.push({ line, cells: ordered });
        }
        if (failed) return;
        linebreak = results.meta.linebreak;
        rowsPassed += out.length;
        if (out.length > 0)
          onRows(out, { bytes: Math.round(results.meta.cursor * (byteCount / Math.max(1, charsDecoded))) });
        if (options.shouldStop?.()) parser.abort();
      },
      complete: () => resolve(),
      error: (err: Error) => reject(err),
    });
  });
  // Closes the file when papaparse stopped before its end.
  source.destroy();
  const cut = tooLong as RowTooLong | null;
  if (cut !== null) {
    failed = true;
    const size =
      maxFieldChars >= 1024 * 1024
        ? `${Math.round(maxFieldChars / (1024 * 1024))} MB`
        : `${Math.round(maxFieldChars / 1024)} KB`;
    issues.push(
      cut.quoted
        ? makeIssue(
            "parse-error",
            { ...where, line: cut.row },
            { detail: `a quoted value in the row that starts on line ${cut.row} runs on for more than ${size}` },
          )
        : makeIssue("row-too-long", { ...where, line: cut.row }, { expected: size }),
    );
  }
  if (decodeFailure) {
    failed = true;
    issues.push(encodingIssue(decodeFailure, where, encoding));
  }
  if (mapping === null && !failed) {
    issues.push(makeIssue("empty-file", { ...where, line: 1 }));
    failed = true;
  }
  return {
    encoding,
    delimiter,
    sha256: digest(),
    bytes: byteCount,
    rowsRead: Math.max(0, rowIndex - 1 - pendingBlank.length),
    rowsPassed: failed ? 0 : rowsPassed,
    issues,
    failed,
    records: Math.max(0, rowIndex - 1),
    trailingBlank: pendingBlank.length,
    misshapen,
    linebreak,
  };
}

function encodingIssue(e: DecodeError, where: IssueLocation, encoding: TextEncodingName | null): Issue {
  return encoding === null
    ? makeIssue(
        "encoding-error",
        { ...where, line: e.line },
        {
          expected: "text",
          detail: "it looks like a binary file (a spreadsheet saved as .xlsx, or UTF-16 without a byte-order mark)",
        },
      )
    : makeIssue("encoding-error", { ...where, line: e.line }, { expected: e.encoding.toUpperCase() });
}
