import type { ExtractMapping, ExtractSchema, PartnerExtract } from "../../schemas/index.ts";
import type { IssueLocation } from "../issues/catalogue.ts";
import type { Project } from "../load/load-project.ts";
import type { HeaderLayout } from "../read/header-layout.ts";
import { columnName } from "../read/map-header.ts";
import type { ReadOutcome } from "../read/read-partner-file.ts";
import type { RawRow } from "../rows/raw-row.ts";
import { createReshaper, type ReshapeContext, type Reshaper } from "./reshape-rows.ts";

/**
 * Stage 4 for one file with a mapping: the reader takes the file by the mapping's header rows and
 * hands on its rows as the file has them (`header`); reshape turns them into rows of the extract
 * schema (`reshape`, then `finish`), so validation and everything after it see what a file in the
 * schema's own layout would give.
 */
export interface FileReshape {
  /** For the reader: the mapping's header rows, the data rows' cells in the file's own column order. */
  header: HeaderLayout;
  /** The file's rows in, the schema's rows out (cells in the schema's field order). */
  reshape(rows: readonly RawRow[]): RawRow[];
  /** Once read: the rows held back to the end (a pivot's). */
  finish(): RawRow[];
  /** The reader's outcome for the mapped file: rows read are the rows the mapping made, and its issues join the file's. */
  outcome(read: ReadOutcome): ReadOutcome;
}

/** How a partner's extract is reshaped: through its mapping, or null when it has none (the schema's own layout). */
export function reshapeFor(
  extract: PartnerExtract,
  schema: ExtractSchema,
  project: Project,
  where: IssueLocation,
): FileReshape | null {
  if (!extract.mapping) return null;
  const p = project.partners.findIndex((x) => x.id === where.partner);
  const x =
    p === -1
      ? -1
      : (project.partners[p]?.extracts ?? []).findIndex(
          (e) => e.files === extract.files && e.schema === extract.schema,
        );
  return fileReshape({
    mapping: extract.mapping,
    schema,
    percentScale: extract.percentScale,
    vocabularies: project.vocabularies,
    districts: project.config.districts,
    markers: [...extract.suppressed, ...extract.notApplicable],
    where,
    // The mapping's place in partners.yaml, for the issues that blame it.
    ...(x !== -1 ? { mappingKey: `partners[${p}].extracts[${x}].mapping` } : {}),
  });
}

/** A file's reshape from its mapping, compiled once the reader has its header. */
export function fileReshape(context: ReshapeContext): FileReshape {
  const { mapping } = context;
  let reshaper: Reshaper | null = null;
  let passed = 0;
  const made = (rows: RawRow[]) => {
    passed += rows.length;
    return rows;
  };
  return {
    header: {
      rows: mapping.headerRows,
      open(rows) {
        const names = headerNames(rows, mapping);
        const compiled = createReshaper(names, context);
        if (!("reshape" in compiled)) return { issues: compiled.issues, columns: null };
        reshaper = compiled;
        return {
          issues: [],
          columns: {
            width: rows[rows.length - 1]?.length ?? 0,
            labels: names.map((n, c) => n || columnName(c)),
            order: (cells) => cells,
          },
        };
      },
    },
    reshape(rows) {
      const r = reshaper;
      if (r === null) return [];
      const out: RawRow[] = [];
      for (const row of rows) for (const target of r.reshape(row.cells, row.line)) out.push(target);
      return made(out);
    },
    finish() {
      return reshaper === null ? [] : made(reshaper.finish());
    },
    outcome(read) {
      // A file whose header stopped the mapping has its source rows counted as its rows read, none used.
      if (reshaper === null) return read;
      return {
        ...read,
        rowsRead: reshaper.rowsSeen,
        rowsPassed: read.failed ? 0 : passed,
        issues: [...read.issues, ...reshaper.issues],
        // A mapped file is never read in parts, which alone ask for these.
        records: reshaper.rowsSeen,
        trailingBlank: 0,
        misshapen: 0,
      };
    },
  };
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
