import path from "node:path";
import type { ExtractSchema, Partner, PartnerExtract } from "../../schemas/index.ts";
import { PartnerExtractSchema } from "../../schemas/index.ts";
import { fileNamePattern } from "../discover/discover-files.ts";
import { confinedTo, type Effects } from "../effects.ts";
import type { FileResult } from "../file-result.ts";
import { issueForRefusal } from "../files/file-issues.ts";
import { readLimitsHelp } from "../files/read-limits.ts";
import {
  countSeverity,
  formatIssue,
  type Issue,
  KEPT_PER_PROBLEM,
  makeIssue,
  occurrences,
  problemKey,
} from "../issues/catalogue.ts";
import { ProjectError } from "../load/config-error.ts";
import { loadProject, loadStandaloneProject, type Project } from "../load/load-project.ts";
import { processPartnerFile } from "../per-file/process-partner-file.ts";
import { decodeChunks } from "../read/decode-text.ts";
import { mapHeader } from "../read/map-header.ts";
import { detectDelimiter, sepLine } from "../read/parse-rows.ts";
import { parseSchoolYear } from "../values/parse-values.ts";
import { editDistance } from "../values/vocabulary-index.ts";
import type { CheckOptions } from "./check-options.ts";
import { type Command, flag, stringOption } from "./command.ts";
import { plural } from "./format.ts";

export const CHECK_HELP = `Usage: c2c check FILE [options]

Checks one partner file exactly as the build would, on your own machine, and prints every problem
as FILE:LINE: severity: message [code]. Nothing is sent anywhere.

Exit status: 0 when every row would be accepted, 1 when any row would be left out, the file
cannot be read, or the build would not read it under its name, 2 for a mistake in the command.
c2c opens only a regular file: a folder, a FIFO, a device (such as /dev/zero) or a socket is
refused with exit status 1, unopened; so is, in a project, a link that leads out of it.

Options:
  --schema ID       the extract the file follows (default: from the partner's files: pattern;
                    else, and always without a project, from the header row: the extract whose
                    required columns it has, or the closest one, which c2c names)
  --partner ID      the partner sending the file (default: from data/<year>/<partner>/ in the path)
  --year YEAR       the year the file is for, as 2025 or 2024-25, to check that every row is of it
                    (default: from data/<year>/ in the path, else from the file name, such as
                    outcome-counts-2025.csv; without either, rows' years are not compared)
  --project DIR     the partnership's folder (default: found above FILE, if any); without one, the
                    file is checked against c2c's built-in extract schemas
  --suppressed M,M  markers that mean "withheld to protect privacy" when there is no project,
                    e.g. --suppressed '*,n<10'
  --json            print the result as JSON on stdout
  --report FILE     also write a page to read or send: a new file ending in .html (never the
                    file being checked)
  --max-lines N     issues printed per code before summarising the rest (default 50; the same
                    problem on many lines is printed on its first 3, then summed up in one line;
                    0 prints every issue c2c keeps: the first 1,000 of each problem in a file,
                    with their lines, and a count of the rest)
${readLimitsHelp(20)}
  -h, --help        show this help

Examples:
  c2c check assessment-2025.csv
  c2c check data/2025/cedar-hills-sd/outcomes-2025.csv --project fixtures/sample-community
  c2c check counts.csv --schema outcome-counts --suppressed '*' --json
`;

export interface CheckResult {
  file: string;
  schema: string;
  partner: string | null;
  result: FileResult;
}

/** Runs `c2c check`: the build's own stages 1–6 on one file, reported for the partner. */
/** One file placed in its project: the partner sending it, the extract it follows, the folder's year. */
export interface PlacedFile {
  file: string;
  project: Project;
  partner: Partner;
  extract: PartnerExtract;
  year: number | null;
  /** Why the file was checked against an extract whose columns it does not all have, for the partner. */
  guessed: Issue | null;
  /** That the build would not read the file under its name, for the partner. */
  unread: Issue | null;
  /** Checked on its own, with no partnership's folder: the partner is a stand-in. */
  standalone: boolean;
  /** The effects to read the file with: in a project, confined to it. */
  reading: Effects;
}

