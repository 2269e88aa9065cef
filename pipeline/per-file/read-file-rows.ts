import { emptyPartialColumns, type PartialCounts, partialTable } from "../aggregate/partial-counts.ts";
import type { PartnerFile } from "../discover/discover-files.ts";
import type { Effects } from "../effects.ts";
import { builtinEngine } from "../engine/builtin-engine.ts";
import type { CountingEngine } from "../engine/counting-engine.ts";
import type { FileResult } from "../file-result.ts";
import { issueForReadError } from "../files/file-issues.ts";
import type { Issue } from "../issues/catalogue.ts";
import type { Project } from "../load/load-project.ts";
import { findSpilledRepeats, KeySpill } from "../normalize/key-spill.ts";
import { duplicateIssue, type Normalizer, normalizeRows } from "../normalize/normalize-rows.ts";
import type { TextEncodingName } from "../read/decode-text.ts";
import type { ReadOutcome } from "../read/read-partner-file.ts";
import type { RawRow, ReadPosition } from "../rows/raw-row.ts";
import type { SegmentRepeat } from "../rows/repeat.ts";
import { newValidationState, type ValidationState, validateRows } from "../validate/validate-rows.ts";
import { IssueList } from "./issue-list.ts";
import { readFile } from "./read-file.ts";
import { rowCheckers } from "./row-checkers.ts";
import { takeBack } from "./take-back.ts";

/** A file whose first this many rows were all rejected is not read on: it is the wrong file, or garbage. */
const GIVE_UP_AFTER_ROWS = 10_000;

/** How a file is processed: the engine that counts its rows (default: the builtin one). */
export interface ProcessOptions {
  engine?: CountingEngine;
  /**
   * From this size on, the builtin engine keeps a file's keys on disk, not in memory, and finds
   * repeated rows after reading (default `SPILL_MIN_BYTES`).
   */
  spillMinBytes?: number;
}

/**
 * Files of this size or more keep their keys on disk (`KeySpill`): memory stays flat with the
 * rows. Below it, the keys are kept in memory (about 22 bytes a row), which finds repeats as rows
 * stream and never reads a file twice.
 */
export const SPILL_MIN_BYTES = 256 << 20;

/** Reading one part of a file in a thread of its own (`pipeline/parallel/`): see `FileSegment`. */
export interface SegmentReading {
  /** The file's header line, then the part's rows. */
  bytes: AsyncIterable<Uint8Array>;
  /** The part the file begins with: it alone may give up on a file whose first rows all fail. */
  first: boolean;
  /** The file's encoding, as sniffed from its first bytes (a later part's bytes would sniff on their own). */
  encoding: TextEncodingName;
  /** The bytes `bytes` holds: the key table is sized from them. */
  size: number;
  /** Whether the part's keys go to disk (the file is large): the main thread then finds every repeat. */
  spill: boolean;
  /** Where rows that repeat an earlier row's key go, instead of becoming issues: a later part's lines are renumbered first. */
  repeats: SegmentRepeat[];
}

/** A file's result and its counts. */
export interface ProcessedFile {
  result: FileResult;
  partials: PartialCounts;
}

/** What reading a file's rows (stages 3 to 7) found, before the file's own findings are added. */
export interface FileRows {
  outcome: ReadOutcome;
  /** Validation's issues, in line order (ids that lost their zeros are judged at the end, from `state`). */
  validation: Issue[];
  /** Normalization's issues and repeated rows, in line order. */
  normalization: Issue[];
  state: ValidationState;
  accepted: number;
  checked: number;
  gaveUp: boolean;
  partials: PartialCounts;
  /** The normalizer, with the keys seen (a part's keys are compared with the parts before it). */
  normalizer: Normalizer;
  /** A part's keys on disk, written and closed, for the main thread to find repeats in; else null. */
  spilled: string | null;
}

