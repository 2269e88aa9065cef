import { createHash } from "node:crypto";
import type { Partner } from "../schemas/index.ts";
import { aggregateRows } from "./aggregate/aggregate-rows.ts";
import { findPartsExceedTotal } from "./aggregate/cross-checks.ts";
import { PartialAccumulator, type PartialCounts } from "./aggregate/partial-counts.ts";
import type { PartnerFile } from "./discover/discover-files.ts";
import type { Effects } from "./effects.ts";
import type { FileResult } from "./file-result.ts";
import { type Issue, makeIssue } from "./issues/catalogue.ts";
import type { Project } from "./load/load-project.ts";
import { createNormalizer, normalizeRows } from "./normalize/normalize-rows.ts";
import type { readPartnerFile } from "./read/read-partner-file.ts";
import { readerFor } from "./reshape/read-mapped-file.ts";
import { createRowValidator, newValidationState, validateRows } from "./validate/validate-rows.ts";

/** A file whose first this many rows were all rejected is not read on: it is the wrong file, or garbage. */
const GIVE_UP_AFTER_ROWS = 10_000;

export interface ProcessedFile {
  result: FileResult;
  partials: PartialCounts;
}

/**
 * Stages 3 to 6 for one partner file, as it streams: each chunk of rows is read, validated,
 * normalized and counted before the next is read, so memory depends on the number of cells, not
 * rows. A file that fails costs only its own rows.
 */
export async function processPartnerFile(
  file: PartnerFile,
  project: Project,
  effects: Effects,
): Promise<ProcessedFile> {
  const partner = project.partners.find((p) => p.id === file.partner) as Partner;
  const schema = project.extracts.get(file.extract.schema)!;
  const feeds = project.feeds.get(schema.id) ?? [];
  const where = { partner: partner.id, file: file.path };
  const absolute = `${project.root}/${file.path}`;
  const validator = createRowValidator(schema, file.extract, project.vocabularies, where);
  const normalizer = createNormalizer(
    schema,
    partner,
    project.config,
    project.vocabularies,
    where,
    file.year,
    file.extract.years,
  );
  const state = newValidationState();
  const issues: Issue[] = [];
  const accumulator = new PartialAccumulator();
  let accepted = 0;
  let checked = 0;
  let gaveUp = false;

  const base = { partner: partner.id, path: file.path, schema: schema.id, year: file.year };
  let outcome: Awaited<ReturnType<typeof readPartnerFile>>;
  try {
    // An agency file with a mapping is reshaped into the schema's layout as it is read.
    outcome = await readerFor(file.extract, schema, project)(
      effects.readStream(absolute),
      {
        schema,
        where,
        delimiter: file.extract.delimiter,
        shouldStop: () => {
          gaveUp = accepted === 0 && checked >= GIVE_UP_AFTER_ROWS;
          return gaveUp;
        },
      },
      (raw) => {
        checked += raw.length;
        const validated = validateRows(raw, validator, state);
        const normalized = normalizeRows(validated.rows, normalizer);
        issues.push(...validated.issues, ...normalized.issues);
        accepted += normalized.rows.length;
        for (const part of aggregateRows(normalized.rows, feeds, schema.kind, schema.roles.dimensions, file.path))
          accumulator.add(part);
      },
    );
  } catch (e) {
    const detail = e instanceof Error ? e.message.replace(/^[A-Z]+: /, "") : String(e);
    return {
      result: {
        ...base,
        sha256: "",
        bytes: 0,
        rowsRead: 0,
        rowsAccepted: 0,
        rowsRejected: 0,
        issues: [makeIssue("file-unreadable", where, { detail })],
      },
      partials: new PartialAccumulator().result(),
    };
  }

  if (gaveUp)
    issues.push(
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
    issues.push(
      makeIssue("source-suppressed", where, { count, value: markers.map(([m, c]) => `${m} ×${c}`).join(", ") }),
    );
  }
  const ranges = [...state.ranges.entries()];
  if (ranges.length > 0) {
    const count = ranges.reduce((n, [, c]) => n + c, 0);
    issues.push(makeIssue("value-bounded", where, { count, value: ranges.map(([m, c]) => `${m} ×${c}`).join(", ") }));
  }
  const partials = outcome.failed ? new PartialAccumulator().result() : accumulator.result();
  if (schema.kind === "aggregate") issues.push(...findPartsExceedTotal(partials, project.indicators, where));
  const blankRows = [...outcome.issues, ...issues].filter((i) => i.code === "blank-row").length;
  // A header and nothing else reads without a single bad row, yet sends nothing: say so.
  const empty =
    !outcome.failed && outcome.rowsRead - blankRows === 0 && !outcome.issues.some((i) => i.severity === "error");
  if (empty) issues.push(makeIssue("no-data-rows", where));
  const allIssues = [...outcome.issues, ...issues];
  const blank = blankRows;
  return {
    result: {
      ...base,
      sha256: outcome.sha256 ?? (await hashFile(absolute, effects)),
      bytes: outcome.bytes,
      rowsRead: outcome.rowsRead - blank,
      rowsAccepted: accepted,
      rowsRejected: Math.max(0, outcome.rowsRead - blank - accepted),
      issues: allIssues,
    },
    partials,
  };
}

/** The sha256 of a file, streamed; used when reading stopped early. */
export async function hashFile(path: string, effects: Effects): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of effects.readStream(path)) hash.update(chunk);
  return hash.digest("hex");
}
