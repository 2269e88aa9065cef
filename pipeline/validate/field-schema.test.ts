import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ExtractFieldSchema } from "../../schemas/index.ts";
import { booleanVocabulary } from "../test-support/small-schema.ts";
import { fastFieldParser, fieldValueSchema, UNDECIDED } from "./field-schema.ts";

const field = (type: string, extra: object = {}) =>
  ExtractFieldSchema.parse({ name: "f", title: "F", description: "d", type, example: "1", ...extra });

const FIELDS = [
  field("id"),
  field("text"),
  field("code", { vocabulary: "race_ethnicity" }),
  field("count"),
  field("integer", { minimum: 0, maximum: 12 }),
  field("boolean"),
  field("year", { minimum: 2000, maximum: 2100 }),
  field("percent"),
];

/** Cells like the ones partners write, and odd ones around them. */
const cells = fc.oneof(
  fc.string({ unit: fc.constantFrom(..."0123456789 ,.-+%YyNnesoTRUEfal/2E"), maxLength: 12 }),
  fc.constantFrom(
    "Y",
    "N",
    "yes",
    "No",
    "TRUE",
    "1",
    "0",
    " 3",
    "3 ",
    "007",
    "2024-25",
    "2023-2024",
    "2025",
    "1,059",
    "12a",
    "",
  ),
  fc.string({ maxLength: 8 }),
);

describe("the fast path of a field", () => {
  it("never decides differently from the field's zod schema", () => {
    const booleans = booleanVocabulary;
    for (const f of FIELDS) {
      const fast = fastFieldParser(f, booleans);
      const schema = fieldValueSchema(f, booleans);
      fc.assert(
        fc.property(cells, (cell) => {
          const quick = fast(cell);
          if (quick === UNDECIDED) return;
          const slow = schema.safeParse(cell);
          expect(slow.success, `${f.type} ${JSON.stringify(cell)}`).toBe(true);
          if (slow.success) expect(quick, `${f.type} ${JSON.stringify(cell)}`).toEqual(slow.data);
        }),
        { numRuns: 2000 },
      );
    }
  });

  it("decides the plain common cases itself", () => {
    const booleans = booleanVocabulary;
    expect(fastFieldParser(field("count"), booleans)("142")).toBe(142);
    expect(fastFieldParser(field("boolean"), booleans)("yes")).toBe(true);
    expect(fastFieldParser(field("year"), booleans)("2024-25")).toBe(2025);
    expect(fastFieldParser(field("id"), booleans)("0007")).toBe("0007");
    expect(fastFieldParser(field("count"), booleans)("1,059")).toBe(UNDECIDED);
    expect(fastFieldParser(field("count"), booleans)("")).toBe(UNDECIDED);
  });
});

describe("a numeric cell that is not a number", () => {
  const issue = (type: string, cell: string, marks: string[] = []) => {
    const r = fieldValueSchema(field(type), booleanVocabulary, { marks }).safeParse(cell);
    if (r.success) throw new Error(`${cell} was accepted`);
    return (r.error.issues[0] as { params?: { code: string; expected: string; detail?: string } }).params;
  };

  it("is told apart when it looks like a mark for a withheld figure, naming the file's own marks", () => {
    for (const cell of ["n<10", "s", "PS", "N/A", ".", "-", "***", "suppressed"])
      expect(issue("count", cell, ["*"]), cell).toMatchObject({ code: "unknown-mark", expected: "`*`" });
    expect(issue("percent", "n<10")).toMatchObject({ code: "unknown-mark", expected: "" });
    expect(issue("count", "twelve")).toMatchObject({
      code: "type-error",
      detail: "digits only, with no words or symbols",
    });
  });

  it("in a count, a percent is asked for as the number of people", () => {
    expect(issue("count", "45%")).toMatchObject({
      code: "type-error",
      detail: "the number of people, not a percent: c2c works the share out from the counts",
    });
  });
});