/**
 * Finds what `check` and `aggregate` need to read one file as the build would: the project above
 * it (or c2c's defaults), its partner, and its extract. Returns an exit code when it cannot.
 */
export async function placeFile(
  options: Pick<CheckOptions, "file" | "schema" | "partner" | "project" | "suppressed" | "c2cRoot" | "year">,
  effects: Effects,
): Promise<PlacedFile | number> {
  const file = path.resolve(options.file);
  const found = await effects.inspect(file);
  if (found.kind === "missing") {
    effects.log.warn(`check: there is no file ${options.file}.`);
    return 2;
  }
  // A FIFO, a device (/dev/zero), a socket or a folder is never opened: reading one would wait, or run, for ever.
  if (found.kind !== "file") {
    effects.log.warn(`check: ${formatIssue(issueForRefusal(found, { file: options.file }))}`);
    return 1;
  }
  let project: Project;
  let partner: Partner;
  let year: number | null = null;
  let reading = effects;
  // Without a project, a file is matched to one of c2c's extracts by its header, unless --schema says.
  let standalone = false;
  try {
    const root =
      options.project !== undefined
        ? path.resolve(options.project)
        : await findProjectRoot(path.dirname(file), effects);
    if (root !== null) {
      project = await loadProject(root, options.c2cRoot, effects);
      // In a project, the file is read as the build reads it: a link that leaves the project is refused.
      reading = confinedTo(root, effects);
      const rel = path.relative(root, file).split(path.sep);
      const inferred = rel[0] === "data" && rel.length === 4 ? rel[2] : undefined;
      if (rel[0] === "data" && rel.length === 4) year = parseSchoolYear(rel[1] ?? "");
      const id = options.partner ?? inferred;
      const found = project.partners.find((p) => p.id === id);
      if (!found) {
        effects.log.warn(
          id === undefined
            ? `check: which partner sends this file? Pass --partner with one of: ${project.partners.map((p) => p.id).join(", ")}.`
            : `check: there is no partner \`${id}\` in partners.yaml; use one of: ${project.partners.map((p) => p.id).join(", ")}.`,
        );
        return 2;
      }
      partner = found;
    } else {
      standalone = true;
      // The extract is chosen below (`--schema`, checked there, or the header): a typo is told as one.
      ({ project, partner } = await loadStandaloneProject(path.dirname(file), options.c2cRoot, effects, {
        schema: DEFAULT_SCHEMA,
        suppressed: options.suppressed,
      }));
    }
  } catch (e) {
    if (e instanceof ProjectError) {
      effects.log.warn("check: the project's own files have problems to fix first:");
      for (const line of e.message.split("\n")) effects.log.warn(`  ${line}`);
      return 1;
    }
    throw e;
  }

  const name = path.basename(file);
  let extract: PartnerExtract | undefined =
    options.schema !== undefined
      ? partner.extracts.find((x) => x.schema === options.schema)
      : standalone
        ? undefined
        : partner.extracts.find((x) => fileNamePattern(x.files).test(name));
  let guessed: Issue | null = null;
  if (!extract) {
    const choices = [...project.extracts.keys()].join(", ");
    let schemaId = options.schema ?? null;
    if (schemaId === null) {
      const guess = await guessSchema(file, [...project.extracts.values()], reading);
      if (guess.kind === "tie") {
        effects.log.warn(
          `check: the header of ${name} fits ${guess.ids.join(" and ")} equally well, so c2c cannot tell which extract it follows. Pass --schema with one of them.`,
        );
        return 2;
      }
      if (guess.kind === "fits" || guess.kind === "closest") schemaId = guess.id;
      else {
        // No header to go by (an empty file, bytes that are not text): reading it says what is wrong.
        schemaId = project.extracts.has(DEFAULT_SCHEMA) ? DEFAULT_SCHEMA : ([...project.extracts.keys()][0] ?? "");
      }
      if (guess.kind === "closest" || guess.kind === "none")
        guessed = makeIssue(
          "extract-guessed",
          { file: options.file },
          {
            value: schemaId,
            detail:
              guess.kind === "none"
                ? `c2c's extract for counts by group, as ${guess.most === 0 ? "no extract has any of its columns here" : `no extract has more than ${plural(guess.most, "column")} here`}`
                : `the closest, with ${guess.matched} of its ${guess.of} columns`,
            expected: choices,
          },
        );
    }
    if (!project.extracts.has(schemaId)) {
      effects.log.warn(
        `check: there is no extract schema \`${schemaId}\`${didYouMean(schemaId, [...project.extracts.keys()])}; use one of: ${choices}.`,
      );
      return 2;
    }
    extract = PartnerExtractSchema.parse({
      schema: schemaId,
      files: "*",
      suppressed: partner.extracts[0]?.suppressed ?? options.suppressed,
      notApplicable: partner.extracts[0]?.notApplicable ?? [],
    });
  }

  // The build takes a file's year from its folder; a file checked elsewhere, from --year or its name.
  year ??= options.year ?? yearInName(name);
  // The build reads a partner's file only under a name one of its extracts gives.
  const unread =
    !standalone && !partner.extracts.some((x) => fileNamePattern(x.files).test(name))
      ? makeIssue(
          "name-unmatched",
          { file: options.file },
          { other: partner.id, expected: partner.extracts.map((x) => x.files).join(", ") },
        )
      : null;
  return { file, project, partner, extract, year, guessed, unread, standalone, reading };
}

