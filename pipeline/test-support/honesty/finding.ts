/** One claim on a page that the published tables do not support. */
export interface Finding {
  /** A stable name of the rule broken, such as `direction-within-chance`. */
  rule: string;
  /** The page, relative to the site's root. */
  page: string;
  /** The words on the page. */
  claim: string;
  /** What the published tables say instead. */
  why: string;
}

export type Report = (rule: string, claim: string, why: string) => void;

/** A percentage-point change as a page would show it, for messages. */
export const pts = (share: number) => `${(share * 100).toFixed(2)} points`;
