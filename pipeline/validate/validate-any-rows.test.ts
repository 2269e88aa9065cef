import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { type ExtractSchema, PartnerExtractSchema } from "../../schemas/index.ts";
import { memoryEffects } from "../effects-memory.ts";
import { ISSUE_CATALOGUE, type Issue } from "../issues/catalogue.ts";
import { loadProject, type Project } from "../load/load-project.ts";
import { readPartnerFile } from "../read/read-partner-file.ts";
import type { RawRow } from "../rows/raw-row.ts";
import { REPO_ROOT } from "../test-support/load-fixture.ts";
import { createRowValidator, newValidationState, validateRows } from "./validate-rows.ts";

/**
 * Properties beyond `read/read-any-bytes.test.ts` (which throws any bytes at the whole file path):
 * the validator on arbitrary rows of every extract schema c2c ships, and the reader giving the same
 * rows and issues however the bytes are cut into chunks. `C2C_FUZZ_RUNS` sets the number of runs
 * of each property (default 1,000; 2,000 in all).
 */
const RUNS = Number(process.env.C2C_FUZZ_RUNS ?? 1000);
const TIME_LIMIT_MS = Math.max(40_000, RUNS * 40);

let project: Project;
let schemas: ExtractSchema[];
beforeAll(async () => {
  project = await loadProject(
    `${REPO_ROOT}/fixtures/sample-community`,
    REPO_ROOT,
    memoryEffects({}, { readDisk: true }),
  );
  schemas = [...project.extracts.values()];
});

/** Cells partners write: codes, numbers, markers, ranges, dates, ids, and anything at all. */
const cell = fc.oneof(
  fc.constantFrom("", " ", "0", "1", "-1", "142", "1,059", "3.5", "1e3", "NaN", "Infinity", "0601", "601", "014"),
  fc.constantFrom("2025", "2024-25", "SY2024-25", "2024/25", "1899", "99999", "Y", "N", "yes", "TRUE", "x"),
  fc.constantFrom("s", "*", "<10", ">95", "GE95", "90-94", "N/A", ".", "-", "42%", "0.42", "101%"),
  fc.constantFrom("All Students", "Hispanic", "Race/Ethnicity", "Grade 3 Reading", "ELA", "3", "K", "12"),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: "binary", maxLength: 6 }),
);

const extractOptions = fc.record({
  suppressed: fc.constantFrom([], ["s", "*", "<10"]),
  notApplicable: fc.constantFrom([], ["N/A", ".", "-"]),
  percentScale: fc.constantFrom("percent", "fraction"),
  years: fc.constantFrom("folder", "any"),
});

function checkIssues(issues: readonly Issue[]): void {
  for (const issue of issues) {
    expect(Object.hasOwn(ISSUE_CATALOGUE, issue.code), issue.code).toBe(true);
    expect(issue.severity).toBe(ISSUE_CATALOGUE[issue.code].severity);
    expect(issue.message.length).toBeGreaterThan(0);
  }
}

describe("the validator on any rows", () => {
  it(
    "types every row of every shipped schema or rejects it with an error on its line; never throws",
    async () => {
      let runs = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.nat(),
          extractOptions,
          fc.array(fc.array(cell, { minLength: 0, maxLength: 16 }), { minLength: 1, maxLength: 12 }),
          fc.integer({ min: 1, max: 3 }),
          async (pick, options, cellRows, split) => {
            // Let vitest's worker breathe on long runs (C2C_FUZZ_RUNS): the property itself never waits.
            if (++runs % 250 === 0) await new Promise((resolve) => setImmediate(resolve));
            const schema = schemas[pick % schemas.length] as ExtractSchema;
            const extract = PartnerExtractSchema.parse({ schema: schema.id, files: "*", ...options });
            const where = { partner: "p", file: "f.csv" };
            const validator = createRowValidator(schema, extract, project.vocabularies, where);
            const state = newValidationState();
            const raw: RawRow[] = cellRows.map((cells, i) => ({
              line: i + 2,
              cells: schema.fields.map((_, f) => cells[f] ?? ""),
            }));
            // In chunks, as the reader hands them on: state carries across.
            const typed = [];
            const issues: Issue[] = [];
            for (let i = 0; i < raw.length; i += split) {
              const r = validateRows(raw.slice(i, i + split), validator, state);
              typed.push(...r.rows);
              issues.push(...r.issues);
            }
            checkIssues(issues);
            const accepted = new Set(typed.map((t) => t.line));
            const rejected = new Set(issues.filter((i) => i.severity === "error").map((i) => i.line));
            for (const row of raw)
              expect(accepted.has(row.line) !== rejected.has(row.line), `line ${row.line}`).toBe(true);
            for (const t of typed) {
              expect(Object.keys(t.values).sort()).toEqual(schema.fields.map((f) => f.name).sort());
              for (const f of schema.fields) {
                const v = t.values[f.name];
                if (f.type === "count" && v !== null) expect(Number.isInteger(v) && (v as number) >= 0).toBe(true);
                if ((f.type === "number" || f.type === "percent") && v !== null)
                  expect(Number.isFinite(v as number)).toBe(true);
              }
            }
          },
        ),
        { numRuns: RUNS, interruptAfterTimeLimit: TIME_LIMIT_MS },
      );
    },
    TIME_LIMIT_MS + 20_000,
  );
});

const HEADERS = [
  "school_year,district_id,school_id,measure,student_group_type,student_group,total_count,met_count",
  "school_year;district_id;school_id;measure;student_group_type;student_group;total_count;met_count",
];
const token = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(",", ";", '"', '""', "\n", "\r\n", "\r", " ", "") },
  { weight: 5, arbitrary: fc.constantFrom("2025", "0601", "014", "Grade 3 Reading", "All Students", "142", "61", "s") },
  { weight: 2, arbitrary: fc.string({ maxLength: 6 }) },
);

describe("the reader across chunk boundaries", () => {
  it(
    "hands on the same rows and issues whether the file arrives whole or in any chunks",
    async () => {
      const schema = project.extracts.get("outcome-counts") as ExtractSchema;
      const read = async (bytes: Uint8Array, sizes: readonly number[]) => {
        const rows: RawRow[] = [];
        async function* chunks() {
          for (let i = 0, k = 0; i < bytes.length; k++) {
            const size = sizes[k % sizes.length] as number;
            yield bytes.subarray(i, i + size);
            i += size;
          }
        }
        const outcome = await readPartnerFile(chunks(), { schema, where: { file: "f.csv" } }, (r) => {
          rows.push(...r);
        });
        checkIssues(outcome.issues);
        return {
          rows,
          failed: outcome.failed,
          sha256: outcome.sha256,
          // Known: a parse error is numbered by papaparse's row within its chunk (bad-inputs.test.ts), so only its code is compared.
          issues: outcome.issues.map((i) => (i.code === "parse-error" ? [i.code] : [i.code, i.line, i.column])),
        };
      };
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...HEADERS),
          fc.array(token, { maxLength: 300 }),
          fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 5 }),
          async (header, tokens, sizes) => {
            // Valid UTF-8 only: which encoding a file is sniffed as is read-any-bytes' concern.
            const bytes = new TextEncoder().encode(`${header}\n${tokens.join("")}`);
            const whole = await read(bytes, [bytes.length || 1]);
            expect(await read(bytes, sizes)).toEqual(whole);
          },
        ),
        { numRuns: RUNS, interruptAfterTimeLimit: TIME_LIMIT_MS },
      );
    },
    TIME_LIMIT_MS + 20_000,
  );
});
