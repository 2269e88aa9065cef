import { describe, expect, it } from "vitest";
import { KeyTable } from "./key-table.ts";

describe("KeyTable", () => {
  it("remembers every key across growth, with its first line and whether a repeat is the same row", () => {
    const table = new KeyTable();
    for (let i = 0; i < 200_000; i++) expect(table.seenOrAdd(`student-${i}|2025`, `row ${i}`, i + 2)).toBeUndefined();
    expect(table.seenOrAdd("student-0|2025", "row 0", 999)).toEqual({ line: 2, sameRow: true });
    expect(table.seenOrAdd("student-123456|2025", "another row", 999)).toEqual({ line: 123_458, sameRow: false });
    expect(table.seenOrAdd("student-200000|2025", "row", 1)).toBeUndefined();
  });
});
