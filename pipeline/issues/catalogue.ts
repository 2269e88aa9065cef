import { FILE_ACCESS_ISSUES } from "./file-access-issues.ts";

/**
 * Every problem c2c can find in a partner's files, in one place: a stable code, a severity, and the
 * words a data clerk reads. Messages name the value seen; fixes say what to write instead.
 */

export type Severity = "error" | "warning" | "info";

/** What the message templates may mention. All optional; each template uses its own. */
export interface IssueParams {
  value?: string;
  column?: string;
  expected?: string;
  other?: string;
  count?: number;
  detail?: string;
}

export interface CatalogueEntry {
  severity: Severity;
  /** What is wrong, in one sentence. */
  message: (p: IssueParams) => string;
  /** What to do about it. */
  fix: (p: IssueParams) => string;
}

const q = (v: string | undefined) => (v === undefined ? "" : `\`${v}\``);
/** Where a repeated row's first line is in another file: ` of \`data/…/file.csv\``. */
const inFile = (p: IssueParams) => (p.detail === undefined ? "" : ` of ${q(p.detail)}`);
/** A count as a person reads it: 2,112. */
const n = (v: number | undefined) => (v === undefined ? "" : v.toLocaleString("en-US"));

export const ISSUE_CATALOGUE = {
  "file-unreadable": {
    severity: "error",
    message: (p) => `The file could not be opened: ${p.detail ?? "unknown reason"}.`,
    fix: () => "Check that the file exists, is a regular file and can be read, then run the build again.",
  },
  ...FILE_ACCESS_ISSUES,
  "unmatched-file": {
    severity: "warning",
    message: (p) => `No extract of partner ${q(p.other)} matches this file name, so it was not read.`,
    fix: () => "Rename the file to match one of the partner's extracts in partners.yaml, or add an extract for it.",
  },
  "extract-guessed": {
    severity: "info",
    message: (p) =>
      `No extract's required columns are all in this file's header, so it was checked against ${q(p.value)}: ${p.detail ?? ""}.`,
    fix: (p) =>
      `If the file follows another extract, check it again with --schema and one of: ${p.expected ?? ""}. \`c2c template ID\` writes an extract's layout to fill in.`,
  },
  "name-unmatched": {
    severity: "warning",
    message: (p) =>
      `The build will not read this file: its name matches none of partner ${q(p.other)}'s extracts (${p.expected ?? ""}).`,
    fix: () =>
      "Rename the file to match one of them before sending it, or ask the partnership's data analyst to add its name to partners.yaml.",
  },
  "year-unchecked": {
    severity: "info",
    message: () =>
      "The rows' years were not compared with the year this file is for: c2c takes it from the folder (data/2025/…) or the file's name (…-2025.csv), and this file has neither.",
    fix: () =>
      "Check it again with --year and the year it is for (such as --year 2025), or name the file with its year: the build leaves out rows of another year.",
  },
  "unknown-partner": {
    severity: "warning",
    message: (p) => `The folder ${q(p.value)} is not a partner listed in partners.yaml, so its files were not read.`,
    fix: () => "Move the files into the folder named after the partner's id, or add the partner to partners.yaml.",
  },
  "encoding-error": {
    severity: "error",
    message: (p) => `The file has bytes that are not valid ${p.expected ?? "text"}${p.detail ? `: ${p.detail}` : ""}.`,
    fix: () => 'Save the file again as "CSV UTF-8 (Comma delimited)" from Excel, or as UTF-8 from your database tool.',
  },
  "empty-file": {
    severity: "error",
    message: () => "The file has no header row and no data.",
    fix: () => "Export the extract again; the file was empty when it reached us.",
  },
  "parse-error": {
    severity: "error",
    message: (p) => `The row could not be split into columns: ${p.detail ?? "malformed CSV"}.`,
    fix: () =>
      'Look for a quote mark (") that is opened but never closed on this line: delete it, or close it where the value ends, and export the file again.',
  },
  "row-too-long": {
    severity: "error",
    message: (p) =>
      `This row runs on for more than ${p.expected ?? "1 MB"} without a line break, so it was skipped and not used; the rows after it were read.`,
    fix: () =>
      "Look at this line: a value may hold a whole document, or the line breaks between rows were lost. If most of the file is like this, check that it is the CSV export of the extract (not a database dump or a binary file), and export it again.",
  },
  "bad-bytes": {
    severity: "error",
    message: (p) =>
      `The row has ${p.detail ?? "bytes that are not text"}${p.column ? ` in ${q(p.column)}` : ""}; the row was not used.`,
    fix: () =>
      "Retype the value (the character is invisible in most programs), or export the file again: bytes like this usually mean the file was damaged when it was copied or put together from parts.",
  },
  "encoding-mixed": {
    severity: "warning",
    message: (p) =>
      `The row has bytes that are not UTF-8, as the rest of the file is; they were read as Windows-1252, which gives ${q(p.value)}${p.column ? ` in ${q(p.column)}` : ""}. The row was used: check that the value reads right.`,
    fix: () =>
      'Save the file again as "CSV UTF-8" so every line is in one encoding; a line pasted in from another program often brings its own.',
  },
  "too-many-errors": {
    severity: "error",
    message: (p) =>
      `${n(p.count)} of the first ${p.expected} rows could not be used${p.detail ? ` (${p.detail})` : ""}, so c2c stopped reading the file here and used none of it.`,
    fix: () =>
      "Check that this is the right file for this extract and that it was saved as CSV; fix the problems listed for the first rows and send it again.",
  },
  "no-data-rows": {
    severity: "error",
    message: () => "The file has a header row but no data rows.",
    fix: () => "Export the extract again with its rows; an empty template sends nothing.",
  },
  "blank-header": {
    severity: "warning",
    message: () => "A column has no header; its values were ignored.",
    fix: () => "Give the column a header from the template, or delete it if it is empty.",
  },
  "duplicate-header": {
    severity: "error",
    message: (p) =>
      `The header ${q(p.value)} appears ${p.count !== undefined && p.count > 2 ? `${n(p.count)} times` : "more than once"}; ${p.other === "ignored" ? "no column of that name is part of the extract, and a name repeated so usually means columns were pasted or exported twice" : "only the first column of that name was read"}.`,
    fix: (p) =>
      p.count !== undefined && p.count > 2
        ? "Delete or rename the extra columns so each header appears once."
        : "Delete or rename the extra column so each header appears once.",
  },
  "missing-column": {
    severity: "error",
    message: (p) => `The required column ${q(p.column)} is missing, so no row of this file could be used.`,
    fix: (p) =>
      `Add a column headed ${q(p.column)}${p.detail ? ` (${p.detail})` : ""}; the template lists every column.`,
  },
  "mapping-column-missing": {
    severity: "error",
    message: (p) =>
      `The partnership's mapping for this file in partners.yaml (${p.other ?? "the extract's mapping"}) reads a column headed ${q(p.column)}, which this file does not have${p.detail ? ` (its nearest header is ${q(p.detail)})` : ""}, so no row of this file could be used. This is the partnership's configuration, not the partner's file.`,
    fix: (p) =>
      `The partnership's data analyst corrects the column's name in partners.yaml${p.detail ? ` (to ${q(p.detail)}, if that is the column meant)` : ""}; only if the file should have that column does the partner need to send it again with it.`,
  },
  "unknown-column": {
    severity: "info",
    message: (p) => `The column ${q(p.value)} is not part of the ${p.other ?? ""} extract and was ignored.`,
    fix: () => "Nothing to do if the column is not needed; otherwise check its spelling against the template.",
  },
  "extra-cell": {
    severity: "error",
    message: (p) => `The row has ${n(p.count)} cells but the header has ${p.expected}; the row was not used.`,
    fix: () => "Look for an unquoted comma inside a value on this line; put quotes around values that contain commas.",
  },
  "missing-cell": {
    severity: "error",
    message: (p) => `The row has ${n(p.count)} cells but the header has ${p.expected}; the row was not used.`,
    fix: () => "Fill in the missing values on this line, or check for a line break inside a value.",
  },
  "blank-row": {
    severity: "info",
    message: () => "The row is blank and was skipped.",
    fix: () => "Nothing to do; blank rows are skipped.",
  },
  "required-value": {
    severity: "error",
    message: (p) => `The ${q(p.column)} value is blank; the row was not used.`,
    fix: (p) => `Fill in ${q(p.column)}${p.expected ? ` (${p.expected})` : ""}.`,
  },
  "type-error": {
    severity: "error",
    message: (p) => `The ${q(p.column)} value ${q(p.value)} is not ${p.expected}; the row was not used.`,
    fix: (p) => `Write ${p.expected} in ${q(p.column)}${p.detail ? `, ${p.detail}` : ""}.`,
  },
  "unknown-mark": {
    severity: "error",
    message: (p) =>
      `The ${q(p.column)} value ${q(p.value)} looks like a mark for a figure that was withheld or does not apply, but ${p.expected ? `this file's marks are ${p.expected}` : "this file has no such marks set up"}; the row was not used.`,
    fix: () =>
      "If the figure was withheld to protect privacy, write one of the file's marks instead, never a made-up number. To keep this mark, the partnership's data analyst adds it to the partner's suppressed (or notApplicable) marks in partners.yaml; checking a file on its own, pass it with --suppressed.",
  },
  "out-of-range": {
    severity: "error",
    message: (p) => `The ${q(p.column)} value ${q(p.value)} is outside ${p.expected}; the row was not used.`,
    fix: (p) => `Correct ${q(p.column)} to a value within ${p.expected}.`,
  },
  "unknown-code": {
    severity: "error",
    message: (p) => `The ${q(p.column)} value ${q(p.value)} is not a code c2c knows; the row was not used.`,
    fix: (p) => `Use one of: ${p.expected}.${p.detail ? ` Did you mean ${q(p.detail)}?` : ""}`,
  },
  "unknown-geography": {
    severity: "error",
    message: (p) =>
      `The ${q(p.column)} value ${q(p.value)} is not a district of this partnership; the row was not used.`,
    fix: (p) =>
      `Use one of the partnership's district codes: ${p.expected}.${p.detail ? ` Did you mean ${q(p.detail)}?` : ""}`,
  },
  "year-mismatch": {
    severity: "error",
    message: (p) =>
      `The ${q(p.column)} value ${q(p.value)} is not the year this file is for (${p.expected}); the row was not used.`,
    fix: (p) =>
      `Correct the year to ${p.expected}, or move the row to that year's file. If the file holds several years on purpose, set \`years: any\` on the extract in partners.yaml${p.other ? ` (partner ${q(p.other)})` : ""}.`,
  },
  "duplicate-row": {
    severity: "error",
    message: (p) => `This row repeats line ${p.other}${inFile(p)} exactly; it was counted once.`,
    fix: () => "Delete the repeated row.",
  },
  "duplicate-key": {
    severity: "error",
    message: (p) =>
      `This row has the same ${p.column} (${q(p.value)}) as line ${p.other}${inFile(p)} but different values; line ${p.other}${inFile(p)} was used and this row was not.`,
    fix: (p) =>
      `Keep the one correct row and delete the other; if line ${p.other}${inFile(p)} is the wrong one, correct it there.`,
  },
  "contradictory-flags": {
    severity: "error",
    message: (p) =>
      `The row says ${q(p.column)} is ${q(p.value)} but ${q(p.other)} is ${q(p.expected)}: ${p.detail ?? "the two cannot both be true"}; the row was not used.`,
    fix: (p) =>
      `Correct the one that is wrong: ${q(p.column)} can be yes only where ${q(p.other)} is yes (leave ${q(p.column)} blank or no otherwise).`,
  },
  "numerator-exceeds-denominator": {
    severity: "error",
    message: (p) =>
      `The ${q(p.column)} value ${q(p.value)} is larger than ${q(p.other)} (${p.expected}); the row was not used.`,
    fix: (p) => `Check both counts: ${q(p.column)} counts a part of ${q(p.other)} and cannot be larger.`,
  },
  "value-bounded": {
    severity: "info",
    message: (p) =>
      `${n(p.count)} cells were given as a range by the partner (${p.value}); each is kept as its bounds and treated as withheld, never as a number.`,
    fix: () => "Nothing to do; send exact counts instead if you can share them.",
  },
  "id-mangled": {
    severity: "warning",
    message: (p) => `The ${q(p.column)} value ${q(p.value)} looks changed by a spreadsheet: ${p.detail}.`,
    fix: (p) =>
      `Export ${q(p.column)} again with the column formatted as Text in Excel (or straight from your data system), so ids keep every digit${p.expected ? `, e.g. ${q(p.expected)}` : ""}.`,
  },
  "parts-exceed-total": {
    severity: "warning",
    message: (p) => `${p.detail}: the groups add up to more than the total (${p.value}).`,
    fix: () =>
      "Check the total row and the group rows of this measure: a student belongs to one group of each kind, so the groups cannot add up to more than the total.",
  },
  "conflicting-submission": {
    severity: "error",
    message: (p) =>
      `${p.detail}: this file says ${p.value}, but ${q(p.other)} says ${p.expected}. Figures sent twice must agree, so ${p.count === 1 ? "this file's figure was published (the partnership gives it precedence)" : "neither was published"}.`,
    fix: (p) =>
      p.count === 1
        ? "Nothing to do unless this figure is wrong; tell the partnership's analyst if it is."
        : "Agree with the other sender on the right figure and send a corrected file; the analyst may instead list the partner to prefer under `precedence` in partners.yaml.",
  },
  "repeated-submission": {
    severity: "info",
    message: (p) => `${p.detail}: the same figure (${p.value}) also came from ${q(p.other)}; it was counted once.`,
    fix: () => "Nothing to do.",
  },
  "superseded-file": {
    severity: "warning",
    message: (p) =>
      `This file was replaced by ${q(p.other)}, a file of the same kind for the same year whose name marks it as later (a higher version or a later date); its rows were not used.`,
    fix: () => "Nothing to do if the later file is the right one; otherwise remove it from the folder.",
  },
  "versions-undecided": {
    severity: "error",
    message: (p) =>
      `This file and ${q(p.other)} are files of the same kind for the same year, and nothing in their names says which is the later one; neither was used, so the figures they hold are not published.`,
    fix: () =>
      "Remove the file that is out of date, or mark the later one in its name with a version (`-v2`) or a date (`-2025-06-01`).",
  },
  "implausible-change": {
    severity: "warning",
    message: (p) =>
      `${p.detail}: ${p.value}, against ${p.expected} the year before, a change by a factor of more than ${p.other}.`,
    fix: () =>
      "Check that this file holds every school and student it should (and none twice); if the change is real, nothing to do.",
  },
  "source-suppressed": {
    severity: "info",
    message: (p) =>
      `${n(p.count)} cells were withheld by the partner (${p.value}) and are treated as suppressed, never as 0.`,
    fix: () => "Nothing to do; c2c marks these cells as suppressed by the source.",
  },
  "rows-left-out": {
    severity: "info",
    message: (p) => `${n(p.count)} rows were left out by the extract's mapping: ${p.detail}.`,
    fix: () => "Nothing to do if those rows are not the partnership's; otherwise change the mapping in partners.yaml.",
  },
  "count-derived": {
    severity: "info",
    message: (p) =>
      `${n(p.count)} counts in ${q(p.column)} were computed from the rate in ${q(p.value)} and the count it is a rate of in ${q(p.other)}, rounded to a whole number${p.detail ? ` (${p.detail})` : ""}.`,
    fix: () => "Nothing to do; send the counts themselves if you can, so no rounding is needed.",
  },
  "rate-without-count": {
    severity: "warning",
    message: (p) =>
      `${n(p.count)} rates in ${q(p.value)} came without the count they are a rate of${p.detail ? ` (${p.detail})` : ""}; a rate without its count cannot be protected or combined, so nothing from these cells is published.`,
    fix: () =>
      "Send the number counted (the denominator) beside each rate, or the counts themselves, and name that column in the mapping's `of:`.",
  },
  "blank-rate": {
    severity: "info",
    message: (p) =>
      `${n(p.count)} rows have a blank rate${p.detail ? ` (${p.detail})` : ""}; a blank is unknown, never 0, so nothing is read from these rows.`,
    fix: () =>
      "Nothing to do where there is no figure to give (a school without that grade or year); otherwise fill in the rate.",
  },
  "rate-exceeds-one": {
    severity: "error",
    message: (p) =>
      `The rate in ${q(p.column)} is ${q(p.value)}, more than 100%${p.detail ? ` (${p.detail})` : ""}; the row was not used.`,
    fix: () =>
      "Check the rate and the count it is of: a share of a group cannot be more than all of it. Correct the figure, or leave the cell blank.",
  },
} satisfies Record<string, CatalogueEntry>;

