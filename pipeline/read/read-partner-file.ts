import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import Papa from "papaparse";
import type { ExtractSchema } from "../../schemas/index.ts";
import { type Issue, type IssueLocation, makeIssue } from "../issues/catalogue.ts";
import { DecodeError, decodeChunks, type TextEncodingName } from "./decode-text.ts";
import { mapHeader } from "./map-header.ts";

/** One data row, its cells in the order of the schema's fields ("" where a column is absent). */
export interface RawRow {
  /** The row as the partner's spreadsheet numbers it: the header is row 1. */
  line: number;
  cells: string[];
}

export interface ReadOptions {
  schema: ExtractSchema;
  where: IssueLocation;
  /** Declared by the partner; detected from the header line when absent. */
  delimiter?: string | undefined;
  /** A quoted value longer than this (in characters) is taken as a quote that never closes. */
  maxFieldChars?: number;
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
}

const DELIMITERS = [",", ";", "\t", "|"] as const;

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
  onRows: (rows: RawRow[]) => void,
): Promise<ReadOutcome> {
  const hash = createHash("sha256");
  let byteCount = 0;
  const issues: Issue[] = [];
  const where = options.where;
  const maxFieldChars = options.maxFieldChars ?? 16 * 1024 * 1024;
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
  const text = decodeChunks(hashed(), (e) => {
    encoding = e;
  });

  // Read up to the first line break to choose the delimiter, then stream the rest through papaparse.
  let head = "";
  let decodeFailure: DecodeError | null = null;
  try {
    while (!head.includes("\n")) {
      const next = await text.next();
      if (next.done) break;
      head += next.value;
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
    };
  }
  delimiter ??= detectDelimiter(head.slice(0, head.indexOf("\n") === -1 ? head.length : head.indexOf("\n")));

  async function* rest(): AsyncGenerator<string> {
    yield head;
    try {
      for await (const t of text) yield t;
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
      decodeFailure = e;
    }
  }

  let rowIndex = 0;
  let rowsPassed = 0;
  let pendingBlank: number[] = [];
  let mapping: ReturnType<typeof mapHeader>["mapping"] | null = null;
  let charsSinceRow = 0;
  const width = options.schema.fields.length;

  await new Promise<void>((resolve, reject) => {
    Papa.parse<string[]>(Readable.from(rest(), { objectMode: true }), {
      delimiter,
      skipEmptyLines: false,
      chunk(results, parser) {
        // After bad bytes, what papaparse flushes is a cut-off row: nothing to report about it.
        if (decodeFailure) return;
        for (const chunk of results.errors) {
          if (chunk.code === "MissingQuotes") {
            failed = true;
            issues.push(
              makeIssue(
                "parse-error",
                { ...where, line: (chunk.row ?? 0) + 1 },
                { detail: `a quoted value that starts on row ${(chunk.row ?? 0) + 1} never ends` },
              ),
            );
          }
        }
        const out: { line: number; cells: string[] }[] = [];
        if (results.data.length === 0) {
          charsSinceRow += results.meta.cursor;
          if (charsSinceRow > maxFieldChars) {
            failed = true;
            issues.push(
              makeIssue(
                "parse-error",
                { ...where, line: rowIndex + 1 },
                {
                  detail: `a quoted value that starts on row ${rowIndex + 1} runs on for more than ${Math.round(maxFieldChars / 1048576)} MB`,
                },
              ),
            );
            parser.abort();
          }
          return;
        }
        charsSinceRow = 0;
        for (const cells of results.data) {
          const line = ++rowIndex;
          if (mapping === null) {
            const header = mapHeader(cells, options.schema, where);
            issues.push(...header.issues);
            if (!header.ok) {
              failed = true;
              parser.abort();
              return;
            }
            mapping = header.mapping;
            continue;
          }
          if (cells.every((c) => c.trim() === "")) {
            pendingBlank.push(line);
            continue;
          }
          for (const b of pendingBlank) issues.push(makeIssue("blank-row", { ...where, line: b }));
          pendingBlank = [];
          if (cells.length > mapping.width && cells.slice(mapping.width).some((c) => c.trim() !== "")) {
            issues.push(
              makeIssue("extra-cell", { ...where, line }, { count: cells.length, expected: String(mapping.width) }),
            );
            continue;
          }
          if (cells.length < mapping.width) {
            issues.push(
              makeIssue("missing-cell", { ...where, line }, { count: cells.length, expected: String(mapping.width) }),
            );
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
        rowsPassed += out.length;
        if (out.length > 0) onRows(out);
      },
      complete: () => resolve(),
      error: (err: Error) => reject(err),
    });
  });
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