/** Stages 3 to 7 for a file, or one part of it: its rows read, validated, normalized and counted. */
export async function readFileRows(
  file: PartnerFile,
  project: Project,
  effects: Effects,
  options: ProcessOptions & { segment?: SegmentReading } = {},
): Promise<FileRows | { failed: ProcessedFile }> {
  const engine = options.engine ?? builtinEngine;
  const segment = options.segment;
  const schema = project.extracts.get(file.extract.schema)!;
  const feeds = project.feeds.get(schema.id) ?? [];
  const where = { partner: file.partner, file: file.path };
  const absolute = `${project.root}/${file.path}`;
  const fileSize = segment
    ? segment.size
    : await effects.stat(absolute).then(
        (s) => s.size,
        () => 0,
      );
  const spill =
    !engine.findsRepeats && (segment ? segment.spill : fileSize >= (options.spillMinBytes ?? SPILL_MIN_BYTES))
      ? new KeySpill()
      : null;
  const { validator, normalizer } = rowCheckers(file, project, {
    deferDuplicates: engine.findsRepeats,
    ...(segment ? { repeats: segment.repeats } : {}),
    ...(spill ? { spill } : {}),
  });
  const state = newValidationState();
  const issues = new IssueList();
  const counter = await engine.counterFor({
    feeds,
    kind: schema.kind,
    dimensionFields: schema.roles.dimensions,
    source: file.path,
  });
  const size = normalizer.keys ? fileSize : 0;
  let accepted = 0;
  let checked = 0;
  let gaveUp = false;
  let reserved = false;

  let outcome: ReadOutcome;
  let partials: PartialCounts;
  try {
    try {
      outcome = await readFile(
        file,
        project,
        segment ? segment.bytes : effects.readStream(absolute),
        {
          schema,
          where,
          delimiter: file.extract.delimiter,
          ...(segment ? { encoding: segment.encoding, headerIssues: segment.first } : {}),
          shouldStop: () => {
            if (segment && !segment.first) return false;
            gaveUp = accepted === 0 && checked >= GIVE_UP_AFTER_ROWS;
            return gaveUp;
          },
        },
        (raw: RawRow[], at?: ReadPosition) => {
          checked += raw.length;
          if (!reserved && at !== undefined) reserved = reserveKeys(normalizer, checked, at, size);
          const validated = validateRows(raw, validator, state);
          const normalized = normalizeRows(validated.rows, normalizer);
          issues.addChunk(validated.issues, normalized.issues);
          accepted += normalized.rows.length;
          counter.add(normalized.rows);
        },
      );
    } catch (e) {
      spill?.close();
      return {
        failed: {
          result: {
            partner: file.partner,
            path: file.path,
            schema: schema.id,
            year: file.year,
            sha256: "",
            bytes: 0,
            rowsRead: 0,
            rowsAccepted: 0,
            rowsRejected: 0,
            // A link out of the project, a FIFO swapped in, no permission, a drive that stopped answering.
            issues: [issueForReadError(e, where)],
          },
          partials: noPartials(),
        },
      };
    }
    // Repeats are reported even from a file that failed further on, as the rows before were read.
    if (spill !== null) spill.finish();
    if (spill !== null && !segment) {
      // One part: every repeat is found here, then read again and taken back out of the counts.
      const [repeats = []] = findSpilledRepeats([spill.dir], [0]);
      if (repeats.length > 0) {
        const shown = await takeBack(
          file,
          project,
          () => effects.readStream(absolute),
          undefined,
          repeats.map((r) => r.line),
          (rows) => counter.remove?.(rows),
        );
        issues.addRepeats(
          repeats.map((r) => duplicateIssue(normalizer, r.line, r.first, r.sameRow, shown.get(r.line) ?? "")),
        );
        accepted -= repeats.length;
      }
    }
    const counted = await counter.finish();
    partials = outcome.failed ? noPartials() : counted.partials;
    accepted -= counted.repeats.length;
    issues.addRepeats(counted.repeats.map((r) => duplicateIssue(normalizer, r.line, r.first, r.sameRow, r.shown)));
  } finally {
    await counter.close();
    // A part's keys are the main thread's to read, and to remove.
    if (!segment) spill?.close();
  }
  return {
    outcome,
    validation: issues.validation,
    normalization: issues.normalization,
    state,
    accepted,
    checked,
    gaveUp,
    partials,
    normalizer,
    spilled: segment && spill ? spill.dir : null,
  };
}

/** Counts of no rows: what a file that failed adds. */
export function noPartials(): PartialCounts {
  return partialTable(emptyPartialColumns());
}

/**
 * Sizes the key table once for the rows the whole file is expected to hold, from the rows and
 * bytes read so far, so a large file's table is not doubled (old and new held at once) near its end.
 * Returns whether it is done.
 */
function reserveKeys(n: Normalizer, rows: number, at: ReadPosition, size: number): boolean {
  if (n.keys === null || size === 0) return true;
  if (at.bytes < 4 << 20) return at.bytes >= size;
  if (size > at.bytes * 1.5) n.keys.reserve(Math.ceil(((rows * size) / at.bytes) * 1.02));
  return true;
}
