/** The audit's own words for what it finds, shared by the parts that read a site and solve for it. */

/** A whole-number range. */
export interface Interval {
  lo: number;
  hi: number;
}

/** Something a reader can work out, or a number a page shows that no published cell accounts for. */
export interface AuditFinding {
  kind: "determined" | "narrowed" | "unplaced" | "published-below-minimum";
  /** The cell (`indicator|year|geo_level|geo_id|dimension|group`) or, for `unplaced`, the file. */
  where: string;
  detail: string;
}
