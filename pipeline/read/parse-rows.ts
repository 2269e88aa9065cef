import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import Papa from "papaparse";
import { inspectRow, type RowSpot, type SpotCounter } from "./bad-spots.ts";
import { DecodeError, decodeChunks, type TextEncodingName } from "./decode-text.ts";
import { type GuardReport, guardRowLength, guessNewline, RowGuard } from "./guard-row-length.ts";

export interface ParseOptions {
  /** Declared by the partner; else from the file's `sep=` line, else detected from its header line. */
  delimiter?: string | undefined;
  /** A row longer than this (in characters, quoted line breaks included) is cut and skipped. Default 1 MiB. */
  maxFieldChars?: number;
  /** The text's encoding, where already known: a later part of a file is not sniffed on its own. */
  encoding?: TextEncodingName;
}

/** One chunk of rows as papaparse split them. */
export interface ParsedChunk {
  rows: string[][];
  /** The line of `rows[0]`, as the spreadsheet numbers it (the first row after any `sep=` line is 1). */
  first: number;
  /** Each row's worst bad spot, where any row of the chunk may have one; else null. */
  spots: (RowSpot | null)[] | null;
  /** Bytes of the file up to the end of the chunk's last row (estimated from the text's bytes per character). */
  bytes: number;
}

export interface ParseResult {
  encoding: TextEncodingName | null;
  delimiter: string | null;
  /** Null when the file was not read to its end; the caller hashes it then. */
  sha256: string | null;
  bytes: number;
  /** The file is not text from its first line (`binary`), or holds nothing but blank space (`empty`); null when read. */
  unreadable: "binary" | "empty" | null;
  /** Rows parsed (a header included), blank ones too. */
  rows: number;
  /** The line break the rows were split at ("" where nothing was parsed). */
  linebreak: string;
  guard: GuardReport;
  /** A quoted value papaparse found open at the end though the guard took every such quote out (never expected): its row. */
  unterminated: number | null;
}

const DELIMITERS = [",", ";", "\t", "|"] as const;
/** Characters handed to the parser at a time: the rows of one piece are validated and counted before the next. */
export const PARSE_PIECE = 64 * 1024;

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
 * Excel's first line `sep=;` (or `sep=,`, `sep=` and a tab): it names the file's delimiter, and is
 * not the header. Returns the delimiter and the length of the line with its line break, or null.
 */
