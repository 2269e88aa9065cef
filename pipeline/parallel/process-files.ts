import { rmSync } from "node:fs";
import { mergePartials, type PartialCounts, partialTable } from "../aggregate/partial-counts.ts";
import type { PartnerFile } from "../discover/discover-files.ts";
import { type Effects, withReadProgress } from "../effects.ts";
import type { FileResult } from "../file-result.ts";
import type { Project } from "../load/load-project.ts";
import { findSpilledRepeats } from "../normalize/key-spill.ts";
import { findInSlots } from "../normalize/key-table.ts";
import { finishFile } from "../per-file/finish-file.ts";
import { hashFile } from "../per-file/hash-file.ts";
import { foldParts } from "../per-file/issue-list.ts";
import { type ProcessedFile, SPILL_MIN_BYTES } from "../per-file/read-file-rows.ts";
import { sniffEncoding } from "../read/decode-text.ts";
import { sepLine } from "../read/parse-rows.ts";
import { MAX_MISSHAPEN_ROWS } from "../read/read-partner-file.ts";
import { mergeValidationState, newValidationState } from "../validate/validate-rows.ts";
import { readSegment } from "./read-segment.ts";
import type { WorkerPool } from "./worker-pool.ts";
import type {
  Answer,
  CrossRepeat,
  FileJob,
  FileSegment,
  ProjectRef,
  SegmentFound,
  SegmentJob,
  SegmentPart,
} from "./worker-protocol.ts";

/**
 * Stages 3 to 7 for several partner files at once, each whole file in a worker thread of its own
 * (a file streams through one thread, so its rows stay in line order). Results come back in the
 * order the files were given, whatever order they finish in.
 */
export async function processFilesInParallel(
  files: readonly PartnerFile[],
  project: ProjectRef,
  pool: WorkerPool,
  hooks: {
    onProgress?: ReadProgress;
    onFile?: (result: FileResult) => void;
  } = {},
): Promise<{ result: FileResult; partials: PartialCounts }[]> {
  const out: { result: FileResult; partials: PartialCounts }[] = new Array(files.length);
  let next = 0;
  await Promise.all(
    Array.from(
      { length: Math.min(pool.size, files.length) },
      (_, worker) =>
        new Promise<void>((resolve, reject) => {
          const send = () => {
            if (next >= files.length) return resolve();
            const index = next++;
            const file = files[index] as PartnerFile;
            const id = pool.open((m) => {
              if (m.type === "progress") hooks.onProgress?.(m.path, m.read, m.total, m.again);
              else if (m.type === "failed") reject(new Error(`${file.path}: ${m.message}`));
              else if (m.type === "done") {
                pool.close(id);
                out[index] = { result: m.result, partials: partialTable(m.partials) };
                hooks.onFile?.(m.result);
                send();
              }
            }, reject);
            pool.post(worker, { type: "file", ...project, id, file } satisfies FileJob);
          };
          send();
        }),
    ),
  );
  return out;
}

/**
 * Stages 3 to 7 for one large file in parts, one per worker: each part's rows are read after the
 * file's header line, so the threads share the file's work. The file is hashed here meanwhile.
 * Once every part is read, the parts' lines are numbered as the file's, rows that repeat an
 * earlier part's row are taken back out, and the parts' findings are added up as one file's (its
 * issues folded as one file's). The result is the one reading the file in one thread gives. Null
 * when the file cannot be split at line breaks (no line breaks where wanted, not UTF-8), or when
 * what the parts found shows they may not stand for the file (a quote left open at a part's end, a
 * file failed or given up on, many misshapen rows, a blank row at a part's end, an unexpected line
 * break): the caller then reads it in one thread.
 */
