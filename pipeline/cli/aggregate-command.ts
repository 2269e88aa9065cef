import path from "node:path";
import type { CountedCell } from "../aggregate/aggregate-rows.ts";
import type { PartialCounts } from "../aggregate/partial-counts.ts";
import { writeCsv } from "../csv/write-csv.ts";
import type { Effects } from "../effects.ts";
import { readLimitsHelp } from "../files/read-limits.ts";
import { countSeverity } from "../issues/catalogue.ts";
import { INDICATOR_COUNTS } from "../load/load-project.ts";
import { processPartnerFile } from "../per-file/process-partner-file.ts";
import { formatCheck, placeFile } from "./check-command.ts";
import { type Command, stringOption } from "./command.ts";
import { plural } from "./format.ts";

export const AGGREGATE_HELP = `Usage: c2c aggregate FILE [options]

For a partner that may not share one row per student: reads a record-level file on your own
computer with the build's own validator, counts it exactly as the build would (every indicator, year,
district and group), and writes those counts as an ${INDICATOR_COUNTS} file. Send that file
instead of the records; the partnership's build publishes the same figures from it, and the records
never leave your computer.

The counts file holds exact counts, small ones included, for the partnership's analyst only: the
build protects small numbers before anything is published.

Options:
  --schema ID      the extract the records follow (default: from the partner's files: pattern)
  --partner ID     the partner sending the file (default: from data/<year>/<partner>/ in the path)
  --project DIR    the partnership's folder (default: found above FILE; else c2c's built-in schemas
                   and indicators, and district codes are kept as written)
  --out FILE       where to write the counts (default: FILE's name with -counts.csv)
${readLimitsHelp(19)}
  -h, --help       show this help

Exit status: 0 when the counts were written, 1 when the file has errors to fix first or cannot be
read (nothing is written; c2c opens only a regular file, never a folder, a FIFO, a device or a
socket), 2 for a mistake in the command.

Examples:
  c2c aggregate assessment-2025.csv --schema student-assessment
  c2c aggregate data/2025/riverside-usd/assessment-2025.csv --out assessment-2025-counts.csv

The partnership then lists the files in partners.yaml (\`combine\`: one counts file per records file):
  extracts:
    - schema: ${INDICATOR_COUNTS}
      files: "*-counts.csv"
      versions: combine
`;

/** A counted cell as the partial table holds it, with its indicator. */
type CountRow = Omit<CountedCell, "withheld"> & { indicator: string };

/** The counts as an `indicator-counts` CSV, in a fixed order so the same records give the same bytes. */
export function countsCsv(partials: PartialCounts): string {
  const rows = (partials.objects() as unknown as CountRow[]).sort(
    (a, b) =>
      a.year - b.year ||
      cmp(a.district, b.district) ||
      cmp(a.school, b.school) ||
      cmp(a.indicator, b.indicator) ||
      cmp(a.dimension === "all" ? "" : a.dimension, b.dimension === "all" ? "" : b.dimension) ||
      cmp(a.group, b.group),
  );
  return writeCsv(
    ["year", "district_id", "school_id", "indicator", "group_type", "group", "denominator", "numerator"],
    rows.map((r) =>
      [r.year, r.district, r.school, r.indicator, r.dimension, r.group, r.denominator, r.numerator].map((v) =>
        typeof v === "number" ? v : String(v),
      ),
    ),
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export async function runAggregate(
  options: {
    file: string;
    schema: string | undefined;
    partner: string | undefined;
    project: string | undefined;
    out: string | undefined;
    c2cRoot: string;
  },
  effects: Effects,
  stdout: (text: string) => void,
): Promise<number> {
  const placed = await placeFile({ ...options, suppressed: [] }, effects);
  if (typeof placed === "number") return placed;
  const { file, project, partner, extract, year, guessed, reading } = placed;
  const schema = project.extracts.get(extract.schema);
  if (schema?.kind !== "record") {
    effects.log.warn(
      `aggregate: \`${extract.schema}\` is already a file of counts; c2c aggregate reads record-level files (${[
        ...project.extracts.values(),
      ]
        .filter((x) => x.kind === "record")
        .map((x) => x.id)
        .join(", ")}).`,
    );
    return 2;
  }
  const processed = await processPartnerFile(
    { path: path.relative(project.root, file).split(path.sep).join("/"), partner: partner.id, year, extract },
    project,
    reading,
  );
  const result = processed.result;
  const errors = countSeverity(result.issues, "error");
  if (errors > 0 || result.rowsRejected > 0) {
    // As `c2c check` says it: which extract the file was taken for, when its header fits none.
    const issues = guessed ? [{ ...guessed, file: options.file }, ...result.issues] : result.issues;
    stdout(formatCheck({ ...result, path: options.file, issues }, extract.schema, 50));
    effects.log.warn(
      "aggregate: fix the errors above first; no counts were written, so no figure is based on part of the file.",
    );
    return 1;
  }
  const out =
    options.out ??
    path.join(path.dirname(options.file), `${path.basename(options.file).replace(/\.[^.]+$/, "")}-counts.csv`);
  const csv = countsCsv(processed.partials);
  await effects.writeFile(out, csv);
  stdout(
    `${options.file}: ${plural(result.rowsAccepted, "record")} counted into ${plural(csv.trimEnd().split("\n").length - 1, "row")} of counts: ${out}\nSend ${out} to the partnership in place of the records (schema ${INDICATOR_COUNTS}).\n`,
  );
  return 0;
}

export const aggregateCommand: Command = {
  name: "aggregate",
  summary: "count a record-level file on the partner's own computer, so only counts are sent",
  help: AGGREGATE_HELP,
  options: {
    schema: { type: "string" },
    partner: { type: "string" },
    project: { type: "string" },
    out: { type: "string" },
  },
  positionals: { min: 1, max: 1, usage: "name one record-level file, e.g. `c2c aggregate assessment-2025.csv`" },
  readLimits: true,
  run: (args, ctx) =>
    runAggregate(
      {
        file: args.positionals[0] as string,
        schema: stringOption(args, "schema"),
        partner: stringOption(args, "partner"),
        project: stringOption(args, "project"),
        out: stringOption(args, "out"),
        c2cRoot: ctx.c2cRoot,
      },
      ctx.effects,
      ctx.stdout,
    ),
};
