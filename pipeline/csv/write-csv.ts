import Papa from "papaparse";

/** A value one CSV cell holds: text as written, a number or boolean as JavaScript prints it, blank for null. */
export type CsvValue = string | number | boolean | null | undefined;

/** A cell a spreadsheet would run as a formula (or a DDE call) when it opens the file. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Text that starts like a formula, prefixed with `'` so a spreadsheet shows it as text; numbers are
 * left as they are (`-0.5` is a number, not a formula).
 */
export function neutraliseFormula(value: CsvValue): CsvValue {
  return typeof value === "string" && FORMULA_START.test(value) ? `'${value}` : value;
}

/**
 * A CSV file's text, through papaparse's `unparse`: the header and the rows, a cell quoted only
 * where it must be (a comma, quote or line break; papaparse also quotes a leading or trailing space),
 * `\n` after every row including the last, and no cell a spreadsheet would read as a formula.
 */
export function writeCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  const safe = (row: readonly CsvValue[]) => row.map(neutraliseFormula);
  const text = Papa.unparse([safe(header), ...rows.map(safe)], { newline: "\n", quotes: false });
  return `${text}\n`;
}