export async function processFileInParts(
  file: PartnerFile,
  project: Project,
  parts: PartRunner,
  effects: Effects,
  options: { onProgress?: ReadProgress; spillMinBytes?: number } = {},
): Promise<ProcessedFile | null> {
  const { onProgress } = options;
  const absolute = `${project.root}/${file.path}`;
  const size = await effects.stat(absolute).then(
    (s) => s.size,
    () => 0,
  );
  const plan = await planSegments(absolute, size, parts.count, effects);
  if (plan === null) return null;
  const { linebreak } = plan;
  // A large file's parts write their keys to disk; every repeat is then found here.
  const spill = size >= (options.spillMinBytes ?? SPILL_MIN_BYTES);
  const segments = plan.segments.map((segment) => ({ ...segment, spill }));
  const read = segments.map(() => 0);
  const readAgain = segments.map(() => 0);
  const runs = segments.map((segment, k) =>
    parts.run(file, segment, (bytes, again) => {
      // A later part reads the header line first: not the file's progress. Parts read again (to
      // take rows back out) have a bar of their own.
      const counted = again ? readAgain : read;
      counted[k] = Math.max(counted[k] as number, bytes - (segment.index > 0 ? segment.headerEnd : 0));
      onProgress?.(
        file.path,
        Math.min(
          size,
          counted.reduce((a, b) => a + b, 0),
        ),
        size,
        again,
      );
    }),
  );
  // Avoid unhandled rejections while the other promise of a pair is awaited.
  for (const r of runs) {
    r.found.catch(() => {});
    r.part.catch(() => {});
  }
  const sha256 = hashFile(absolute, effects);
  let spilled: string[] = [];
  const removeSpilled = () => {
    for (const dir of spilled) rmSync(dir, { recursive: true, force: true });
    spilled = [];
  };
  let all: SegmentFound[];
  try {
    all = await Promise.all(runs.map((r) => r.found));
  } catch (e) {
    // A part that failed: the others' keys may be on disk already.
    const settled = await Promise.allSettled(runs.map((r) => r.found));
    for (const f of settled) if (f.status === "fulfilled" && f.value.spill !== null) spilled.push(f.value.spill);
    removeSpilled();
    throw e;
  }
  spilled = all.flatMap((f) => (f.spill === null ? [] : [f.spill]));
  const last = all.length - 1;
  const whole =
    all.every((f) => !f.failed && f.runaways === 0 && (f.linebreak === "" || f.linebreak === linebreak)) &&
    !(all[0] as SegmentFound).gaveUp &&
    all.every((f, k) => k === last || f.trailingBlank === 0) &&
    all.reduce((n, f) => n + f.misshapen, 0) < MAX_MISSHAPEN_ROWS;
  if (!whole) {
    removeSpilled();
    for (const r of runs) r.answer({ type: "abandon" });
    await Promise.all(runs.map((r) => r.part));
    await sha256;
    return null;
  }
  const offsets: number[] = [];
  let lines = 0;
  for (const f of all) {
    offsets.push(lines);
    lines += f.records;
  }
  let answers: CrossRepeat[][];
  if (spill) {
    // Every repeat, within a part or across parts, from the keys on disk.
    try {
      answers = findSpilledRepeats(
        all.map((f) => f.spill ?? ""),
        offsets,
      ).map((repeats) => repeats.map((r) => ({ ...r, firstWhole: 0 })));
    } finally {
      removeSpilled();
    }
  } else answers = runs.map((_, k) => crossRepeats(all, offsets, k));
  // The key tables are done with: let them go while the parts finish.
  for (const f of all) f.keys = new Uint32Array(0);
  runs.forEach((r, k) => {
    r.answer({ type: "resolve", offset: offsets[k] as number, cross: answers[k] as CrossRepeat[] });
  });
  const done = await Promise.all(runs.map((r) => r.part));
  if (done.some((p) => p === null)) return null;
  const got = done as SegmentPart[];
  const state = newValidationState();
  for (const p of got) mergeValidationState(state, p.state);
  return finishFile(
    file,
    project,
    {
      outcome: {
        encoding: (segments[0] as FileSegment).encoding,
        delimiter: file.extract.delimiter ?? null,
        sha256: await sha256,
        bytes: size,
        rowsRead: got.reduce((n, p) => n + p.rowsRead, 0),
        rowsPassed: got.reduce((n, p) => n + p.rowsPassed, 0),
        issues: foldParts(got.map((p) => p.readIssues)),
        failed: false,
        records: lines,
        trailingBlank: (all[last] as SegmentFound).trailingBlank,
        misshapen: all.reduce((n, f) => n + f.misshapen, 0),
        linebreak,
        runaways: 0,
        endedQuoted: false,
      },
      validation: foldParts(got.map((p) => p.validation)),
      normalization: foldParts(got.map((p) => p.normalization)),
      state,
      accepted: got.reduce((n, p) => n + p.accepted, 0),
      checked: got.reduce((n, p) => n + p.checked, 0),
      gaveUp: false,
      partials: mergePartials(got.map((p) => partialTable(p.partials))),
    },
    effects,
  );
}