export type IssueCode = keyof typeof ISSUE_CATALOGUE;

/** Problems in the partnership's own configuration found in a partner's file: the analyst fixes them, and the build says so. */
export const CONFIGURATION_CODES: ReadonlySet<IssueCode> = new Set<IssueCode>(["mapping-column-missing"]);

/** One problem found in a partner's files, with where it is, what was seen, and how to fix it. */
export interface Issue {
  code: IssueCode;
  severity: Severity;
  partner: string | null;
  /** Project-relative path of the file. */
  file: string | null;
  /** The line as the partner's spreadsheet numbers it (the header is line 1). */
  line: number | null;
  column: string | null;
  value: string | null;
  message: string;
  fix: string;
  /**
   * How many times this problem occurred, where it stands for more than itself: a file keeps the
   * first `KEPT_PER_PROBLEM` of one problem (same code, column and wording) with their lines, and
   * the last kept one counts the rest, so memory does not grow with a file's bad rows.
   */
  count?: number;
}

export { countSeverity, KEPT_PER_PROBLEM, occurrences, ProblemFolder, problemKey } from "./problem-folder.ts";

export interface IssueLocation {
  partner?: string | null;
  file?: string | null;
  line?: number | null;
  column?: string | null;
}

/** Partner text quoted in an issue (a value, a header) is cut to this many characters, with an ellipsis and its length. */
export const QUOTED_CHARS = 200;

