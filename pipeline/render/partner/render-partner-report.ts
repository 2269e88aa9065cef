import path from "node:path";
import Handlebars from "handlebars";
import type { Partner } from "../../../schemas/index.ts";
import type { FileResult } from "../../file-result.ts";
import { type Issue, type IssueCode, occurrences, problemKey, type Severity } from "../../issues/catalogue.ts";

/** What the build knows about one partner's files, for its private report. */
export interface PartnerReportInput {
  partner: Partner;
  files: FileResult[];
  buildDate: string;
  version: string;
  partnershipName: string;
}

/** `nothing used`: no errors, yet no row could be used (rates without counts, rows of other places). */
export type ReportStatus = "ready" | "needs fixes" | "nothing received" | "nothing used";
export type FileStatus = "ready" | "needs fixes" | "not read" | "nothing used";

/** Issues that share a code, column and wording, however many rows they were found on. */
export interface IssueGroup {
  code: IssueCode;
  severity: Severity;
  column: string | null;
  /** The first issue's message; when `messageVaries`, the others differ in the value or line they quote. */
  message: string;
  fix: string;
  messageVaries: boolean;
  /** The value the first issue quotes. */
  value: string | null;
  /** Distinct values seen, in line order, up to `MAX_VALUES`. */
  values: string[];
  moreValues: number;
  /** How many issues the group stands for. */
  count: number;
  /** The first distinct lines, ascending, up to `MAX_LINES`; empty for an issue about the whole file. */
  lines: number[];
  moreLines: number;
}

export interface IssueCounts {
  errors: number;
  warnings: number;
  infos: number;
}

export interface FileReport extends IssueCounts {
  path: string;
  schema: string | null;
  year: number | null;
  bytes: number;
  sha256: string;
  rowsRead: number;
  rowsAccepted: number;
  rowsRejected: number;
  status: FileStatus;
  /** Errors first, then warnings, then info; within each, whole-file issues before line issues. */
  issues: IssueGroup[];
}

/** One partner's report, as plain data: written as JSON beside the HTML page. */
export interface PartnerReport {
  partner: { id: string; name: string };
  partnershipName: string;
  buildDate: string;
  version: string;
  status: ReportStatus;
  totals: IssueCounts & { files: number; rowsRead: number; rowsAccepted: number; rowsRejected: number };
  files: FileReport[];
}

const MAX_LINES = 10;
const MAX_VALUES = 5;
const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Builds a partner's report from its files' results; pure, and ordered the same way on every run. */
export function buildPartnerReport(input: PartnerReportInput): PartnerReport {
  const files = [...input.files].sort((a, b) => compareText(a.path, b.path)).map(buildFileReport);
  const totals = {
    files: files.length,
    rowsRead: sum(files, (f) => f.rowsRead),
    rowsAccepted: sum(files, (f) => f.rowsAccepted),
    rowsRejected: sum(files, (f) => f.rowsRejected),
    errors: sum(files, (f) => f.errors),
    warnings: sum(files, (f) => f.warnings),
    infos: sum(files, (f) => f.infos),
  };
  const status: ReportStatus =
    files.length === 0
      ? "nothing received"
      : totals.errors > 0
        ? "needs fixes"
        : totals.rowsAccepted === 0 && totals.rowsRead > 0
          ? "nothing used"
          : "ready";
  return {
    partner: { id: input.partner.id, name: input.partner.name },
    partnershipName: input.partnershipName,
    buildDate: input.buildDate,
    version: input.version,
    status,
    totals,
    files,
  };
}

function buildFileReport(file: FileResult): FileReport {
  const counts = countIssues(file.issues);
  const status: FileStatus =
    counts.errors > 0
      ? "needs fixes"
      : file.schema === null
        ? "not read"
        : file.rowsAccepted === 0 && file.rowsRead > 0
          ? "nothing used"
          : "ready";
  return {
    path: file.path,
    schema: file.schema,
    year: file.year,
    bytes: file.bytes,
    sha256: file.sha256,
    rowsRead: file.rowsRead,
    rowsAccepted: file.rowsAccepted,
    rowsRejected: file.rowsRejected,
    status,
    ...counts,
    issues: groupIssues(file.issues),
  };
}

function countIssues(issues: readonly Issue[]): IssueCounts {
  const counts = { errors: 0, warnings: 0, infos: 0 };
  for (const issue of issues) {
    if (issue.severity === "error") counts.errors += occurrences(issue);
    else if (issue.severity === "warning") counts.warnings += occurrences(issue);
    else counts.infos += occurrences(issue);
  }
  return counts;
}

interface GroupAccumulator {
  first: Issue;
  count: number;
  /** Occurrences counted on kept issues, whose lines were not kept. */
  folded: number;
  messageVaries: boolean;
  lines: Set<number>;
  values: Set<string>;
  columns: Set<string | null>;
}

