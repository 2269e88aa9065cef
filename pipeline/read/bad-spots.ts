/**
 * Bad spots in a partner file's text: bytes that are not text, a line in another encoding, a quote
 * that never closes, a row that runs on without a line break. The decoder and the row-length guard
 * mark each spot in the text they pass on, with Unicode noncharacters (never in interchanged text;
 * the decoder marks any the file itself holds as not text), and count the marks; the reader finds
 * them in the rows papaparse makes, so each costs its own row and is reported on its line, never
 * the file. A NUL byte is its own mark.
 */

/** Before a character decoded from a byte not valid in the file's encoding, read as Windows-1252. */
export const MARK_GUESSED = "\uFDD0";
/** Before a character that stands for bytes that are no character: the byte itself (U+0080 to U+00FF), else U+FFFD. */
export const MARK_BAD = "\uFDD1";
/** In place of a quote that opened a value which never closed. */
export const MARK_QUOTE = "\uFDD2";
/** Where a row was cut: it ran on past the row-length limit, and the rest of it was dropped. */
export const MARK_LONG = "\uFDD3";

// biome-ignore lint/suspicious/noControlCharactersInRegex: a NUL is a bad spot of its own.
const SPECIAL = /[\u0000\uFDD0-\uFDD3]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: a NUL is a bad spot of its own.
const SPECIAL_ALL = /[\u0000\uFDD0-\uFDD3]/g;
const GUESSED_ALL = /\uFDD0/g;

/** Marks passed on and not yet found in a row: while none are, rows are not searched for them. */
export interface SpotCounter {
  pending: number;
}

/** The worst bad spot of a row. `column` is the index of the cell it is in. */
export type RowSpot =
  | { kind: "long" }
  | { kind: "quote" }
  | { kind: "bytes"; column: number; detail: string }
  /** Read as Windows-1252 in a file of another encoding; `value` is the cell as read. */
  | { kind: "guessed"; column: number; value: string };

/** Whether the row cannot be used: every spot but a guessed encoding. */
export function rejectsRow(spot: RowSpot): boolean {
  return spot.kind !== "guessed";
}

/**
 * The worst bad spot of a row (a cut row, then a runaway quote, then bytes that are no text, then a
 * guessed encoding), or null; the marks of a guessed encoding are taken out of its cells in place.
 * Counts the marks found against `counter`.
 */
export function inspectRow(cells: string[], counter: SpotCounter): RowSpot | null {
  let spot: RowSpot | null = null;
  let rank = 0;
  for (let c = 0; c < cells.length; c++) {
    const cell = cells[c] as string;
    if (!SPECIAL.test(cell)) continue;
    counter.pending = Math.max(0, counter.pending - (cell.match(SPECIAL_ALL)?.length ?? 0));
    if (cell.includes(MARK_LONG)) {
      if (rank < 4) [spot, rank] = [{ kind: "long" }, 4];
    } else if (cell.includes(MARK_QUOTE)) {
      if (rank < 3) [spot, rank] = [{ kind: "quote" }, 3];
    } else if (cell.includes("\u0000") || cell.includes(MARK_BAD)) {
      if (rank < 2) [spot, rank] = [{ kind: "bytes", column: c, detail: describeBytes(cell) }, 2];
    }
    if (cell.includes(MARK_GUESSED)) {
      const value = cell.replace(GUESSED_ALL, "");
      cells[c] = value;
      if (rank < 1) [spot, rank] = [{ kind: "guessed", column: c, value }, 1];
    }
  }
  return spot;
}

/** The first bytes of a cell that are no text, in words. */
function describeBytes(cell: string): string {
  const nul = cell.indexOf("\u0000");
  const bad = cell.indexOf(MARK_BAD);
  if (nul !== -1 && (bad === -1 || nul < bad)) return "a NUL byte (0x00)";
  const code = cell.charCodeAt(bad + 1);
  if (code >= 0x80 && code <= 0xff)
    return `the byte 0x${code.toString(16).toUpperCase()} (no character in UTF-8 or in Windows-1252)`;
  return "bytes that are not a character in the file's encoding";
}
