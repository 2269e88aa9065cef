import type { ExtractSchema } from "../../schemas/index.ts";
import { type Issue, type IssueLocation, makeIssue } from "../issues/catalogue.ts";
import { normalizeLabel } from "../validate/parse-values.ts";

/** Which file column feeds each schema field (by field index); -1 where the column is absent. */
export interface HeaderMapping {
  columnOfField: number[];
  /** How many columns the header row has. */
  width: number;
}

/**
 * Matches a header row to the schema's fields by name, title or alias, ignoring case, spacing and
 * punctuation. Reports blank, duplicate, unknown and missing columns; `ok` is false when a required
 * column is missing, since then no row can be used.
 */
export function mapHeader(
  cells: readonly string[],
  schema: ExtractSchema,
  where: IssueLocation,
): { mapping: HeaderMapping; issues: Issue[]; ok: boolean } {
  const lookup = new Map<string, number>();
  schema.fields.forEach((f, i) => {
    for (const label of [f.name, f.title, ...f.aliases]) {
      const key = normalizeLabel(label);
      if (key && !lookup.has(key)) lookup.set(key, i);
    }
  });
  const issues: Issue[] = [];
  const columnOfField = schema.fields.map(() => -1);
  // Trailing empty header cells are what spreadsheets leave behind; they are not columns.
  let width = cells.length;
  while (width > 0 && cells[width - 1]?.trim() === "") width--;
  for (let c = 0; c < width; c++) {
    const text = cells[c] ?? "";
    const column = columnName(c);
    if (text.trim() === "") {
      issues.push(makeIssue("blank-header", { ...where, line: 1, column }));
      continue;
    }
    const field = lookup.get(normalizeLabel(text));
    if (field === undefined) {
      issues.push(makeIssue("unknown-column", { ...where, line: 1, column: text }, { value: text, other: schema.id }));
    } else if (columnOfField[field] !== -1) {
      issues.push(makeIssue("duplicate-header", { ...where, line: 1, column: text }, { value: text }));
    } else {
      columnOfField[field] = c;
    }
  }
  let ok = true;
  schema.fields.forEach((f, i) => {
    if (f.required && columnOfField[i] === -1) {
      ok = false;
      issues.push(
        makeIssue("missing-column", { ...where, line: 1, column: f.name }, { column: f.name, detail: f.title }),
      );
    }
  });
  return { mapping: { columnOfField, width }, issues, ok };
}

/** The spreadsheet's name for a 0-based column: A, B, ..., Z, AA. */
export function columnName(index: number): string {
  let name = "";
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}
