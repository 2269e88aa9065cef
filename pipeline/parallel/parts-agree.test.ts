import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BENCH_CONFIG_YAML, BENCH_HEADER, BENCH_PARTNERS_YAML } from "../../scripts/bench/generate-records.ts";
import type { PartialCounts } from "../aggregate/partial-counts.ts";
import { discoverFiles, listDataFiles } from "../discover/discover-files.ts";
import { memoryEffects } from "../effects-memory.ts";
import { loadProject } from "../load/load-project.ts";
import { processPartnerFile } from "../per-file/process-partner-file.ts";
import { REPO_ROOT } from "../test-support/load-fixture.ts";
import { localParts, processFileInParts } from "./process-files.ts";

/**
 * A file read in parts must give what reading it whole gives: the same rows read and used, the same
 * issues (lines, messages, counts of folded problems, in order) and the same counts. Random files
 * from a small pool of rows, so rows of one part often repeat rows of another (exactly, by key, and
 * repeats of repeats), with the problems that cross a part's end: blank rows, rows of delimiters,
 * quoted line breaks, ids without their zeros, unknown codes on more rows than a file keeps,
 * misshapen rows, CRLF line breaks, Excel's `sep=` first line, bad spots (a NUL, a byte in another
 * encoding, a byte of none, a quote that never closes, a line past the length limit) and rows whose
 * flags contradict each other. The parts are read in this thread (`localParts`), the very
 * reading the workers do. Where the parts cannot stand for the file, the reading must say so (null).
 * The same holds with the keys kept on disk (as for a large file), whole or in parts.
 */
const ROW = fc.record({
  id: fc.integer({ min: 1, max: 80 }),
  padded: fc.boolean(),
  district: fc.constantFrom("0601", "0602", "601"),
  grade: fc.constantFrom("3", "8"),
  race: fc.constantFrom("HI", "WH", "Martian"),
  proficient: fc.constantFrom("Y", "N", "1"),
  odd: fc.constantFrom(
    "none",
    "none",
    "none",
    "none",
    "blank",
    "delimiters",
    "quoted",
    "short",
    "bad-grade",
    "nul",
    "latin1",
    "no-char",
    "contradictory",
  ),
});

type Row = typeof ROW extends fc.Arbitrary<infer T> ? T : never;

function line(r: Row, flood: boolean): string {
  if (r.odd === "blank") return "";
  if (r.odd === "delimiters") return ",,,,,,,,,,,,";
  const id = r.padded ? String(r.id).padStart(8, "0") : String(r.id);
  // Bad spots: a NUL, a byte of Windows-1252 (\u0001 stands for 0xE9) and one of no encoding
  // (\u0002 for 0x81), a quote that opens a value no quote closes, a student not tested but proficient.
  const school =
    r.odd === "quoted"
      ? '"0\n14"'
      : r.odd === "nul"
        ? "0\u000014"
        : r.odd === "latin1"
          ? "014\u0001"
          : r.odd === "no-char"
            ? "01\u00024"
            : "014";
  const grade = r.odd === "bad-grade" ? "3rd" : r.grade;
  // A flood: one problem on most rows, more than a file keeps with their lines.
  const race = flood && r.id % 4 !== 0 ? "Martian" : r.race;
  const tested = r.odd === "contradictory" ? "N" : "Y";
  const proficient = r.odd === "contradictory" ? "Y" : r.proficient;
  const cells = [id, "2024-25", r.district, school, grade, "ELA", race, "F", "N", "N", "N", tested, proficient];
  return (r.odd === "short" ? cells.slice(0, 9) : cells).join(",");
}

/** A value in about one file of seven, else null. */
function rare<T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | null> {
  return fc.oneof({ weight: 6, arbitrary: fc.constant(null) }, { weight: 1, arbitrary });
}

/** The file's bytes: its text in UTF-8, but for the two bytes of other encodings the rows stand for. */
function bytesOf(text: string): Uint8Array {
  const utf8 = new TextEncoder().encode(text);
  return utf8.map((b) => (b === 0x01 ? 0xe9 : b === 0x02 ? 0x81 : b));
}

/** Partial counts as rows, in a fixed order: parts may first count a cell in another order. */
function rowsOf(partials: PartialCounts): unknown[] {
  return partials.objects().sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
}

describe("a file read in parts", () => {
  it("gives what reading it whole gives, or is read whole", async () => {
    let split = 0;
    let folded = 0;
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(ROW, { minLength: 1, maxLength: 3000, size: "max" }),
        fc.integer({ min: 2, max: 4 }),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        rare(fc.nat()),
        rare(fc.nat()),
        async (rows, parts, crlf, flood, spill, sep, long, stray) => {
          const eol = crlf ? "\r\n" : "\n";
          // A first row with a letter of UTF-8: the file is UTF-8, whose other bytes are bad spots.
          const lines = ["99999999,2024-25,0601,Peña,3,ELA,HI,F,N,N,N,Y,Y", ...rows.map((r) => line(r, flood))];
          // A line past the row-length limit, somewhere among the rows.
          if (long !== null) lines.splice(long % (lines.length + 1), 0, "x".repeat((1 << 20) + 10));
          // A quote that opens a school id no quote closes (or a later row's quote would pair with).
          if (stray !== null) {
            const at = stray % lines.length;
            lines[at] = (lines[at] as string).replace(/,014,/, ',"014,');
          }
          const head = sep ? [`sep=,`, BENCH_HEADER] : [BENCH_HEADER];
          const text = bytesOf(`${[...head, ...lines].join(eol)}${eol}`);
          const effects = memoryEffects(
            {
              "/project/c2c.config.yaml": BENCH_CONFIG_YAML,
              "/project/partners.yaml": BENCH_PARTNERS_YAML,
              "/project/data/2025/district/assessment-2025.csv": text,
            },
            { readDisk: true },
          );
          const project = await loadProject("/project", REPO_ROOT, effects);
          const [file] = discoverFiles(await listDataFiles("/project", effects), project).files;
          if (!file) throw new Error("the generated file was not discovered");
          const whole = await processPartnerFile(file, project, effects);
          // Keys kept on disk, repeats found after reading and taken back out: the same file.
          const spilled = await processPartnerFile(file, project, effects, { spillMinBytes: 0 });
          expect(spilled.result).toEqual(whole.result);
          expect(rowsOf(spilled.partials)).toEqual(rowsOf(whole.partials));
          const inParts = await processFileInParts(
            file,
            project,
            localParts(parts, project, effects),
            effects,
            spill ? { spillMinBytes: 0 } : {},
          );
          runs++;
          if (inParts === null) return;
          split++;
          expect(inParts.result).toEqual(whole.result);
          if (whole.result.issues.some((i) => (i.count ?? 1) > 1)) folded++;
          expect(rowsOf(inParts.partials)).toEqual(rowsOf(whole.partials));
        },
      ),
      { numRuns: process.env.C2C_PROPERTY_RUNS ? Number(process.env.C2C_PROPERTY_RUNS) : 150, seed: 2026 },
    );
    // Most files are read in parts: the property is not met by always reading them whole.
    expect(split).toBeGreaterThan(runs / 2);
    // And some of them fold a problem on more rows than a file keeps.
    expect(folded).toBeGreaterThan(0);
  }, 300_000);
});
