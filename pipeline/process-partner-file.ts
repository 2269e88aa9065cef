import { createHash } from "node:crypto";
import type { ExtractSchema } from "../schemas/index.ts";
import { findPartsExceedTotal } from "./aggregate/cross-checks.ts";
import { emptyPartialColumns, type PartialCounts, partialTable } from "./aggregate/partial-counts.ts";
import type { PartnerFile } from "./discover/discover-files.ts";
import type { Effects } from "./effects.ts";
import { builtinEngine } from "./engine/builtin-engine.ts";
import type { CountingEngine } from "./engine/counting-engine.ts";
import type { FileResult } from "./file-result.ts";
import { issueForReadError } from "./files/file-issues.ts";
import { type Issue, type IssueLocation, makeIssue, occurrences, ProblemFolder } from "./issues/catalogue.ts";
import type { Project } from "./load/load-project.ts";
import { findSpilledRepeats, KeySpill } from "./normalize/key-spill.ts";
import {
  createNormalizer,
  duplicateIssue,
  type NormalizedRow,
  type Normalizer,
  normalizeRows,
} from "./normalize/normalize-rows.ts";
import type { TextEncodingName } from "./read/decode-text.ts";
import { type ReadOutcome, readPartnerFile } from "./read/read-partner-file.ts";
import { readerFor } from "./reshape/read-mapped-file.ts";
import type { RawRow, ReadPosition } from "./rows/raw-row.ts";
import type { SegmentRepeat } from "./rows/repeat.ts";
import {
  createRowValidator,
  lostZeros,
  newValidationState,
  type RowValidator,
  type ValidationState,
  validateRows,
} from "./validate/validate-rows.ts";

/** A file whose first this many rows were all rejected is not read on: it is the wrong file, or garbage. */
const GIVE_UP_AFTER_ROWS = 10_000;

export interface ProcessedFile {
  result: FileResult;
  partials: PartialCounts;
}

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

/** What reading a file's rows (stages 3 to 6) found, before the file's own findings are added. */
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

/**
 * Stages 3 to 6 for one partner file, as it streams: each chunk of rows is read, validated,
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

/** Stages 3 to 6 for a file, or one part of it: its rows read, validated, normalized and counted. */
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

  let outcome: Awaited<ReturnType<typeof readPartnerFile>>;
  let partials: PartialCounts;
  try {
    try {
      // An agency file with a mapping is reshaped into the schema's layout as it is read.
      outcome = await readerFor(
        file.extract,
        schema,
        project,
        file.partner,
      )(
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

/**
 * Two lists in line order as one, in line order; on the same line, `a`'s issues come first (a
 * row's own issues before the note that it repeats an earlier row).
 */
export function mergeByLine(a: readonly Issue[], b: readonly Issue[]): Issue[] {
  if (b.length === 0) return [...a];
  if (a.length === 0) return [...b];
  const out: Issue[] = [];
  const lineOf = (i: Issue) => i.line ?? 0;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && lineOf(a[i] as Issue) <= lineOf(b[j] as Issue))) out.push(a[i++] as Issue);
    else out.push(b[j++] as Issue);
  }
  return out;
}

/**
 * Lists of issues of consecutive parts of one file as one list, folded as one file's would be:
 * past the first `KEPT_PER_PROBLEM` of a problem, the rest are counted on the last kept.
 */
export function foldParts(parts: readonly (readonly Issue[])[]): Issue[] {
  const folder = new ProblemFolder();
  const out: Issue[] = [];
  for (const part of parts) for (const issue of part) if (folder.keep(issue)) out.push(issue);
  return out;
}

function noPartials(): PartialCounts {
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

/**
 * The issues found on a file's rows: validation's, and normalization's with any repeats an engine
 * finds after reading (they join normalization's issues in line order, where the builtin engine
 * finds them, so both engines give the same list). Each list is in line order whatever the chunks
 * were, so a file read in parts by several threads gives the same lists. Each issue's text is stored
 * once however many rows repeat it (a file may have a problem on hundreds of thousands of rows),
 * and past the first `KEPT_PER_PROBLEM` of one problem, the rest are counted, not kept.
 */
class IssueList {
  readonly validation: Issue[] = [];
  normalization: Issue[] = [];
  private readonly folder = new ProblemFolder();
  private readonly texts = new Map<string, string>();

  addChunk(validation: readonly Issue[], normalization: readonly Issue[]): void {
    for (const issue of validation) if (this.folder.keep(issue)) this.validation.push(this.compact(issue));
    for (const issue of normalization) if (this.folder.keep(issue)) this.normalization.push(this.compact(issue));
  }

  /** Repeats found after reading, in line order. */
  addRepeats(repeats: Issue[]): void {
    const kept = repeats.filter((r) => this.folder.keep(r)).map((r) => this.compact(r));
    if (kept.length > 0) this.normalization = mergeByLine(this.normalization, kept);
  }

  /**
   * The issue with its texts shared with earlier issues that have the same (up to a bound), and
   * copied out of the text they were cut from: a value quoted from a row is a slice of the
   * megabyte of the file that row was parsed from, and would keep all of it alive.
   */
  private compact(issue: Issue): Issue {
    issue.message = this.text(issue.message);
    issue.fix = this.text(issue.fix);
    if (issue.value !== null) issue.value = this.text(issue.value);
    return issue;
  }

  private text(s: string): string {
    const known = this.texts.get(s);
    if (known !== undefined) return known;
    const own = detach(s);
    if (this.texts.size < 10_000) this.texts.set(own, own);
    return own;
  }
}

/** A copy of `s` that shares no memory with the strings it was sliced or joined from. */
function detach(s: string): string {
  // Slicing a fresh concatenation makes V8 copy the characters into a string of their own.
  return s.length < 13 ? s : ` ${s}`.slice(1);
}

/** A file's row validator and normalizer, built once for its schema, partner and vocabularies. */
export function rowCheckers(
  file: PartnerFile,
  project: Project,
  options: Parameters<typeof createNormalizer>[7],
): { schema: ExtractSchema; where: IssueLocation; validator: RowValidator; normalizer: Normalizer } {
  const partner = project.partners.find((p) => p.id === file.partner);
  const schema = project.extracts.get(file.extract.schema);
  if (!partner || !schema) throw new Error(`${file.path}: its partner or schema is not in the project`);
  const where = { partner: partner.id, file: file.path };
  return {
    schema,
    where,
    validator: createRowValidator(schema, file.extract, project.vocabularies, where),
    normalizer: createNormalizer(
      schema,
      partner,
      project.config,
      project.vocabularies,
      where,
      file.year,
      file.extract.years,
      options,
    ),
  };
}

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
  await readPartnerFile(
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

/** The sha256 of a file, streamed; used when reading stopped early. */
export async function hashFile(path: string, effects: Effects): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of effects.readStream(path)) hash.update(chunk);
  return hash.digest("hex");
}
