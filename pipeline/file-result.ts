import type { Issue } from "./issues/catalogue.ts";

/** What became of one partner file: the figures a partner report and the build summary show. */
export interface FileResult {
  partner: string;
  /** Project-relative path, e.g. `data/2025/riverside-usd/assessment-2025.csv`. */
  path: string;
  /** The extract schema the file was read as; null when no extract matched. */
  schema: string | null;
  sha256: string;
  bytes: number;
  /** The year of the folder the file sits in. */
  year: number | null;
  /** Data rows seen (the header not counted). */
  rowsRead: number;
  rowsAccepted: number;
  rowsRejected: number;
  issues: Issue[];
}