/** Partner text as an issue quotes it: whole up to `QUOTED_CHARS` characters, else cut with an ellipsis. */
export function quotedText(v: string): string {
  if (v.length <= QUOTED_CHARS) return v;
  // Never between the two halves of a surrogate pair.
  const high = v.charCodeAt(QUOTED_CHARS - 1);
  return `${v.slice(0, high >= 0xd800 && high <= 0xdbff ? QUOTED_CHARS - 1 : QUOTED_CHARS)}…`;
}

/**
 * Builds an issue from the catalogue, so every message is worded in one place. The partner's own
 * text (the value seen, a header) is quoted whole up to `QUOTED_CHARS` characters, and past that
 * cut, with its length: a megabyte label is not copied into every report.
 */
export function makeIssue(code: IssueCode, where: IssueLocation, params: IssueParams = {}): Issue {
  const entry: CatalogueEntry = ISSUE_CATALOGUE[code];
  const cut: [string, number][] = [];
  const cap = (text: string | undefined): string | undefined => {
    if (text === undefined || text.length <= QUOTED_CHARS) return text;
    const shown = quotedText(text);
    cut.push([shown, text.length]);
    return shown;
  };
  const shown: IssueParams = { ...params };
  if (params.value !== undefined) shown.value = cap(params.value) as string;
  if (params.column !== undefined) shown.column = cap(params.column) as string;
  const column = where.column !== undefined && where.column !== null ? (cap(where.column) as string) : null;
  const withLengths = (text: string) =>
    cut.reduce((t, [s, length]) => t.split(`\`${s}\``).join(`\`${s}\` (${n(length)} characters)`), text);
  return {
    code,
    severity: entry.severity,
    partner: where.partner ?? null,
    file: where.file ?? null,
    line: where.line ?? null,
    column: column ?? shown.column ?? null,
    value: shown.value ?? null,
    message: withLengths(entry.message(shown)),
    fix: withLengths(entry.fix(shown)),
  };
}

/** `file:line: severity: message [code]`, the line a partner reads in a terminal. */
export function formatIssue(issue: Issue): string {
  const where = issue.file ? `${issue.file}${issue.line !== null ? `:${issue.line}` : ""}: ` : "";
  return `${where}${issue.severity}: ${issue.message} ${issue.fix} [${issue.code}]`;
}
