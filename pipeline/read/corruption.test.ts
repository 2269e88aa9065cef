import { readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { discoverFiles, listDataFiles, type PartnerFile } from "../discover/discover-files.ts";
import type { MemoryEffects } from "../effects-memory.ts";
import type { FileResult } from "../file-result.ts";
import { loadProject, type Project } from "../load/load-project.ts";
import { processPartnerFile } from "../per-file/process-partner-file.ts";
import { loadFixtureProject, REPO_ROOT } from "../test-support/load-fixture.ts";

/**
 * Real files with one random byte corruption (a NUL inserted, a byte turned into 0xFF, a stray
 * quote, a line of more than 1 MB, a line break deleted), read as the build reads them: the reader
 * never fails the file, and every row the corruption did not touch is read as it was, with the same
 * problems on the same line (none, for a row that was accepted); only the touched rows may change.
 * The files: a record-level file of the sample community (LF), and two agency files read through
 * the real community's mappings, one with quoted values (NYC DOE) and one with CRLF line breaks
 * (KIDS COUNT Colorado).
 */

interface Source {
  name: string;
  fixture: "sample-community" | "real-community";
  path: string;
  /** Read with CRLF line breaks instead of the file's LF. */
  crlf?: boolean;
}

const SOURCES: Source[] = [
  {
    name: "a sample-community record file",
    fixture: "sample-community",
    path: "data/2025/riverside-usd/kindergarten-2025.csv",
  },
  {
    name: "the same file with CRLF line breaks",
    fixture: "sample-community",
    path: "data/2025/riverside-usd/kindergarten-2025.csv",
    crlf: true,
  },
  {
    name: "NYC DOE graduation outcomes (quoted values)",
    fixture: "real-community",
    path: "data/2010/nyc-doe/graduation.csv",
  },
];

type Corruption =
  | { kind: "nul" | "ff" | "quote"; at: number }
  | { kind: "long-line"; line: number }
  | { kind: "join"; line: number };

interface Loaded {
  source: Source;
  effects: MemoryEffects;
  project: Project;
  file: PartnerFile;
  bytes: Uint8Array;
  /** Where each line starts (index 0 is line 1, the header), and the file's line break. */
  starts: number[];
  eol: Uint8Array;
  clean: FileResult;
}

const loaded: Loaded[] = [];
/** Rows of each file read. */
const ROWS = 240;

/** The offset just past the `n`th line break (or the end). */
function nthLineEnd(bytes: Uint8Array, n: number): number {
  let at = -1;
  for (let k = 0; k < n; k++) {
    at = bytes.indexOf(0x0a, at + 1);
    if (at === -1) return bytes.length;
  }
  return at + 1;
}

beforeAll(async () => {
  for (const source of SOURCES) {
    const effects = loadFixtureProject(source.fixture);
    const project = await loadProject("/project", REPO_ROOT, effects);
    const file = discoverFiles(await listDataFiles("/project", effects), project).files.find(
      (f) => f.path === source.path,
    );
    if (!file) throw new Error(`${source.path} is not discovered`);
    // The file's header and first rows: the rows of a real file, few enough to read many times over.
    const whole = readFileSync(path.join(REPO_ROOT, "fixtures", source.fixture, source.path));
    const raw = whole.subarray(0, nthLineEnd(whole, ROWS + 1));
    const bytes = new Uint8Array(
      source.crlf ? Buffer.from(raw.toString("latin1").replace(/\n/g, "\r\n"), "latin1") : raw,
    );
    effects.files.set(`/project/${source.path}`, bytes);
    const crlf = bytes.indexOf(0x0d) !== -1;
    const starts = [0];
    for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0x0a && i + 1 < bytes.length) starts.push(i + 1);
    const clean = (await processPartnerFile(file, project, effects)).result;
    loaded.push({
      source,
      effects,
      project,
      file,
      bytes,
      starts,
      eol: new Uint8Array(crlf ? [0x0d, 0x0a] : [0x0a]),
      clean,
    });
  }
}, 60_000);

