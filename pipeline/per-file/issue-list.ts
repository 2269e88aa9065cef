import { type Issue, ProblemFolder } from "../issues/catalogue.ts";

/**
 * The issues found on a file's rows: validation's, and normalization's with any repeats an engine
 * finds after reading (they join normalization's issues in line order, where the builtin engine
 * finds them, so both engines give the same list). Each list is in line order whatever the chunks
 * were, so a file read in parts by several threads gives the same lists. Each issue's text is stored
 * once however many rows repeat it (a file may have a problem on hundreds of thousands of rows),
 * and past the first `KEPT_PER_PROBLEM` of one problem, the rest are counted, not kept.
 */
export class IssueList {
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
