import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hashKey, hashKeyParts, KeyTable } from "./key-table.ts";

describe("KeyTable", () => {
  it("remembers every key across growth, with its first line and whether a repeat is the same row", () => {
    const table = new KeyTable();
    for (let i = 0; i < 200_000; i++) expect(table.seenOrAdd(`student-${i}|2025`, `row ${i}`, i + 2)).toBeUndefined();
    expect(table.seenOrAdd("student-0|2025", "row 0", 999)).toEqual({ line: 2, sameRow: true });
    expect(table.seenOrAdd("student-123456|2025", "another row", 999)).toEqual({ line: 123_458, sameRow: false });
    expect(table.seenOrAdd("student-200000|2025", "row", 1)).toBeUndefined();
    expect(table.size).toBe(200_001);
  });

  it("keeps what it holds when reserved for more keys, at any size", () => {
    const table = new KeyTable(7);
    for (let i = 0; i < 5; i++) table.seenOrAdd(`k${i}`, "w", i + 2);
    table.reserve(30_001);
    for (let i = 5; i < 30_000; i++) expect(table.seenOrAdd(`k${i}`, "w", i + 2)).toBeUndefined();
    for (let i = 0; i < 30_000; i += 997)
      expect(table.seenOrAdd(`k${i}`, "w", 1)).toEqual({ line: i + 2, sameRow: true });
  });

  it("hashes a key's parts as it hashes the parts joined and lowercased, for any text", () => {
    const [whole, parts] = [
      { a: 0, b: 0 },
      { a: 0, b: 0 },
    ];
    const same = (list: string[]) => {
      hashKey(list.join("\u0000").toLowerCase(), whole);
      hashKeyParts(list, list.length, parts);
      return whole.a === parts.a && whole.b === parts.b;
    };
    expect(same(["0100000001", "2025", "ELA"])).toBe(true);
    expect(same(["İSTANBUL", "ΟΔΟΣ", "", "Straße"])).toBe(true);
    fc.assert(fc.property(fc.array(fc.string({ unit: "grapheme" }), { minLength: 1, maxLength: 4 }), same));
    fc.assert(fc.property(fc.array(fc.string({ unit: "binary" }), { minLength: 1, maxLength: 4 }), same));
  });
});
