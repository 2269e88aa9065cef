import fc from "fast-check";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { MARK_LONG, MARK_QUOTE } from "./bad-spots.ts";
import { guessNewline, RowGuard } from "./guard-row-length.ts";

/** The guard over `text` cut into chunks at `cuts`: what it passes on, and its report. */
function guard(text: string, cuts: number[], maxChars = 1 << 20, newline = guessNewline(text)) {
  const counter = { pending: 0 };
  const g = new RowGuard(",", newline, maxChars, counter);
  let out = "";
  let at = 0;
  for (const cut of [...cuts.filter((c) => c > 0 && c < text.length)].sort((a, b) => a - b)) {
    out += g.push(text.slice(at, cut));
    at = cut;
  }
  out += g.push(text.slice(at));
  out += g.end();
  return { out, report: g.report, marks: counter.pending, newline };
}

const parse = (text: string, newline: string) =>
  Papa.parse<string[]>(text, { delimiter: ",", newline: newline as "\n", skipEmptyLines: false });

describe("RowGuard", () => {
  it("passes text through unchanged when every row is short and every quote closes, however it is cut", () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom("a", "b", ",", '"', "\n", "\r\n", " ", '""'), { maxLength: 80 }),
        fc.array(fc.nat(200), { maxLength: 6 }),
        (parts, cuts) => {
          const text = parts.join("");
          const { out, report, newline } = guard(text, cuts);
          if (report.runaways === 0) expect(out).toBe(text);
          // papaparse never meets a quote left open: each is closed, or taken out as its row's bad spot.
          expect(parse(out, newline).errors.filter((e) => e.code === "MissingQuotes")).toEqual([]);
          // The same whatever the chunks.
          expect(guard(text, []).out).toBe(out);
        },
      ),
      { numRuns: 500, seed: 17 },
    );
  });

  it("cuts a row past the limit, drops the rest of it up to its line break, and marks it", () => {
    const text = `a,b\n${"x".repeat(50)}\nc,d\n`;
    const { out, report, marks } = guard(text, [7, 20, 33], 10);
    expect(out).toBe(`a,b\n${"x".repeat(10)}${MARK_LONG}\nc,d\n`);
    expect([report.cut, marks]).toEqual([1, 1]);
  });

  it("takes out a quote that never closes, at the end of the text or past the limit, so the lines after it are rows", () => {
    const atEnd = guard('a,"b\nc,d\ne,f\n', [3, 6]);
    expect(atEnd.out).toBe(`a,${MARK_QUOTE}b\nc,d\ne,f\n`);
    expect([atEnd.report.runaways, atEnd.report.endedQuoted]).toEqual([1, true]);
    const pastLimit = guard(`a,"b\n${"c,d\n".repeat(10)}`, [5, 9], 12);
    expect(pastLimit.out).toBe(`a,${MARK_QUOTE}b\n${"c,d\n".repeat(10)}`);
    expect(pastLimit.report.endedQuoted).toBe(false);
  });

  it("takes out a stray quote that a later row's quote would close, and keeps that row's quoted value", () => {
    const { out } = guard('a,"b\nc,d\ne,"f",g\n', [4]);
    expect(out).toBe(`a,${MARK_QUOTE}b\nc,d\ne,"f",g\n`);
    expect(parse(out, "\n").data).toEqual([["a", `${MARK_QUOTE}b`], ["c", "d"], ["e", "f", "g"], [""]]);
  });

  it("keeps a quoted value with line breaks, escaped quotes and spaces after its closing quote", () => {
    const text = 'a,"b ""x""\nc" ,d\r\ne,f\r\n';
    expect(guard(text, [5, 11, 16], 1 << 20, "\r\n").out).toBe(text);
  });

  it("stops once quotes that never close have cost more than 64 times the limit to read again", () => {
    const line = `"${"b".repeat(62)}\n`;
    const { report } = guard(line.repeat(4000), [], 100);
    expect(report.stopped).toBe(true);
  });

  it("chooses the line break as papaparse does", () => {
    expect(guessNewline("a,b\r\nc,d\r\n")).toBe("\r\n");
    expect(guessNewline("a,b\nc\r\n")).toBe("\n");
    expect(guessNewline("a,b\rc,d\r")).toBe("\r");
    expect(guessNewline('"a\r\nb",c\nd')).toBe("\n");
  });
});
