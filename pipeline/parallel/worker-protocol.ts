import type { PartialColumns, PartialCounts } from "../aggregate/partial-counts.ts";
import type { PartnerFile } from "../discover/discover-files.ts";
import type { FileResult } from "../file-result.ts";
import type { ReadLimits } from "../files/read-limits.ts";
import type { Issue } from "../issues/catalogue.ts";
import type { TextEncodingName } from "../read/decode-text.ts";
import type { ValidationState } from "../validate/validate-rows.ts";

/** The project a worker loads (once): the same folders as the main thread, and `--only`. */
export interface ProjectRef {
  root: string;
  c2cRoot: string;
  /** `--only`: the indicators built, so the worker counts what the main thread would. */
  only: string[];
  /** The bounds of the main thread's reads (`--max-size`, `--read-timeout`), for the worker's own. */
  limits?: ReadLimits;
}

/** What the main thread asks a file worker to do: one whole partner file of one project. */
export interface FileJob extends ProjectRef {
  type: "file";
  id: number;
  file: PartnerFile;
}

/**
 * One part of a large file: its rows from byte `start` up to `end`, which begin and end at line
 * breaks, read after the file's header line (bytes 0 up to `headerEnd`). Part 0 starts at 0.
 */
export interface FileSegment {
  index: number;
  start: number;
  end: number;
  headerEnd: number;
  encoding: TextEncodingName;
  /** Whether the part's keys go to disk (a large file), for the main thread to find every repeat in. */
  spill: boolean;
}

/** What the main thread asks a file worker to do: one part of a large partner file. */
export interface SegmentJob extends ProjectRef {
  type: "segment";
  id: number;
  file: PartnerFile;
  segment: FileSegment;
}

/**
 * What a part's reading found that decides whether the parts can stand for the whole file, and
 * where its lines start: a part that failed, a file given up on, rows that do not line up with
 * the header, a quote that never closes, a blank row at a part's end, or another line break than
 * the file's, send the file back to one thread, which reads it as it always has.
 */
export interface SegmentFound {
  records: number;
  trailingBlank: number;
  misshapen: number;
  linebreak: string;
  failed: boolean;
  gaveUp: boolean;
  /** Quotes that never closed in the part: the part may have started or ended inside a quoted value. */
  runaways: number;
  /** The part's key table (its lines the part's own, from 2): to find rows that repeat earlier parts' rows. */
  keys: Uint32Array;
  /** Or, for a large file, the folder its keys were written to (the main thread removes it). */
  spill: string | null;
}

/** A row of a part whose key a row of an earlier part had. */
export interface CrossRepeat {
  /** The row's line as the part numbers it. */
  line: number;
  /** The earlier row's line in the file. */
  first: number;
  /** Whether the whole row repeats the earlier one. */
  sameRow: boolean;
  /** The earlier row's whole-row hash: a later row of this part repeating this one repeats that row. */
  firstWhole: number;
}

/** The main thread's answer to a part's `found`: where its lines start and which rows repeat, or to stop. */
export type Answer = { type: "resolve"; offset: number; cross: CrossRepeat[] } | { type: "abandon" };

/** An answer, to the worker reading the part of job `id`. */
export type SegmentAnswer = Answer & { id: number };

/** A part's findings, its lines now the file's: what the main thread adds up into the file's. */
export interface SegmentPart {
  readIssues: Issue[];
  validation: Issue[];
  normalization: Issue[];
  state: ValidationState;
  accepted: number;
  checked: number;
  rowsRead: number;
  rowsPassed: number;
  partials: PartialColumns;
}

/** Load the project now, before any file is given: while the main thread loads it too. */
export interface LoadJob extends ProjectRef {
  type: "load";
}

export type ToWorker = LoadJob | FileJob | SegmentJob | SegmentAnswer;

/** What a file worker answers. */
export type FromWorker =
  | { type: "progress"; id: number; path: string; read: number; total: number; again: boolean }
  | { type: "done"; id: number; result: FileResult; partials: PartialColumns }
  | { type: "found"; id: number; found: SegmentFound }
  | { type: "part"; id: number; part: SegmentPart | null }
  | { type: "failed"; id: number; message: string };

const COLUMNS = [
  "indicator",
  "year",
  "district",
  "school",
  "dimension",
  "group",
  "source",
  "numerator",
  "denominator",
  "withheld",
] as const satisfies readonly (keyof PartialColumns)[];

/** A partial table as plain arrays, to cross between threads. */
export function columnsOf(partials: PartialCounts): PartialColumns {
  const out = {} as Record<(typeof COLUMNS)[number], unknown[]>;
  for (const name of COLUMNS) out[name] = Array.from(partials.array(name) as ArrayLike<unknown>);
  return out as unknown as PartialColumns;
}
