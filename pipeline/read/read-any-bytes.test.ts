import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { ConfigSchema, type PartnerExtract, PartnerExtractSchema, PartnerSchema } from "../../schemas/index.ts";
import type { Effects } from "../effects.ts";
import { memoryEffects } from "../effects-memory.ts";
import { ISSUE_CATALOGUE } from "../issues/catalogue.ts";
import { loadProject, type Project } from "../load/load-project.ts";
import { processPartnerFile } from "../per-file/process-partner-file.ts";
import { REPO_ROOT } from "../test-support/load-fixture.ts";

/**
 * The reader never throws and never hangs, whatever bytes a partner sends: every outcome is a
 * result with issues from the catalogue. `C2C_FUZZ_RUNS` raises the number of runs (default 2,000).
 */

const RUNS = Number(process.env.C2C_FUZZ_RUNS ?? 2000);
const ROOT = "/work";
const PATH = "data/2025/fuzz-partner/file.csv";
const HANG_MS = 5000;
/** Past this, fast-check stops (a failure found so far is still reported, shrunk as far as it got). */
const TIME_LIMIT_MS = Math.max(40_000, RUNS * 30);
const TEST_TIMEOUT_MS = TIME_LIMIT_MS + 20_000;

let project: Project;
const base = memoryEffects({}, { readDisk: true });

beforeAll(async () => {
  const config = ConfigSchema.parse({
    partnership: { name: "Fuzz", introduction: "Any bytes." },
    community: { id: "town", name: "Town" },
    districts: [{ id: "north", name: "North", codes: ["0601"] }],
  });
  const partner = PartnerSchema.parse({
    id: "fuzz-partner",
    name: "Fuzz partner",
    kind: "school-district",
    extracts: [{ schema: "outcome-counts", files: "*" }],
  });
  project = await loadProject(ROOT, REPO_ROOT, base, { config, partners: [partner] });
});

/** Effects whose one file streams in the given chunk sizes, cycled. */
function chunkedEffects(bytes: Uint8Array, sizes: readonly number[]): Effects {
  return {
    ...base,
    async *readStream() {
      for (let i = 0, k = 0; i < bytes.length; k++) {
        const size = sizes[k % sizes.length]!;
        yield bytes.subarray(i, i + size);
        i += size;
      }
    },
  };
}