/** `2025` from `outcome-counts-2025.csv` or `assessment_2024-25.csv`; null when the name has no one year. */
export function yearInName(name: string): number | null {
  const found = [
    ...name.replace(/\.[^.]*$/, "").matchAll(/(?<![0-9])((?:19|20)\d{2}(?:\s*[-–_]\s*\d{2}(?:\d{2})?)?)(?![0-9])/g),
  ]
    .map((m) => parseSchoolYear((m[1] ?? "").replace("_", "-")))
    .filter((y): y is number => y !== null);
  return new Set(found).size === 1 ? (found[0] as number) : null;
}

/** What a file is checked against when nothing says which extract it follows. */
const DEFAULT_SCHEMA = "outcome-counts";

/** ` (did you mean \`outcome-counts\`?)` for a near miss, else nothing. */
function didYouMean(id: string, ids: readonly string[]): string {
  const near = ids.map((x) => ({ x, d: editDistance(x.toLowerCase(), id.toLowerCase()) })).sort((a, b) => a.d - b.d)[0];
  return near !== undefined && near.d <= 3 ? ` (did you mean \`${near.x}\`?)` : "";
}

/** `FILE:1: info: 175 columns are not part of the X extract and were ignored: `a`, `b` ... and 170 more. ...` */
function ignoredColumns(file: string, schema: string, issues: readonly Issue[]): string {
  const names = issues.map((i) => `\`${i.value ?? ""}\``);
  const listed =
    names.length > IGNORED_NAMED
      ? `${names.slice(0, IGNORED_NAMED).join(", ")} and ${(names.length - IGNORED_NAMED).toLocaleString("en-US")} more`
      : names.join(", ");
  return `${file}:1: info: ${names.length.toLocaleString("en-US")} columns are not part of the ${schema} extract and were ignored: ${listed}. Nothing to do if they are not needed; otherwise check their spelling against the template (--json or --report lists them all). [unknown-column]`;
}

