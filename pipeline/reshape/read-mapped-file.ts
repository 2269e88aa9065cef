import type { ExtractMapping, ExtractSchema, PartnerExtract } from "../../schemas/index.ts";
import { type Issue, makeIssue, ProblemFolder } from "../issues/catalogue.ts";
import type { Project } from "../load/load-project.ts";
import { rejectsRow } from "../read/bad-spots.ts";
import { columnName } from "../read/map-header.ts";
import { parseRows } from "../read/parse-rows.ts";
import {
  binaryIssue,
  QUOTES_STOPPED,
  type ReadOptions,
  type ReadOutcome,
  readPartnerFile,
  spotIssue,
} from "../read/read-partner-file.ts";
import type { RawRow } from "../rows/raw-row.ts";
import { createReshaper, type ReshapeContext } from "./reshape-rows.ts";

/**
 * How a partner's extract is read: through its mapping when it has one, else as the schema's own
 * layout. `partner` places the mapping in partners.yaml, for the issues that blame it.
 */
export function readerFor(
  extract: PartnerExtract,
  schema: ExtractSchema,
  project: Project,
  partner?: string,
): typeof readPartnerFile {
  if (!extract.mapping) return readPartnerFile;
  const p = project.partners.findIndex((x) => x.id === partner);
  const x =
    p === -1
      ? -1
      : (project.partners[p]?.extracts ?? []).findIndex(
          (e) => e.files === extract.files && e.schema === extract.schema,
        );
  return mappedFileReader({
    mapping: extract.mapping,
    schema,
    percentScale: extract.percentScale,
    vocabularies: project.vocabularies,
    districts: project.config.districts,
    markers: [...extract.suppressed, ...extract.notApplicable],
    ...(x !== -1 ? { mappingKey: `partners[${p}].extracts[${x}].mapping` } : {}),
  });
}

/** The header's column names: one header row, or several joined, as the mapping says. */
export function headerNames(rows: readonly (readonly string[])[], mapping: ExtractMapping): string[] {
  const width = Math.max(0, ...rows.map((r) => r.length));
  const names: string[] = [];
  for (let c = 0; c < width; c++) {
    if (mapping.joinHeaderRows !== undefined)
      names.push(
        rows
          .map((r) => (r[c] ?? "").trim())
          .filter((t) => t !== "")
          .join(mapping.joinHeaderRows),
      );
    else names.push((rows[(mapping.headerRow ?? rows.length) - 1]?.[c] ?? "").trim());
  }
  return names;
}

/**
 * Stage 3 for a file with a mapping: decodes and parses it as it streams (`parseRows`), reads its
 * header rows, and hands on rows reshaped into the extract schema's field order, so validation and
 * everything after it see what a file in the schema's own layout would give. A row with a bad spot
 * costs that row. Same contract as `readPartnerFile`; a file its header stops has its source rows
 * counted as its rows read, none of them used.
 */
export function mappedFileReader(context: Omit<ReshapeContext, "where">) {
  return async function readMappedFile(
    bytes: AsyncIterable<Uint8Array>,
    options: ReadOptions,
    onRows: (rows: RawRow[]) => void,
  ): Promise<ReadOutcome> {
    const { mapping } = context;
    const where = options.where;
    const maxFieldChars = options.maxFieldChars ?? 1024 * 1024;
    const issues: Issue[] = [];
    const folder = new ProblemFolder();
    const headerRows: string[][] = [];
    type Compiled = Extract<ReturnType<typeof createReshaper>, { reshape: unknown }>;
    const state: { reshaper: Compiled | null } = { reshaper: null };
    let failed = false;
    let counting = false;
    let sourceRows = 0;
    let rowsPassed = 0;
    let header: string[] = [];
    const hand = (rows: RawRow[]) => {
      if (rows.length === 0) return;
      rowsPassed += rows.length;
      onRows(rows);
    };

    const parsed = await parseRows(bytes, { delimiter: options.delimiter, maxFieldChars }, (chunk) => {
      const out: RawRow[] = [];
      for (let at = 0; at < chunk.rows.length; at++) {
        const cells = chunk.rows[at] as string[];
        const line = chunk.first + at;
        const spot = chunk.spots?.[at] ?? null;
        if (headerRows.length < mapping.headerRows) {
          if (spot !== null && rejectsRow(spot)) {
            issues.push(spotIssue(spot, { ...where, line }, columnName, maxFieldChars));
            failed = true;
            return true;
          }
          headerRows.push(cells);
          if (headerRows.length === mapping.headerRows) {
            header = headerNames(headerRows, mapping);
            const compiled = createReshaper(header, { ...context, where });
            if (!("reshape" in compiled)) {
              issues.push(...compiled.issues);
              failed = true;
              counting = true;
            } else state.reshaper = compiled;
          }
          continue;
        }
        if (cells.every((c) => c.trim() === "")) continue;
        if (counting) {
          sourceRows++;
          continue;
        }
        const r = state.reshaper;
        if (r === null) continue;
        if (spot !== null) {
          const issue = spotIssue(spot, { ...where, line }, (c) => header[c] || columnName(c), maxFieldChars);
          if (folder.keep(issue)) issues.push(issue);
          if (rejectsRow(spot)) continue;
        }
        const width = headerRows[headerRows.length - 1]?.length ?? 0;
        if (cells.length !== width) {
          issues.push(
            makeIssue(
              cells.length > width ? "extra-cell" : "missing-cell",
              { ...where, line },
              { count: cells.length, expected: String(width) },
            ),
          );
          continue;
        }
        out.push(...r.reshape(cells, line));
      }
      if (failed) return undefined;
      hand(out);
      return options.shouldStop?.() === true ? true : undefined;
    });

    const r = state.reshaper;
    let rowsRead = 0;
    if (r !== null && !failed) {
      hand(r.finish());
      issues.push(...r.issues);
      rowsRead = r.rowsSeen;
    }
    if (parsed.unreadable === "binary") {
      failed = true;
      issues.push(binaryIssue(where));
    } else if (parsed.unreadable === "empty" || (r === null && !failed && headerRows.length < mapping.headerRows)) {
      failed = true;
      issues.push(makeIssue("empty-file", { ...where, line: 1 }));
    }
    if (parsed.unterminated !== null || parsed.guard.stopped) {
      failed = true;
      issues.push(
        makeIssue(
          "parse-error",
          { ...where, line: parsed.unterminated ?? parsed.rows + 1 },
          { detail: QUOTES_STOPPED },
        ),
      );
    }
    // Rows of a file its header stopped: counted as the file's rows, none of them used.
    if (counting) rowsRead = sourceRows;
    return {
      encoding: parsed.encoding,
      delimiter: parsed.delimiter,
      sha256: parsed.sha256,
      bytes: parsed.bytes,
      rowsRead,
      rowsPassed: failed ? 0 : rowsPassed,
      issues,
      failed,
      // A mapped file is never read in parts, which alone ask for these.
      records: rowsRead,
      trailingBlank: 0,
      misshapen: 0,
      linebreak: parsed.linebreak,
      runaways: parsed.guard.runaways,
      endedQuoted: parsed.guard.endedQuoted,
    };
  };
}