async function processWithin(bytes: Uint8Array, sizes: readonly number[], extract: PartnerExtract) {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no result after ${HANG_MS} ms`)), HANG_MS);
  });
  try {
    return await Promise.race([
      processPartnerFile(
        { path: PATH, partner: "fuzz-partner", year: 2025, extract },
        project,
        chunkedEffects(bytes, sizes),
      ),
      hang,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

async function holds(bytes: Uint8Array, sizes: readonly number[], extract: PartnerExtract): Promise<void> {
  const { result } = await processWithin(bytes, sizes, extract);
  for (const issue of result.issues) {
    expect(Object.hasOwn(ISSUE_CATALOGUE, issue.code), issue.code).toBe(true);
    expect(issue.severity).toBe(ISSUE_CATALOGUE[issue.code].severity);
    if (issue.line !== null) expect(Number.isInteger(issue.line) && issue.line >= 1, String(issue.line)).toBe(true);
    expect(issue.message.length).toBeGreaterThan(0);
  }
  expect(result.rowsAccepted).toBeGreaterThanOrEqual(0);
  expect(result.rowsAccepted).toBeLessThanOrEqual(result.rowsRead);
  expect(result.rowsRejected).toBeGreaterThanOrEqual(0);
}

const chunkSizes = fc.array(fc.integer({ min: 1, max: 5000 }), { minLength: 1, maxLength: 6 });

const extracts = fc
  .record({
    schema: fc.constantFrom("outcome-counts", "student-assessment"),
    delimiter: fc.option(fc.constantFrom(",", ";", "\t", "|"), { nil: undefined }),
    suppressed: fc.constantFrom([], ["s", "*", "<10"]),
    notApplicable: fc.constantFrom([], ["N/A", ".", "-"]),
    percentScale: fc.constantFrom("percent", "fraction"),
    years: fc.constantFrom("folder", "any"),
  })
  .map(({ delimiter, ...rest }) =>
    PartnerExtractSchema.parse({ ...rest, files: "*", ...(delimiter ? { delimiter } : {}) }),
  );

const HEADERS = [
  "school_year,district_id,school_id,measure,student_group_type,student_group,total_count,met_count",
  "student_id,school_year,district_id,school_id,grade,subject,race_ethnicity,tested,proficient",
];
/** Pieces of what partners' files are made of, for strings that get past the header now and then. */
const token = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(",", ";", "\t", "|", '"', '""', "\n", "\r\n", "\r", " ", "") },
  {
    weight: 6,
    arbitrary: fc.constantFrom(
      "2024-25",
      "2025",
      "0601",
      "601",
      "014",
      "Grade 3 Reading",
      "All Students",
      "Race/Ethnicity",
      "Hispanic",
      "142",
      "61",
      '"1,059"',
      "s",
      "*",
      "<10",
      "GE95",
      "90-94",
      "N/A",
      "-3",
      "1.2E+11",
      "Y",
      "ELA",
      "3",
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom("\uFEFF", "é", "ñ", "\u2019", "\u0000", "\uFFFD", "😀") },
  { weight: 2, arbitrary: fc.string({ maxLength: 8 }) },
);
const csvText = fc
  .tuple(
    fc.option(fc.constantFrom(...HEADERS), { nil: "" }),
    fc.constantFrom("\n", "\r\n", "\r"),
    fc.array(token, { maxLength: 200 }),
  )
  .map(([header, eol, tokens]) => (header ? header + eol : "") + tokens.join(""));

/** The ways Excel and other tools turn that text into bytes, a few of them broken on purpose. */
function encodeAs(text: string, how: number, cut: number): Uint8Array {
  const utf8 = new TextEncoder().encode(text);
  const utf16 = (bigEndian: boolean) => {
    const out = new Uint8Array(2 + text.length * 2);
    out.set(bigEndian ? [0xfe, 0xff] : [0xff, 0xfe]);
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      out[2 + i * 2 + (bigEndian ? 1 : 0)] = c & 0xff;
      out[2 + i * 2 + (bigEndian ? 0 : 1)] = c >> 8;
    }
    return out;
  };
  switch (how) {
    case 0:
      return utf8;
    case 1:
      return new Uint8Array([0xef, 0xbb, 0xbf, ...utf8]);
    case 2:
      return utf16(false);
    case 3:
      return utf16(true);
    case 4:
      return Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
    case 5:
      // Cut off mid-character, as a truncated upload would be.
      return utf16(false).subarray(0, Math.max(0, 2 + text.length * 2 - (cut % 3)));
    default: {
      // A stray byte somewhere in otherwise good UTF-8.
      const out = new Uint8Array(utf8.length + 1);
      const at = utf8.length === 0 ? 0 : cut % utf8.length;
      out.set(utf8.subarray(0, at));
      out[at] = 0x80 + (cut % 0x80);
      out.set(utf8.subarray(at), at + 1);
      return out;
    }
  }
}

describe("reading any bytes", () => {
  it(
    "never throws or hangs on arbitrary bytes, and reports only catalogue issues",
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.uint8Array({ maxLength: 600 }),
            fc.uint8Array({ minLength: 4000, maxLength: 9000 }),
            fc.uint8Array({ min: 0, max: 0x7f, maxLength: 600 }),
          ),
          chunkSizes,
          extracts,
          holds,
        ),
        { numRuns: Math.ceil(RUNS * 0.4), interruptAfterTimeLimit: TIME_LIMIT_MS },
      );
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "never throws or hangs on CSV-like text in any encoding, cut into any chunks",
    async () => {
      await fc.assert(
        fc.asyncProperty(
          csvText,
          fc.integer({ min: 0, max: 6 }),
          fc.nat(),
          chunkSizes,
          extracts,
          async (text, how, cut, sizes, extract) => holds(encodeAs(text, how, cut), sizes, extract),
        ),
        { numRuns: Math.ceil(RUNS * 0.6), interruptAfterTimeLimit: TIME_LIMIT_MS },
      );
    },
    TEST_TIMEOUT_MS,
  );
});