export async function runCheck(
  options: CheckOptions,
  effects: Effects,
  stdout: (text: string) => void,
): Promise<number> {
  if (options.report !== undefined) {
    const report = path.resolve(options.report);
    // A report written over the file being checked would destroy the partner's export.
    if (report === path.resolve(options.file) || !/\.html?$/i.test(report)) {
      effects.log.warn(
        `check: --report writes a web page; give it a new name ending in .html (such as ${path.basename(options.file).replace(/\.[^.]*$/, "")}-check.html), not \`${options.report}\`.`,
      );
      return 2;
    }
  }
  const placed = await placeFile(options, effects);
  if (typeof placed === "number") return placed;
  const { file, project, partner, extract, year, guessed, unread, standalone, reading } = placed;
  const name = path.basename(file);
  const display = path.relative(process.cwd(), file) || name;
  const processed = await processPartnerFile(
    { path: path.relative(project.root, file).split(path.sep).join("/"), partner: partner.id, year, extract },
    project,
    reading,
  );
  const unchecked =
    year === null &&
    extract.years !== "any" &&
    !processed.result.issues.some((i) => i.severity === "error" && i.line !== null && i.line <= 1)
      ? [makeIssue("year-unchecked", { file: display })]
      : [];
  const result: FileResult = {
    ...processed.result,
    path: display,
    issues: [...(unread ? [unread] : []), ...(guessed ? [guessed] : []), ...unchecked, ...processed.result.issues].map(
      (i) => ({
        ...i,
        file: display,
      }),
    ),
  };
  const errors = countSeverity(result.issues, "error");
  // What the exit code says, and --json's `accepted`: every row used, under a name the build reads.
  const accepted = errors === 0 && result.rowsRejected === 0 && unread === null;

  if (options.json) {
    // `issues` keeps the first 1,000 of each problem (a kept issue's `count` says how many it stands
    // for); `totals` counts them all.
    const byCode: Record<string, number> = {};
    for (const i of result.issues) byCode[i.code] = (byCode[i.code] ?? 0) + occurrences(i);
    const totals = {
      errors,
      warnings: countSeverity(result.issues, "warning"),
      infos: countSeverity(result.issues, "info"),
      byCode,
    };
    stdout(`${JSON.stringify({ ...result, file: display, accepted, totals }, null, 2)}\n`);
  } else {
    stdout(formatCheck(result, extract.schema, options.maxLines));
  }
  if (options.report !== undefined) {
    const { writeCheckReport } = await import("./check-report.ts");
    // Checked on its own, the page is named after the file, not a stand-in partner ("Partner").
    const named = standalone ? { ...partner, name: path.basename(file) } : partner;
    const partnership = standalone ? "c2c check" : project.config.partnership.name;
    await writeCheckReport(options.report, named, partnership, result, options, effects);
    effects.log.info(`report written to ${options.report}`);
  }
  return accepted ? 0 : 1;
}

const SEVERITY_ORDER: Record<Issue["severity"], number> = { error: 0, warning: 1, info: 2 };

/** Lines printed of one problem (same code, column and wording) before the rest are summed up. */
const SAME_PROBLEM_LINES = 3;

/** Columns the extract does not have, listed by name in the one line that says they were ignored. */
const IGNORED_NAMED = 5;

/**
 * The lines a partner reads: one per issue, in line order (errors first on a line), at most
 * `maxLines` per code, then a summary. Columns the extract does not have are said in one line
 * (an agency's file can have a hundred and more), not one line each.
 */