/**
 * Problems about columns themselves (an agency file can have a hundred c2c does not use) are one
 * entry listing the columns, not one entry a column.
 */
const ABOUT_COLUMNS = new Set<Issue["code"]>(["unknown-column"]);

/**
 * Groups issues by code, column, and wording with the quoted value and numbers set aside, so a
 * problem repeated on 4,000 rows is one entry (and columns the extract does not have are one entry
 * too); every issue lands in exactly one group.
 */
export function groupIssues(issues: readonly Issue[]): IssueGroup[] {
  const groups = new Map<string, GroupAccumulator>();
  for (const issue of issues) {
    const key = problemKey(ABOUT_COLUMNS.has(issue.code) ? { ...issue, column: null } : issue);
    let group = groups.get(key);
    if (group === undefined) {
      group = {
        first: issue,
        count: 0,
        folded: 0,
        messageVaries: false,
        lines: new Set(),
        values: new Set(),
        columns: new Set(),
      };
      groups.set(key, group);
    }
    group.columns.add(issue.column);
    group.count += occurrences(issue);
    // Occurrences counted on a kept issue have lines of their own, not kept.
    group.folded += occurrences(issue) - 1;
    if (issue.message !== group.first.message || issue.fix !== group.first.fix) group.messageVaries = true;
    if (issue.line !== null) group.lines.add(issue.line);
    if (issue.value !== null) group.values.add(issue.value);
  }
  return [...groups.values()].map(finishGroup).sort(compareGroups);
}

function finishGroup(group: GroupAccumulator): IssueGroup {
  const lines = [...group.lines].sort((a, b) => a - b);
  const values = [...group.values];
  return {
    code: group.first.code,
    severity: group.first.severity,
    column: group.columns.size > 1 ? null : group.first.column,
    message: group.first.message,
    fix: group.first.fix,
    messageVaries: group.messageVaries,
    value: group.first.value,
    values: values.slice(0, MAX_VALUES),
    moreValues: Math.max(0, values.length - MAX_VALUES),
    count: group.count,
    lines: lines.slice(0, MAX_LINES),
    moreLines: Math.max(0, lines.length - MAX_LINES) + group.folded,
  };
}

function compareGroups(a: IssueGroup, b: IssueGroup): number {
  return (
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
    (a.lines[0] ?? 0) - (b.lines[0] ?? 0) ||
    compareText(a.code, b.code) ||
    compareText(a.column ?? "", b.column ?? "") ||
    compareText(a.message, b.message)
  );
}

/** Code-point order, the same on every machine (unlike `localeCompare`). */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sum<T>(items: readonly T[], of: (item: T) => number): number {
  return items.reduce((n, item) => n + of(item), 0);
}

/** A compiled `reports/partner/report.hbs`. */
export type PartnerReportTemplate = Handlebars.TemplateDelegate<PartnerReportView>;

/** Reads and compiles the report page. Strict, so a missing field fails the build rather than the page. */
export async function loadPartnerReportTemplate(
  readFile: (path: string) => Promise<Uint8Array>,
  c2cRoot: string,
): Promise<PartnerReportTemplate> {
  const source = new TextDecoder().decode(await readFile(path.join(c2cRoot, "reports", "partner", "report.hbs")));
  // A fresh environment: no helpers or partials registered elsewhere can reach this page.
  return Handlebars.create().compile<PartnerReportView>(source, { strict: true, knownHelpersOnly: true });
}

/** Renders a report as one self-contained page. Every partner value is escaped by the template. */
export function renderPartnerReportHtml(report: PartnerReport, template: PartnerReportTemplate): string {
  return template(viewPartnerReport(report));
}

/** Text with `backtick` spans, split so the template can set the spans as code without raw HTML. */
export interface TextPart {
  text: string;
  code: boolean;
}

export interface PartnerReportView {
  title: string;
  partnershipName: string;
  buildDate: string;
  version: string;
  status: { word: string; tone: string; headline: string; details: string[] };
  hasFiles: boolean;
  showTotals: boolean;
  totals: {
    files: string;
    rowsRead: string;
    rowsAccepted: string;
    rowsRejected: string;
    errors: string;
    warnings: string;
  };
  files: FileView[];
}

interface FileView {
  anchor: string;
  path: string;
  /** The path cut after each `/`, so the template can offer a line break there. */
  pathParts: string[];
  about: string;
  size: string;
  sha256: string;
  hasSha256: boolean;
  rowsRead: string;
  rowsAccepted: string;
  rowsRejected: string;
  errors: string;
  warnings: string;
  statusWord: string;
  tone: string;
  summary: string;
  hasIssues: boolean;
  sections: SeverityView[];
}

interface SeverityView {
  heading: string;
  groups: GroupView[];
}

