/** Bytes `start` up to (not including) `end` of a file. */
export interface ByteRange {
  start: number;
  end: number;
}
