/** A typed cell value. Blanks are null, never 0. */
export type Value = string | number | boolean | null;