interface GroupView {
  severityWord: string;
  tone: string;
  title: string;
  problemCode: string;
  hasLines: boolean;
  where: string;
  messageLabel: string;
  message: TextPart[];
  fix: TextPart[];
  hasValues: boolean;
  /** `Values seen`, or `Columns` for a problem about columns. */
  valuesLabel: string;
  values: string[];
  moreValues: string;
}

const SEVERITY_WORDS: Record<Severity, { one: string; many: string; tone: string }> = {
  error: { one: "Error", many: "Errors", tone: "error" },
  warning: { one: "Warning", many: "Warnings", tone: "warning" },
  info: { one: "Note", many: "Notes", tone: "info" },
};

const FILE_STATUS: Record<FileStatus, { word: string; tone: string }> = {
  ready: { word: "Ready", tone: "ok" },
  "needs fixes": { word: "Needs fixes", tone: "error" },
  "not read": { word: "Not read", tone: "warning" },
  "nothing used": { word: "Nothing used", tone: "warning" },
};

/** The words and numbers the page shows, worked out here so the template only places them. */
export function viewPartnerReport(report: PartnerReport): PartnerReportView {
  const t = report.totals;
  return {
    title: `Data check for ${report.partner.name}`,
    partnershipName: report.partnershipName,
    buildDate: report.buildDate,
    version: report.version,
    status: viewStatus(report),
    hasFiles: report.files.length > 0,
    showTotals: report.files.length > 1,
    totals: {
      files: count(t.files, "file"),
      rowsRead: formatNumber(t.rowsRead),
      rowsAccepted: formatNumber(t.rowsAccepted),
      rowsRejected: formatNumber(t.rowsRejected),
      errors: formatNumber(t.errors),
      warnings: formatNumber(t.warnings),
    },
    files: report.files.map(viewFile),
  };
}

function viewStatus(report: PartnerReport): PartnerReportView["status"] {
  const t = report.totals;
  const notRead = report.files.filter((f) => f.status === "not read").length;
  const notReadNote =
    notRead > 0
      ? [
          `${count(notRead, "file")} could not be matched to an extract and ${notRead === 1 ? "was" : "were"} not read; see below.`,
        ]
      : [];
  const warningNote =
    t.warnings > 0
      ? [
          `Please also read the ${count(t.warnings, "warning")} below: ${t.warnings === 1 ? "it does" : "they do"} not stop rows being used, but may mean something is wrong.`,
        ]
      : [];
  if (report.status === "nothing received") {
    return {
      word: "Nothing received",
      tone: "warning",
      headline: `No files from ${report.partner.name} were found for this build.`,
      details: [
        "If you have sent files, ask the partnership's data analyst to check that they were saved in your folder for the right year.",
      ],
    };
  }
  if (report.status === "needs fixes") {
    const failing = report.files.filter((f) => f.errors > 0).length;
    // A problem is one entry below; it may stand for the same error on many lines.
    const problems = sum(report.files, (f) => f.issues.filter((g) => g.severity === "error").length);
    const errorsInAll = sum(report.files, (f) => f.errors);
    const rejected =
      t.rowsRejected > 0 ? [`${formatNumber(t.rowsRejected)} of ${count(t.rowsRead, "row")} could not be used.`] : [];
    const one = report.files.length === 1;
    return {
      word: "Needs fixes",
      tone: "error",
      headline: one
        ? "Your file needs fixes before all its rows can be used."
        : `${failing} of your ${report.files.length} files ${failing === 1 ? "needs" : "need"} fixes before all their rows can be used.`,
      details: [
        ...rejected,
        `Fix the ${count(problems, "problem")} marked Error below${errorsInAll > problems ? ` (${count(errorsInAll, "error")} in all, on the lines each names)` : ""}, then send the corrected ${one ? "file" : "files"} again.`,
        ...notReadNote,
        ...warningNote,
      ],
    };
  }
  if (report.status === "nothing used") {
    const one = report.files.length === 1;
    return {
      word: "Nothing used",
      tone: "warning",
      headline: one
        ? "Your file has no errors, but none of its rows could be used."
        : "Your files have no errors, but none of their rows could be used.",
      details: [
        `${count(t.rowsRead, "row")} ${t.rowsRead === 1 ? "was" : "were"} read; the warnings and notes below say why each was left out, and what would let it be used.`,
        ...notReadNote,
      ],
    };
  }
  return {
    word: "Ready",
    tone: "ok",
    headline:
      report.files.length === 1
        ? "Your file is ready: it has no errors."
        : "Your files are ready: they have no errors.",
    details: [
      `${count(t.rowsAccepted, "row")} ${t.rowsAccepted === 1 ? "was" : "were"} accepted.`,
      ...notReadNote,
      ...warningNote,
    ],
  };
}