/** The line (1 = the header) holding byte `at`. */
function lineOf(l: Loaded, at: number): number {
  let lo = 0;
  let hi = l.starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((l.starts[mid] as number) <= at) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/** The corrupted bytes, the original lines the corruption touches, and where an original line is in the corrupted file. */
function corrupt(
  l: Loaded,
  c: Corruption,
): { bytes: Uint8Array; touched: Set<number>; moved: (line: number) => number } {
  const b = l.bytes;
  const splice = (at: number, drop: number, insert: Uint8Array) => {
    const out = new Uint8Array(b.length - drop + insert.length);
    out.set(b.subarray(0, at), 0);
    out.set(insert, at);
    out.set(b.subarray(at + drop), at + insert.length);
    return out;
  };
  if (c.kind === "long-line") {
    const at = l.starts[c.line - 1] as number;
    const line = new Uint8Array((1 << 20) + 4096 + l.eol.length).fill(0x78);
    line.set(l.eol, line.length - l.eol.length);
    return { bytes: splice(at, 0, line), touched: new Set(), moved: (n) => (n >= c.line ? n + 1 : n) };
  }
  if (c.kind === "join") {
    // The line break at the end of line `c.line` goes: it and the next line are one row.
    const next = l.starts[c.line] as number;
    return {
      bytes: splice(next - l.eol.length, l.eol.length, new Uint8Array()),
      touched: new Set([c.line, c.line + 1]),
      moved: (n) => (n > c.line ? n - 1 : n),
    };
  }
  // A byte next to a line break may break it: the lines on both sides count as touched.
  const touched = new Set([
    lineOf(l, Math.max(0, c.at - 1)),
    lineOf(l, c.at),
    lineOf(l, Math.min(b.length - 1, c.at + 1)),
  ]);
  if (c.kind === "ff") {
    const bytes = new Uint8Array(b);
    bytes[c.at] = 0xff;
    return { bytes, touched, moved: (n) => n };
  }
  if (c.kind === "quote") {
    // A stray quote may pair with the next quote of the file: the rows up to it are touched too.
    const next = b.indexOf(0x22, c.at);
    if (next !== -1) for (let n = lineOf(l, c.at); n <= lineOf(l, next); n++) touched.add(n);
    return { bytes: splice(c.at, 0, new Uint8Array([0x22])), touched, moved: (n) => n };
  }
  return { bytes: splice(c.at, 0, new Uint8Array([0x00])), touched, moved: (n) => n };
}

/**
 * Each line's problems (errors and warnings, as `code column`), sorted; but not that a row repeats
 * a touched one (`touched`, as this result numbers lines): whether it does, the corruption decides.
 */
function problemsByLine(result: FileResult, touched: (line: number) => boolean): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const i of result.issues) {
    if (i.line === null || i.severity === "info") continue;
    const repeats = /^This row (?:repeats|has the same .*? as) line (\d+)/.exec(i.message);
    if (repeats && touched(Number(repeats[1]))) continue;
    out.set(i.line, [...(out.get(i.line) ?? []), `${i.code} ${i.column ?? ""}`].sort());
  }
  return out;
}

const corruption = (lines: number, bytes: number, header: number): fc.Arbitrary<Corruption> =>
  fc.oneof(
    {
      weight: 6,
      arbitrary: fc.record({
        kind: fc.constantFrom("nul" as const, "ff" as const, "quote" as const),
        at: fc.integer({ min: header, max: bytes - 1 }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({ kind: fc.constant("long-line" as const), line: fc.integer({ min: 2, max: lines }) }),
    },
    {
      weight: 2,
      arbitrary: fc.record({ kind: fc.constant("join" as const), line: fc.integer({ min: 2, max: lines - 1 }) }),
    },
  );

describe("a real file with one random corruption", () => {
  it.each(SOURCES.map((s, i) => [s.name, i] as const))(
    "%s: the rows it did not touch are read as before",
    async (_, index) => {
      const l = loaded[index] as Loaded;
      expect(l.clean.rowsAccepted).toBeGreaterThan(0);
      await fc.assert(
        fc.asyncProperty(corruption(l.starts.length, l.bytes.length, l.starts[1] as number), async (c) => {
          const { bytes, touched, moved } = corrupt(l, c);
          l.effects.files.set(`/project/${l.file.path}`, bytes);
          const { result } = await processPartnerFile(l.file, l.project, l.effects);
          // The reader never fails: no file-level failure, and the counts add up.
          expect(
            result.issues.filter((i) => ["file-unreadable", "too-many-errors", "encoding-error"].includes(i.code)),
          ).toEqual([]);
          expect(result.rowsRead).toBe(result.rowsAccepted + result.rowsRejected);
          // Every row not touched has the problems it had (none, if it was accepted), on its line.
          const before = problemsByLine(l.clean, (n) => touched.has(n));
          const original = new Map([...Array(l.starts.length).keys()].map((i) => [moved(i + 1), i + 1]));
          const after = problemsByLine(result, (n) => !original.has(n) || touched.has(original.get(n) as number));
          for (let line = 2; line <= l.starts.length; line++) {
            if (touched.has(line)) continue;
            expect([line, after.get(moved(line)) ?? []]).toEqual([line, before.get(line) ?? []]);
          }
          // And is counted: only touched rows (a row in an agency file may make several) can be lost.
          expect(result.rowsAccepted).toBeGreaterThanOrEqual(l.clean.rowsAccepted - 8 * touched.size);
        }),
        { numRuns: process.env.C2C_PROPERTY_RUNS ? Number(process.env.C2C_PROPERTY_RUNS) : 20, seed: 2026 + index },
      );
      l.effects.files.set(`/project/${l.file.path}`, l.bytes);
    },
    60_000,
  );
});
