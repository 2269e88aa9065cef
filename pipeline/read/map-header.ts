import type { ExtractSchema } from "../../schemas/index.ts";
import { type Issue, type IssueLocation, makeIssue } from "../issues/catalogue.ts";
import { normalizeLabel } from "../values/parse-values.ts";

/** Which file column feeds each schema field (by field index); -1 where the column is absent. */
export interface HeaderMapping {
  columnOfField: number[];
  /** How many columns the header row has. */
  width: number;
}

/** Repeated header names reported one by one; past these, the last one reported counts the rest. */
export const REPEATED_HEADERS_KEPT = 100;

/**
 * Matches a header row to the schema's fields by name, title or alias, ignoring case, spacing and
 * punctuation. Reports blank, unknown and missing columns, and each repeated name once (how many
 * times it appears, the first `REPEATED_HEADERS_KEPT` names; the last counts the rest): a header of
 * 100,000 copies of one name is one problem, not 100,000. `ok` is false when a required column is
 * missing, since then no row can be used.
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
  // A name seen already: a field's (by its index) or an unknown column's (by its label).
  const seen = new Set<string>();
  const repeated = new Map<string, { text: string; known: boolean; count: number; at: number }>();
  // Trailing empty header cells are what spreadsheets leave behind; they are not columns.
  let width = cells.length;
  while (width > 0 && cells[width - 1]?.trim() === "") width--;
  for (let c = 0; c < width; c++) {
    const text = cells[c] ?? "";
    if (text.trim() === "") {
      issues.push(makeIssue("blank-header", { ...where, line: 1, column: columnName(c) }));
      continue;
    }
    const label = normalizeLabel(text);
    const field = lookup.get(label);
    const key = field === undefined ? `column\u0000${label}` : `field\u0000${field}`;
    if (!seen.has(key)) {
      seen.add(key);
      if (field === undefined)
        issues.push(
          makeIssue("unknown-column", { ...where, line: 1, column: text }, { value: text, other: schema.id }),
        );
      else columnOfField[field] = c;
      continue;
    }
    const repeat = repeated.get(key);
    if (repeat !== undefined) repeat.count++;
    else {
      // Reported where the name first repeats; worded once the count is known.
      repeated.set(key, { text, known: field !== undefined, count: 2, at: issues.length });
      issues.push(makeIssue("duplicate-header", { ...where, line: 1, column: text }, { value: text }));
    }
  }
  let kept = 0;
  let last: Issue | null = null;
  const dropped = new Set<number>();
  for (const { text, known, count, at } of repeated.values()) {
    if (kept === REPEATED_HEADERS_KEPT && last !== null) {
      last.count = (last.count ?? 1) + 1;
      dropped.add(at);
      continue;
    }
    kept++;
    last = makeIssue(
      "duplicate-header",
      { ...where, line: 1, column: text },
      { value: text, count, ...(known ? {} : { other: "ignored" }) },
    );
    issues[at] = last;
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
  return { mapping: { columnOfField, width }, issues: issues.filter((_, i) => !dropped.has(i)), ok };
}

/** The spreadsheet's name for a 0-based column: A, B, ..., Z, AA. */
export function columnName(index: number): string {
  let name = "";
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}