export function formatCheck(result: FileResult, schema: string, maxLines: number): string {
  const sorted = [...result.issues].sort(
    (a, b) => (a.line ?? 0) - (b.line ?? 0) || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity],
  );
  const ignored = sorted.filter((i) => i.code === "unknown-column");
  const shown = new Map<string, number>();
  const lines: string[] = [];
  const held = new Map<string, number>();
  // The same problem on many lines: its first few, then one line for the rest (as the report groups them).
  const same = new Map<string, { first: Issue; lines: number[]; more: number }>();
  for (const issue of sorted) {
    if (issue.code === "unknown-column" && ignored.length > 3) {
      if (issue === ignored[0]) lines.push(ignoredColumns(result.path, schema, ignored));
      continue;
    }
    if (maxLines > 0 && issue.line !== null) {
      const key = problemKey(issue);
      const group = same.get(key) ?? { first: issue, lines: [], more: 0 };
      same.set(key, group);
      group.lines.push(issue.line);
      if (group.lines.length > SAME_PROBLEM_LINES) {
        group.more += occurrences(issue);
        continue;
      }
    }
    const n = (shown.get(issue.code) ?? 0) + 1;
    shown.set(issue.code, n);
    if (maxLines > 0 && n > maxLines) held.set(issue.code, (held.get(issue.code) ?? 0) + occurrences(issue));
    else {
      lines.push(formatIssue(issue));
      if (occurrences(issue) > 1)
        lines.push(
          `${result.path}: ... and the same problem on ${plural(occurrences(issue) - 1, "later line")}, counted but not listed (c2c keeps the first ${KEPT_PER_PROBLEM.toLocaleString("en-US")} of each problem in a file).`,
        );
    }
  }
  for (const group of same.values()) {
    if (group.more === 0) continue;
    const later = group.lines.slice(SAME_PROBLEM_LINES);
    const listed = later.slice(0, 5).map((l) => l.toLocaleString("en-US"));
    const rest = group.more - listed.length;
    lines.push(
      `${result.path}: ... and the same ${group.first.severity} as line ${group.first.line} [${group.first.code}] on ${plural(group.more, "more line")}: ${listed.join(", ")}${rest > 0 ? ` and ${rest.toLocaleString("en-US")} more` : ""} (--max-lines 0 prints each).`,
    );
  }
  for (const [code, n] of held)
    lines.push(
      `${result.path}: ... and ${plural(n, "more issue")} [${code}] not printed; --max-lines 0 prints all kept, --json or --report lists them.`,
    );
  const count = (s: Issue["severity"]) => countSeverity(result.issues, s);
  const errors = count("error");
  lines.push("");
  lines.push(
    // A file stopped at its header was not read: "0 rows read" would sound like an empty file.
    result.rowsAccepted === 0 &&
      result.issues.some((i) => i.code === "missing-column" || i.code === "mapping-column-missing")
      ? `${result.path} (${schema}): its rows were not read, as its header row must be fixed first; ${plural(errors, "error")}, ${plural(count("warning"), "warning")}.`
      : `${result.path} (${schema}): ${plural(result.rowsRead, "row")} read, ${result.rowsAccepted.toLocaleString("en-US")} would be accepted, ${result.rowsRejected.toLocaleString("en-US")} left out; ${plural(errors, "error")}, ${plural(count("warning"), "warning")}.`,
  );
  lines.push(
    errors > 0
      ? "Fix the errors above and check the file again before sending it."
      : result.issues.some((i) => i.code === "name-unmatched")
        ? "Rename the file as the warning above says before sending it: under this name the build does not read it."
        : result.rowsAccepted === 0 && result.rowsRead > 0
          ? "No row of this file can be used: read the warnings above before sending it."
          : result.rowsRejected > 0
            ? "The file can be sent; the rows left out are explained above."
            : "The file is ready to send.",
  );
  return `${lines.join("\n")}\n`;
}

export async function findProjectRoot(start: string, effects: Effects): Promise<string | null> {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (await effects.exists(path.join(dir, "c2c.config.yaml"))) return dir;
    if (path.dirname(dir) === dir) return null;
  }
}

/** The extract whose required columns the header holds, with the most columns matched; null when unclear. */
/** Which extract a file's header follows: the one whose columns it has, or else the nearest. */
type SchemaGuess =
  | { kind: "fits" | "closest"; id: string; matched: number; of: number }
  | { kind: "tie"; ids: string[] }
  /** No extract fits, and none is closest: `most` is the most columns any extract has here. */
  | { kind: "none"; most: number }
  /** No header row to go by: an empty file, or bytes that are not text. */
  | { kind: "unreadable" };

