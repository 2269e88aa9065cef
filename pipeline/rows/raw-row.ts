/** One data row, its cells in the order of the schema's fields ("" where a column is absent). */
export interface RawRow {
  /** The row as the partner's spreadsheet numbers it: the header is row 1. */
  line: number;
  cells: string[];
}

/** How far into the file the rows handed on so far reach. */
export interface ReadPosition {
  /** Bytes of the file up to the end of the last row handed on (estimated from the text's own bytes per character). */
  bytes: number;
}