/** A part being read: what it found, the answer it waits for, and what it reads to. */
export interface PartRun {
  found: Promise<SegmentFound>;
  part: Promise<SegmentPart | null>;
  answer(answer: Answer): void;
}

/** Where a file's parts are read: how many parts, and a reading of one (telling its bytes read). */
export interface PartRunner {
  count: number;
  /** `onRead`: the bytes of the part read so far, and whether it is being read again (rows taken back out). */
  run(file: PartnerFile, segment: FileSegment, onRead: (bytes: number, again: boolean) => void): PartRun;
}

/**
 * Told as a partner file's bytes are read: `again` when they are read a second time (rows sent
 * twice, read again to take them back out of the counts), which has a bar of its own.
 */
export type ReadProgress = (path: string, read: number, total: number, again: boolean) => void;

/** Parts read by the workers of a pool, a part to a worker. */
export function workerParts(pool: WorkerPool, ref: ProjectRef): PartRunner {
  return {
    count: pool.size,
    run(file, segment, onRead) {
      const found = deferred<SegmentFound>();
      const part = deferred<SegmentPart | null>();
      const fail = (e: Error) => {
        found.reject(e);
        part.reject(e);
      };
      const id = pool.open(
        (m) => {
          if (m.type === "progress") onRead(m.read, m.again);
          else if (m.type === "found") found.resolve(m.found);
          else if (m.type === "part") {
            pool.close(id);
            part.resolve(m.part);
          } else if (m.type === "failed") fail(new Error(`${file.path}: ${m.message}`));
        },
        (e) => fail(e),
      );
      pool.post(segment.index, { type: "segment", ...ref, id, file, segment } satisfies SegmentJob);
      return { found: found.promise, part: part.promise, answer: (a) => pool.post(segment.index, { ...a, id }) };
    },
  };
}

/**
 * Parts read by this thread (taking turns chunk by chunk), as the workers read them: to test how
 * parts are put together without starting threads.
 */
export function localParts(count: number, project: Project, effects: Effects): PartRunner {
  return {
    count,
    run(file, segment, onRead) {
      const found = deferred<SegmentFound>();
      const answer = deferred<Answer>();
      const job = {
        type: "segment",
        root: project.root,
        c2cRoot: "",
        only: [],
        id: -1,
        file,
        segment,
      } satisfies SegmentJob;
      const part = readSegment(
        job,
        project,
        withReadProgress(effects, (read, _total, again) => onRead(read, again)),
        (f) => {
          found.resolve(f);
          return answer.promise;
        },
      );
      part.catch((e: unknown) => found.reject(e instanceof Error ? e : new Error(String(e))));
      return { found: found.promise, part, answer: (a) => answer.resolve(a) };
    },
  };
}