/**
 * Reads the header row and scores each extract by the columns found: an extract whose required
 * columns are all there fits (the one with most columns found, if one has more than the others);
 * else the extract with most columns found is the closest, if one has more than the others.
 */
async function guessSchema(file: string, extracts: ExtractSchema[], effects: Effects): Promise<SchemaGuess> {
  let head = "";
  try {
    for await (const text of decodeChunks(effects.readStream(file), () => {})) {
      head += text;
      // Two lines: a `sep=` line may come before the header.
      if (head.indexOf("\n") !== head.lastIndexOf("\n") || head.length > 65536) break;
    }
  } catch {
    return { kind: "unreadable" };
  }
  // Old Mac exports end lines with a lone CR; Excel's `sep=;` first line names the delimiter, before the header.
  const text = head.replace(/^\uFEFF/, "");
  const sep = sepLine(text);
  const headerRow = text.slice(sep?.length ?? 0).split(/\r\n|\r|\n/)[0] ?? "";
  if (headerRow.trim() === "") return { kind: "unreadable" };
  const delimiter = sep?.delimiter ?? detectDelimiter(headerRow);
  const cells = headerRow.split(delimiter).map((c) => c.replace(/^"|"$/g, ""));
  const scored = extracts
    .map((schema) => {
      const { mapping, ok } = mapHeader(cells, schema, {});
      const matched = mapping.columnOfField.filter((c) => c !== -1).length;
      return { id: schema.id, ok, matched, of: schema.fields.length };
    })
    .sort((a, b) => b.matched - a.matched);
  const fitting = scored.filter((s) => s.ok);
  const list = fitting.length > 0 ? fitting : scored;
  const top = list[0];
  if (top === undefined || top.matched === 0) return { kind: "none", most: 0 };
  const tied = list.filter((s) => s.matched === top.matched);
  if (tied.length > 1)
    return fitting.length > 0 ? { kind: "tie", ids: tied.map((s) => s.id) } : { kind: "none", most: top.matched };
  return { kind: fitting.length > 0 ? "fits" : "closest", id: top.id, matched: top.matched, of: top.of };
}

export const checkCommand: Command = {
  name: "check",
  summary: "check one partner file before sending it, with the build's own validator",
  help: CHECK_HELP,
  options: {
    schema: { type: "string" },
    partner: { type: "string" },
    project: { type: "string" },
    suppressed: { type: "string" },
    json: { type: "boolean" },
    report: { type: "string" },
    year: { type: "string" },
    "max-lines": { type: "string", default: "50" },
  },
  positionals: { min: 1, max: 1, usage: "name one file to check, e.g. `c2c check outcomes-2025.csv`" },
  readLimits: true,
  async run(args, ctx) {
    const maxLines = Number(stringOption(args, "max-lines"));
    if (!Number.isInteger(maxLines) || maxLines < 0) {
      ctx.effects.log.warn("check: --max-lines takes a whole number, 0 or more.");
      return 2;
    }
    const yearText = stringOption(args, "year");
    const year = yearText === undefined ? undefined : parseSchoolYear(yearText);
    if (year === null) {
      ctx.effects.log.warn(`check: --year takes the year the file is for, as 2025 or 2024-25, not \`${yearText}\`.`);
      return 2;
    }
    return runCheck(
      {
        file: args.positionals[0] as string,
        year,
        schema: stringOption(args, "schema"),
        partner: stringOption(args, "partner"),
        project: stringOption(args, "project"),
        suppressed: (stringOption(args, "suppressed") ?? "")
          .split(",")
          .map((m) => m.trim())
          .filter((m) => m !== ""),
        json: flag(args, "json"),
        report: stringOption(args, "report"),
        maxLines,
        c2cRoot: ctx.c2cRoot,
        version: ctx.version,
        buildDate: ctx.buildDate,
      },
      ctx.effects,
      ctx.stdout,
    );
  },
};