function viewFile(file: FileReport, index: number): FileView {
  const status = FILE_STATUS[file.status];
  const sections: SeverityView[] = [];
  for (const severity of ["error", "warning", "info"] as const) {
    const groups = file.issues.filter((g) => g.severity === severity);
    if (groups.length === 0) continue;
    const issues = sum(groups, (g) => g.count);
    sections.push({
      heading: `${SEVERITY_WORDS[severity].many} (${formatNumber(issues)})`,
      groups: groups.map(viewGroup),
    });
  }
  return {
    anchor: `file-${index + 1}`,
    path: file.path,
    pathParts: file.path.split(/(?<=\/)/),
    about: [
      file.year === null ? null : `Year ${file.year}`,
      file.schema === null ? "no extract matched" : `read as ${file.schema}`,
    ]
      .filter((s) => s !== null)
      .join(" · "),
    size: formatBytes(file.bytes),
    sha256: file.sha256,
    hasSha256: file.sha256 !== "",
    rowsRead: formatNumber(file.rowsRead),
    rowsAccepted: formatNumber(file.rowsAccepted),
    rowsRejected: formatNumber(file.rowsRejected),
    errors: formatNumber(file.errors),
    warnings: formatNumber(file.warnings),
    statusWord: status.word,
    tone: status.tone,
    summary: summarizeFile(file),
    hasIssues: file.issues.length > 0,
    sections,
  };
}

function summarizeFile(file: FileReport): string {
  if (file.status === "not read") return "This file was not read, so none of its rows were used.";
  if (file.status === "nothing used")
    return `None of its ${count(file.rowsRead, "row")} could be used; the warnings and notes below say why.`;
  const rows = count(file.rowsRead, "row");
  if (file.status === "ready") {
    return file.rowsAccepted === file.rowsRead
      ? `All ${rows} ${file.rowsRead === 1 ? "was" : "were"} accepted.`
      : `${formatNumber(file.rowsAccepted)} of ${rows} accepted.`;
  }
  const rejected = file.rowsRejected > 0 ? ` ${formatNumber(file.rowsRejected)} of ${rows} could not be used.` : "";
  return `${count(file.errors, "error")}.${rejected}`;
}

function viewGroup(group: IssueGroup): GroupView {
  const words = SEVERITY_WORDS[group.severity];
  const distinctLines = group.lines.length + group.moreLines;
  const firstLine = group.lines[0];
  const title = [
    group.column === null ? null : `Column ${group.column}`,
    firstLine === undefined ? "whole file" : count(distinctLines, "line"),
  ]
    .filter((s) => s !== null)
    .join(" · ");
  return {
    severityWord: words.one,
    tone: words.tone,
    title: capitalize(title),
    problemCode: group.code,
    hasLines: firstLine !== undefined,
    where: capitalize(describeLines(group.lines, group.moreLines)),
    messageLabel: !group.messageVaries
      ? "What is wrong"
      : firstLine === undefined
        ? "What is wrong (for example)"
        : `What is wrong (as on line ${formatNumber(firstLine)})`,
    message: splitCode(group.message),
    fix: splitCode(group.fix),
    hasValues: group.values.length > 1,
    valuesLabel: ABOUT_COLUMNS.has(group.code) ? "Columns" : "Values seen",
    values: group.values,
    moreValues:
      group.moreValues > 0
        ? `and ${count(group.moreValues, ABOUT_COLUMNS.has(group.code) ? "other column" : "other value")}`
        : "",
  };
}

/** `line 14`, `lines 14, 27 and 33`, `lines 14, 27, 33 and 3,997 more`. */
export function describeLines(lines: readonly number[], more: number): string {
  const shown = lines.map(formatNumber);
  const word = shown.length + more === 1 ? "line" : "lines";
  if (more > 0) return `${word} ${shown.join(", ")} and ${formatNumber(more)} more`;
  if (shown.length <= 1) return `${word} ${shown.join("")}`;
  return `${word} ${shown.slice(0, -1).join(", ")} and ${shown.at(-1)}`;
}

/** Splits the catalogue's `code` spans out of a message. */
export function splitCode(text: string): TextPart[] {
  return text
    .split("`")
    .map((part, i) => ({ text: part, code: i % 2 === 1 }))
    .filter((p) => p.text !== "");
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function formatNumber(n: number): string {
  return n.toLocaleString("en-US");
}

function count(n: number, word: string): string {
  return `${formatNumber(n)} ${word}${n === 1 ? "" : "s"}`;
}

/** Sizes as Windows Explorer shows them (1 KB = 1,024 bytes), since that is where partners look. */
function formatBytes(bytes: number): string {
  if (bytes < 1024) return count(bytes, "byte");
  if (bytes < 1024 * 1024) return `${formatNumber(Math.ceil(bytes / 1024))} KB`;
  return `${(bytes / (1024 * 1024)).toLocaleString("en-US", { maximumFractionDigits: 1 })} MB`;
}
