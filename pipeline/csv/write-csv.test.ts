import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { writeCsv } from "./write-csv.ts";

describe("writeCsv", () => {
  it("prefixes a cell a spreadsheet would run as a formula, and leaves numbers alone", () => {
    const text = writeCsv(
      ["name", "value"],
      [
        ['=HYPERLINK("x")', -0.5],
        ["+1", 2],
        ["@SUM(A1)", null],
        ["-x", 0],
      ],
    );
    expect(text).toBe('name,value\n"\'=HYPERLINK(""x"")",-0.5\n\'+1,2\n\'@SUM(A1),\n\'-x,0\n');
    expect(writeCsv(["a"], [["\tcmd"], ["\rcmd"]])).toBe("a\n'\tcmd\n\"'\rcmd\"\n");
  });

  it("quotes only cells that need it, and ends every row with a newline", () => {
    expect(writeCsv(["a", "b"], [])).toBe("a,b\n");
    expect(
      writeCsv(
        ["a", "b"],
        [
          ["plain", true],
          ["", ""],
        ],
      ),
    ).toBe("a,b\nplain,true\n,\n");
  });

  it("reads back through papaparse as the cells it was given", () => {
    const rows = [
      ["a,b", 'say "hi"', "two\nlines", "crlf\r\nend"],
      ["=1+1", "", "ünïcode – ok", "x"],
    ];
    const parsed = Papa.parse<string[]>(writeCsv(["w", "x", "y", "z"], rows), { skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.data).toEqual([["w", "x", "y", "z"], rows[0], ["'=1+1", "", "ünïcode – ok", "x"]]);
  });
});
