import { describe, expect, it } from "vitest";
import type { RawRow } from "../rows/raw-row.ts";
import { smallRecordSchema } from "../test-support/small-schema.ts";
import { detectDelimiter, readPartnerFile } from "./read-partner-file.ts";

async function* chunks(bytes: Uint8Array, size = 7): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function read(bytes: Uint8Array | string, size?: number, maxFieldChars?: number) {
  const data = typeof bytes === "string" ? new TextEncoder().encode(bytes) : bytes;
  const rows: RawRow[] = [];
  const outcome = await readPartnerFile(
    chunks(data, size),
    { schema: smallRecordSchema(), where: { file: "f.csv" }, ...(maxFieldChars ? { maxFieldChars } : {}) },
    (r) => rows.push(...r),
  );
  return { rows, outcome, triples: outcome.issues.map((i) => [i.line, i.column, i.code]) };
}

const HEADER = "student_id,school_year,district_id,grade,race_ethnicity,proficient\n";

describe("readPartnerFile", () => {
  it("hands on rows in schema order with spreadsheet line numbers", async () => {
    const { rows, outcome } = await read(`${HEADER}001,2024-25,0601,3,H,Y\n002,2024-25,0601,3,B,N\n`);
    expect(rows).toEqual([
      { line: 2, cells: ["001", "2024-25", "0601", "3", "H", "Y"] },
      { line: 3, cells: ["002", "2024-25", "0601", "3", "B", "N"] },
    ]);
    expect(outcome.rowsRead).toBe(2);
    expect(outcome.failed).toBe(false);
    expect(outcome.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("matches headers by alias, case and punctuation, in any order", async () => {
    const { rows } = await read("Proficient,Student ID,YEAR,district-id,Grade,Race\nY,007,2025,0601,3,W\n");
    expect(rows[0]?.cells).toEqual(["007", "2025", "0601", "3", "W", "Y"]);
  });

  it("keeps a quoted value with commas, quotes and a line break as one cell", async () => {
    const { rows } = await read(`${HEADER}"0,1","2024-25",0601,3,"say ""hi""\nthere",Y\n003,2025,0601,3,H,N\n`, 3);
    expect(rows[0]?.cells[0]).toBe("0,1");
    expect(rows[0]?.cells[4]).toBe('say "hi"\nthere');
    expect(rows[1]?.line).toBe(3);
  });

  it("detects semicolons, tabs and pipes", async () => {
    expect(detectDelimiter("a;b;c")).toBe(";");
    expect(detectDelimiter("a\tb\tc")).toBe("\t");
    expect(detectDelimiter("a|b|c")).toBe("|");
    expect(detectDelimiter('"a,b";c;d')).toBe(";");
    const { rows } = await read("student_id;school_year;district_id;grade;race;proficient\r\n1;2025;0601;3;H;Y\r\n");
    expect(rows[0]?.cells).toEqual(["1", "2025", "0601", "3", "H", "Y"]);
  });

  it("reads UTF-8 with a BOM, UTF-16 LE with a BOM and Windows-1252", async () => {
    const text = `${HEADER}001,2025,0601,3,Hispánico,Y\n`;
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)]);
    expect((await read(bom)).rows[0]?.cells[4]).toBe("Hispánico");
    const utf16 = new Uint8Array(2 + text.length * 2);
    utf16.set([0xff, 0xfe]);
    for (let i = 0; i < text.length; i++) utf16[2 + i * 2] = text.charCodeAt(i);
    const r16 = await read(utf16);
    expect(r16.outcome.encoding).toBe("utf-16le");
    expect(r16.rows[0]?.cells[4]).toBe("Hispánico");
    const cp1252 = Uint8Array.from([...text].map((c) => c.charCodeAt(0)));
    const r1252 = await read(cp1252);
    expect(r1252.outcome.encoding).toBe("windows-1252");
    expect(r1252.rows[0]?.cells[4]).toBe("Hispánico");
  });

  it("reads a line with a byte that is not UTF-8, after the first 64 KiB, as Windows-1252, with a warning on its line", async () => {
    const good = `${HEADER}${"001,2025,0601,3,H,Y\n".repeat(4000)}`;
    const bytes = new Uint8Array([
      ...new TextEncoder().encode(good),
      ...new TextEncoder().encode("002,2025,0601,3,"),
      0xc9,
      0x2c,
      0x59,
      0x0a,
    ]);
    const { outcome, triples, rows } = await read(bytes, 65536);
    expect(outcome.failed).toBe(false);
    expect(triples).toEqual([[4002, "race_ethnicity", "encoding-mixed"]]);
    expect(rows).toHaveLength(4001);
    expect(rows.at(-1)?.cells[4]).toBe("É");
    expect(outcome.issues[0]?.message).toContain("`É`");
  });

  it("leaves out a row with a NUL byte or a byte that is no character, naming its line and column, and reads the rest", async () => {
    const bytes = new Uint8Array([
      ...new TextEncoder().encode(`${HEADER}001,2025,0601,3,H,Y\n002,2025,0`),
      0x00,
      ...new TextEncoder().encode("601,3,H,Y\n003,2025,0601,3,"),
      0x81,
      ...new TextEncoder().encode(",Y\n004,2025,0601,3,H,N\n"),
    ]);
    for (const size of [3, 7, 4096]) {
      const { outcome, triples, rows } = await read(bytes, size);
      expect(rows.map((r) => r.line)).toEqual([2, 5]);
      expect(triples).toEqual([
        [3, "district_id", "bad-bytes"],
        [4, "race_ethnicity", "bad-bytes"],
      ]);
      expect(outcome.issues[0]?.message).toContain("a NUL byte (0x00)");
      expect(outcome.issues[1]?.message).toContain("the byte 0x81");
      expect([outcome.rowsRead, outcome.failed]).toEqual([4, false]);
    }
  });

  it("takes a `sep=` first line as the delimiter, not the header, and numbers the header line 1", async () => {
    for (const [sep, d, eol] of [
      [",", ",", "\n"],
      [";", ";", "\r\n"],
      ["\t", "\t", "\n"],
      ["|", "|", "\r"],
    ] as const) {
      const text = `sep=${sep}${eol}${HEADER.trimEnd().replaceAll(",", d)}${eol}1${d}2025${d}0601${d}3${d}H${d}Y${eol}`;
      const { rows, outcome, triples } = await read(text, 5);
      expect(triples).toEqual([]);
      expect(outcome.delimiter).toBe(d);
      expect(rows).toEqual([{ line: 2, cells: ["1", "2025", "0601", "3", "H", "Y"] }]);
    }
  });

  it("reports a missing required column once and reads no rows", async () => {
    const { rows, outcome, triples } = await read(
      "student_id,school_year,district_id,race,proficient\n1,2025,0601,H,Y\n2,2025,0601,H,Y\n",
    );
    expect(rows).toEqual([]);
    expect(outcome.failed).toBe(true);
    expect(triples).toEqual([[1, "grade", "missing-column"]]);
  });

  it("reports blank, duplicate and unknown headers", async () => {
    const { triples } = await read(
      "student_id,school_year,district_id,grade,race,proficient,,Grade,notes\n1,2025,0601,3,H,Y,,4,x\n",
    );
    expect(triples).toEqual([
      [1, "G", "blank-header"],
      [1, "Grade", "duplicate-header"],
      [1, "notes", "unknown-column"],
    ]);
  });

  it("reports each repeated header once, with how many times it appears, the first 100 names and a count of the rest", async () => {
    const header = `student_id,school_year,district_id,grade,race,proficient,Grade,grade,${Array(100_000).fill("notes").join(",")}`;
    const row = `1,2025,0601,3,H,Y,4,5,${Array(100_000).fill("").join(",")}`;
    const { triples, outcome, rows } = await read(`${header}\n${row}\n`, 65536);
    expect(triples).toEqual([
      [1, "Grade", "duplicate-header"],
      [1, "notes", "unknown-column"],
      [1, "notes", "duplicate-header"],
    ]);
    expect(outcome.issues[0]?.message).toBe(
      "The header `Grade` appears 3 times; only the first column of that name was read.",
    );
    expect(outcome.issues[2]?.message).toBe(
      "The header `notes` appears 100,000 times; no column of that name is part of the extract, and a name repeated so usually means columns were pasted or exported twice.",
    );
    expect(rows[0]?.cells[3]).toBe("3");
    const many = Array.from({ length: 150 }, (_, i) => `extra${i},extra${i}`).join(",");
    const capped = await read(`${HEADER.trimEnd()},${many}\n`);
    const repeated = capped.outcome.issues.filter((i) => i.code === "duplicate-header");
    expect(repeated).toHaveLength(100);
    expect(repeated.at(-1)?.count).toBe(51);
  });

  it("reports ragged rows and blank rows, ignoring trailing empty cells and trailing blank lines", async () => {
    const { rows, triples } = await read(
      `${HEADER}1,2025,0601,3,H,Y,,\n\n2,2025,0601,3,H\n3,2025,0601,3,H,Y,extra\n4,2025,0601,3,H,N\n\n\n`,
    );
    expect(rows.map((r) => r.line)).toEqual([2, 6]);
    expect(triples).toEqual([
      [3, null, "blank-row"],
      [4, null, "missing-cell"],
      [5, null, "extra-cell"],
    ]);
  });

  it("fails an empty file and a binary file", async () => {
    expect((await read("")).triples).toEqual([[1, null, "empty-file"]]);
    expect((await read(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0]))).triples).toEqual([
      [1, null, "encoding-error"],
    ]);
  });

  it("leaves out the row of a quote that never closes, and a row past the limit, in bounded memory, and reads the rest", async () => {
    const runaway = `${HEADER}1,2025,0601,3,"H,Y\n${"x".repeat(300_000)}\n5,2025,0601,3,H,N\n`;
    const { outcome, rows, triples } = await read(runaway, 4096, 100_000);
    expect(outcome.failed).toBe(false);
    expect(rows.map((r) => r.line)).toEqual([4]);
    expect(triples).toEqual([
      [2, null, "parse-error"],
      [3, null, "row-too-long"],
    ]);
    expect(outcome.runaways).toBe(1);
  });

  it("reads the rows a stray quote would pair with a later quote as rows", async () => {
    const text = `${HEADER}1,2025,0601,3,"H,Y\n2,2025,0601,3,H,Y\n3,2025,0601,3,"B",N\n`;
    const { rows, triples } = await read(text, 3);
    expect(rows.map((r) => [r.line, r.cells[4]])).toEqual([
      [3, "H"],
      [4, "B"],
    ]);
    expect(triples).toEqual([[2, null, "parse-error"]]);
  });
});