export function sepLine(text: string): { delimiter: string; length: number } | null {
  const m = /^sep=([^"\r\n])([^\r\n]*)(\r\n|\n|\r|$)/i.exec(text);
  if (!m) return null;
  const [whole, delimiter, rest] = m as unknown as [string, string, string];
  // Only the delimiter again (a spreadsheet pads the line to the header's width) or spaces may follow.
  if (rest.split("").some((ch) => ch !== delimiter && ch.trim() !== "")) return null;
  return { delimiter, length: whole.length };
}

/** Text cut into pieces of at most PARSE_PIECE characters: the rows of one piece die young (a cheap collection), not with the whole megabyte. */
function* pieces(text: string): Generator<string> {
  if (text.length <= PARSE_PIECE) yield text;
  else for (let at = 0; at < text.length; at += PARSE_PIECE) yield text.slice(at, at + PARSE_PIECE);
}

/**
 * Stage 3's first half, for every reader: hashes and decodes a partner file as it streams, takes a
 * `sep=` first line as the delimiter, and splits the rest into rows (papaparse) behind the
 * row-length guard, handing them on a chunk at a time with the bad spot of each row (bytes that are
 * no text, a line in another encoding, a quote that never closes, a row cut at the limit). Memory
 * stays bounded by the chunk size and the limit; the file is never held. `onChunk` returns true to
 * stop reading.
 */
export async function parseRows(
  source: AsyncIterable<Uint8Array>,
  options: ParseOptions,
  onChunk: (chunk: ParsedChunk) => boolean | undefined,
): Promise<ParseResult> {
  const hash = createHash("sha256");
  let byteCount = 0;
  let complete = false;
  async function* hashed(): AsyncGenerator<Uint8Array> {
    for await (const chunk of source) {
      hash.update(chunk);
      byteCount += chunk.length;
      yield chunk;
    }
    complete = true;
  }
  let hex: string | null = null;
  const digest = () => {
    if (complete && hex === null) hex = hash.digest("hex");
    return hex;
  };
  const maxFieldChars = options.maxFieldChars ?? 1024 * 1024;
  const counter: SpotCounter = { pending: 0 };
  let encoding: TextEncodingName | null = null;
  const text = decodeChunks(
    hashed(),
    (e) => {
      encoding = e;
    },
    options.encoding,
    (n) => {
      counter.pending += n;
    },
  );
  const result = (fields: Partial<ParseResult>): ParseResult => ({
    encoding,
    delimiter: options.delimiter ?? null,
    sha256: digest(),
    bytes: byteCount,
    unreadable: null,
    rows: 0,
    linebreak: "",
    guard: { cut: 0, runaways: 0, endedQuoted: false, stopped: false },
    unterminated: null,
    ...fields,
  });

  // Read up to the first line break to choose the delimiter and line break, then stream the rest through papaparse.
  let head = "";
  try {
    // Bounded: the guard only sees the first line once it is in `head`.
    while (head.length <= maxFieldChars) {
      const next = await text.next();
      if (next.done) break;
      head += next.value;
      if (/[\r\n]/.test(next.value)) break;
    }
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    return result({ unreadable: "binary" });
  }
  if (head.trim() === "") {
    // Drain what is left so the checksum covers the whole file.
    for await (const _ of text) void _;
    return result({ unreadable: "empty" });
  }
  const newline = guessNewline(head.slice(0, PARSE_PIECE));
  const sep = sepLine(head);
  let delimiter: string;
  if (sep !== null) {
    delimiter = sep.delimiter;
    head = head.slice(sep.length);
  } else {
    const firstBreak = head.search(/[\r\n]/);
    delimiter =
      options.delimiter ??
      detectDelimiter(head.slice(0, firstBreak === -1 ? Math.min(head.length, PARSE_PIECE) : firstBreak));
  }

  // Characters decoded so far: with the bytes read so far, the bytes a character takes in this file.
  let charsDecoded = head.length;
  async function* rest(): AsyncGenerator<string> {
    yield* pieces(head);
    for await (const t of text) {
      charsDecoded += t.length;
      yield* pieces(t);
    }
  }
  const guard = new RowGuard(delimiter, newline, maxFieldChars, counter);
  // One chunk of text ahead of the parser, not sixteen (each is up to a megabyte).
  const stream = Readable.from(guardRowLength(rest(), guard), { objectMode: true, highWaterMark: 1 });
  let rows = 0;
  let linebreak = "";
  let unterminated: number | null = null;
  await new Promise<void>((resolve, reject) => {
    Papa.parse<string[]>(stream, {
      delimiter,
      newline,
      skipEmptyLines: false,
      chunk(results, parser) {
        const data = results.data as string[][];
        // The guard takes out every quote that never closes; were one left, its row would swallow the rest.
        const open = results.errors.find((e) => e.code === "MissingQuotes");
        if (open !== undefined) {
          unterminated = rows + (open.row ?? 0) + 1;
          parser.abort();
          return;
        }
        if (data.length === 0) return;
        let spots: (RowSpot | null)[] | null = null;
        if (counter.pending > 0) {
          spots = new Array(data.length).fill(null);
          for (let at = 0; at < data.length && counter.pending > 0; at++)
            spots[at] = inspectRow(data[at] as string[], counter);
        }
        const first = rows + 1;
        rows += data.length;
        linebreak = results.meta.linebreak;
        const bytes = Math.round(results.meta.cursor * (byteCount / Math.max(1, charsDecoded)));
        if (onChunk({ rows: data, first, spots, bytes }) === true) parser.abort();
      },
      complete: () => resolve(),
      error: (err: Error) => reject(err),
    });
  });
  // Closes the file when papaparse stopped before its end.
  stream.destroy();
  return result({ delimiter, rows, linebreak, guard: guard.report, unterminated });
}
