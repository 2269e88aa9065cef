import { type CountingPlan, RowAggregator } from "../aggregate/aggregate-rows.ts";
import type { Effects } from "../effects.ts";
import type { CountingEngine } from "../engine/counting-engine.ts";
import { type Issue, ProblemFolder } from "../issues/catalogue.ts";
import type { Project } from "../load/load-project.ts";
import { duplicateIssue } from "../normalize/normalize-rows.ts";
import { mergeByLine } from "../per-file/issue-list.ts";
import { readFileRows } from "../per-file/read-file-rows.ts";
import { takeBack } from "../per-file/take-back.ts";
import type { Repeat, SegmentRepeat } from "../rows/repeat.ts";
import type { ValidationState } from "../validate/validate-rows.ts";
import { type Answer, columnsOf, type SegmentFound, type SegmentJob, type SegmentPart } from "./worker-protocol.ts";

/**
 * Stages 3 to 7 for one part of a large file, in a worker thread: the part's rows are read after
 * the file's header, validated, normalized and counted, with repeats found among the part's own
 * rows. Then the main thread, told what the part found (`ask`), answers where its lines start in
 * the file and which of its rows repeat rows of the parts before it: those are read again and
 * taken back out of the counts, and every issue is renumbered to the file's lines. Null when the
 * main thread reads the file in one thread instead.
 */
export async function readSegment(
  job: SegmentJob,
  project: Project,
  effects: Effects,
  ask: (found: SegmentFound) => Promise<Answer>,
): Promise<SegmentPart | null> {
  const { file, segment } = job;
  const absolute = `${project.root}/${file.path}`;
  const bytes = () =>
    (async function* () {
      if (segment.index > 0) yield* effects.readStream(absolute, { start: 0, end: segment.headerEnd });
      yield* effects.readStream(absolute, { start: segment.start, end: segment.end });
    })();
  let aggregator: RowAggregator | null = null;
  const engine: CountingEngine = {
    name: "builtin",
    findsRepeats: false,
    counterFor: async (plan: CountingPlan) => {
      const counting = new RowAggregator(plan);
      aggregator = counting;
      return {
        add: (rows) => counting.add(rows),
        finish: async () => ({ partials: counting.result(), repeats: [] }),
        close: async () => {},
      };
    },
    close: async () => {},
  };
  const repeats: SegmentRepeat[] = [];
  const read = await readFileRows(file, project, effects, {
    engine,
    segment: {
      bytes: bytes(),
      size: (segment.index > 0 ? segment.headerEnd : 0) + segment.end - segment.start,
      first: segment.index === 0,
      encoding: segment.encoding,
      spill: segment.spill,
      repeats,
    },
  });
  const failed = "failed" in read || aggregator === null;
  const answer = await ask(
    "failed" in read
      ? {
          records: 0,
          trailingBlank: 0,
          misshapen: 0,
          linebreak: "",
          failed: true,
          gaveUp: false,
          runaways: 0,
          keys: new Uint32Array(4),
          spill: null,
        }
      : {
          records: read.outcome.records,
          trailingBlank: read.outcome.trailingBlank,
          misshapen: read.outcome.misshapen,
          linebreak: read.outcome.linebreak,
          failed: read.outcome.failed || failed,
          gaveUp: read.gaveUp,
          runaways: read.outcome.runaways,
          keys: read.normalizer.keys?.release() ?? new Uint32Array(4),
          spill: read.spilled,
        },
  );
  if (answer.type === "abandon" || "failed" in read || aggregator === null) return null;
  const counting = aggregator as RowAggregator;
  const { offset, cross } = answer;
  const shown =
    cross.length > 0
      ? await takeBack(
          file,
          project,
          bytes,
          segment.encoding,
          cross.map((c) => c.line),
          (rows) => counting.remove(rows),
        )
      : new Map<number, string>();

  // Every repeat, numbered as the file numbers its lines: a row repeating one that itself repeats an
  // earlier part's row repeats that earlier row.
  const crossAt = new Map(cross.map((c) => [c.line, c]));
  const all: Repeat[] = repeats.map((r) => {
    const earlier = crossAt.get(r.first);
    return earlier === undefined
      ? { line: r.line + offset, first: r.first + offset, sameRow: r.sameRow, shown: r.shown }
      : { line: r.line + offset, first: earlier.first, sameRow: r.whole === earlier.firstWhole, shown: r.shown };
  });
  for (const c of cross)
    all.push({ line: c.line + offset, first: c.first, sameRow: c.sameRow, shown: shown.get(c.line) ?? "" });
  all.sort((a, b) => a.line - b.line);
  const folder = new ProblemFolder();
  const repeatIssues = all
    .map((r) => duplicateIssue(read.normalizer, r.line, r.first, r.sameRow, r.shown))
    .filter((i) => folder.keep(i));

  const renumber = (issues: Issue[]) => {
    // Part 0's lines are the file's already (its header issues on line 1 among them).
    if (offset !== 0) for (const i of issues) if (i.line !== null) i.line += offset;
    return issues;
  };
  return {
    readIssues: renumber(read.outcome.issues),
    validation: renumber(read.validation),
    normalization: mergeByLine(renumber(read.normalization), repeatIssues),
    state: renumberState(read.state, offset),
    accepted: read.accepted - cross.length,
    checked: read.checked,
    rowsRead: read.outcome.rowsRead,
    rowsPassed: read.outcome.rowsPassed,
    partials: columnsOf(counting.result()),
  };
}

/** The validation state with the lines it keeps renumbered to the file's. */
function renumberState(state: ValidationState, offset: number): ValidationState {
  if (offset !== 0)
    for (const byLength of state.unpaddedIds.values())
      for (const ids of byLength.values()) ids.lines = ids.lines.map((l) => l + offset);
  return state;
}
