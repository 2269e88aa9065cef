/** A row whose key an earlier row already had. */
export interface Repeat {
  line: number;
  /** The line of the row that was counted. */
  first: number;
  /** Whether the whole row repeats that one, not only its key. */
  sameRow: boolean;
  /** The key's cells as the partner wrote them. */
  shown: string;
}

/** A row that repeats an earlier row's key, with its whole row's hash: the issue is made once lines are known. */
export interface SegmentRepeat extends Repeat {
  whole: number;
}