/** The rows of part `k` whose key a row of an earlier part had: the earliest such row, by its line in the file. */
function crossRepeats(found: readonly SegmentFound[], offsets: readonly number[], k: number): CrossRepeat[] {
  const out: CrossRepeat[] = [];
  const own = (found[k] as SegmentFound).keys;
  for (let at = 0; at < own.length; at += 4) {
    const line = own[at + 2] as number;
    if (line === 0) continue;
    for (let j = 0; j < k; j++) {
      const keys = (found[j] as SegmentFound).keys;
      const hit = findInSlots(keys, own[at] as number, own[at + 1] as number);
      if (hit === -1) continue;
      const whole = keys[hit + 3] as number;
      out.push({
        line,
        first: (keys[hit + 2] as number) + (offsets[j] as number),
        sameRow: whole === own[at + 3],
        firstWhole: whole,
      });
      break;
    }
  }
  return out.sort((a, b) => a.line - b.line);
}

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
/** How far past each even share of the file to look for a line break to split at. */
const SEARCH_BYTES = 1 << 20;

/**
 * Where to split a file into `count` parts of about equal size: at line breaks between two rows
 * that are not blank, after the header line. Null when the file is not UTF-8, its header line does
 * not end in its first 64 KiB, or no such line break is near a share's end. A line break inside a
 * quoted value cannot be told from here; the part before it then ends inside a quote, which its
 * reading reports, and the file is read in one thread instead.
 */
export async function planSegments(
  absolute: string,
  size: number,
  count: number,
  effects: Effects,
): Promise<{ segments: FileSegment[]; linebreak: string } | null> {
  if (count < 2 || size === 0) return null;
  const head = await bytesAt(absolute, 0, Math.min(size, 64 * 1024), effects);
  const sniffed = sniffEncoding(head);
  if (sniffed?.encoding !== "utf-8") return null;
  let quoted = false;
  let headerBreak = -1;
  // Excel's `sep=` first line comes before the header: every part reads both.
  let lines = sepLine(new TextDecoder().decode(head.subarray(sniffed.bomLength, sniffed.bomLength + 256))) ? 2 : 1;
  for (let i = 0; i < head.length; i++) {
    const b = head[i] as number;
    if (b === QUOTE) quoted = !quoted;
    else if (b === LF && !quoted && --lines === 0) {
      headerBreak = i;
      break;
    } else if (b === CR && !quoted && head[i + 1] !== LF) return null;
  }
  if (headerBreak === -1) return null;
  const crlf = head[headerBreak - 1] === CR;
  const headerEnd = headerBreak + 1;
  const segments: FileSegment[] = [];
  let start = 0;
  for (let k = 1; k < count; k++) {
    const from = Math.max(headerEnd + 2, Math.floor((size * k) / count)) - 2;
    const window = await bytesAt(absolute, from, Math.min(size, from + SEARCH_BYTES), effects);
    let cut = -1;
    for (let i = window.indexOf(LF, 2); i !== -1 && i + 1 < window.length; i = window.indexOf(LF, i + 1)) {
      const next = window[i + 1] as number;
      if (next === LF || next === CR || from + i <= start) continue;
      const before = window[i - 1] as number;
      if (crlf ? before === CR && window[i - 2] !== LF : before !== CR && before !== LF) {
        cut = from + i;
        break;
      }
    }
    if (cut === -1) return null;
    segments.push({ index: k - 1, start, end: crlf ? cut - 1 : cut, headerEnd, encoding: "utf-8", spill: false });
    start = cut + 1;
  }
  segments.push({ index: count - 1, start, end: size, headerEnd, encoding: "utf-8", spill: false });
  return { segments, linebreak: crlf ? "\r\n" : "\n" };
}

/** A promise with its resolve and reject, to settle from a worker's messages. */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (e: Error) => void } {
  let resolve: (value: T) => void = () => {};
  let reject: (e: Error) => void = () => {};
  const promise = new Promise<T>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  return { promise, resolve, reject };
}

async function bytesAt(absolute: string, start: number, end: number, effects: Effects): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of effects.readStream(absolute, { start, end })) chunks.push(chunk);
  return Buffer.concat(chunks);
}
