import type { Issue, Severity } from "./catalogue.ts";

/**
 * Folding a problem repeated on many rows: a file keeps the first `KEPT_PER_PROBLEM` of one
 * problem (same code, column and wording) with their lines, and the last kept counts the rest, so
 * memory does not grow with a file's bad rows; counts of issues count what they stand for.
 */

/** How many of one problem a file keeps with their lines; the rest are counted on the last kept. */
export const KEPT_PER_PROBLEM = 1000;

/** How many occurrences an issue stands for. */
export function occurrences(issue: Issue): number {
  return issue.count ?? 1;
}

/** How many problems of a severity the issues stand for, counted ones included. */
export function countSeverity(issues: readonly Issue[], severity: Severity): number {
  let n = 0;
  for (const i of issues) if (i.severity === severity) n += occurrences(i);
  return n;
}

/** Issues of one problem share this key: the same code, column and wording, values and numbers aside. */
export function problemKey(issue: Issue): string {
  return [
    issue.code,
    issue.column ?? "",
    issue.line === null ? "file" : "line",
    wordingOf(issue.message, issue.value),
    wordingOf(issue.fix, issue.value),
  ].join("\u0000");
}

/** A message with the value it quotes and any numbers (lines, counts) replaced, for grouping. */
function wordingOf(text: string, value: string | null): string {
  const withoutValue = value === null || value === "" ? text : text.split(`\`${value}\``).join("`…`");
  return withoutValue.replace(/\d+/g, "#");
}

/**
 * Keeps the first `KEPT_PER_PROBLEM` issues of each problem, in the order given, and counts any
 * later one on the last kept: `keep(issue)` says whether to store it.
 */
export class ProblemFolder {
  private readonly kept = new Map<string, { n: number; last: Issue }>();

  keep(issue: Issue): boolean {
    if (issue.line === null) return true;
    const key = problemKey(issue);
    const seen = this.kept.get(key);
    if (seen === undefined) {
      this.kept.set(key, { n: 1, last: issue });
      return true;
    }
    if (seen.n < KEPT_PER_PROBLEM) {
      seen.n++;
      seen.last = issue;
      return true;
    }
    seen.last.count = occurrences(seen.last) + occurrences(issue);
    return false;
  }
}
