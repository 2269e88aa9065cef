import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileExpression } from "./index.ts";

const fields = new Set(["grade", "subject", "tested", "proficient", "enrolled", "tracking", "measure"]);
const compile = (source: string) => {
  const r = compileExpression(source, { fields });
  if (!r.ok) throw new Error(r.error.message);
  return r.expression;
};

describe("compileExpression", () => {
  it("evaluates the catalog's rules", () => {
    const reading = compile("grade == 3 and subject == 'ela' and tested");
    expect(reading.test({ grade: 3, subject: "ela", tested: true })).toBe(true);
    expect(reading.test({ grade: 3, subject: "ela", tested: null })).toBe(false);
    expect(reading.test({ grade: 8, subject: "ela", tested: true })).toBe(false);
    expect(reading.fields).toEqual(["grade", "subject", "tested"]);
    const known = compile("tracking == 'enrollment' and enrolled != null");
    expect(known.test({ tracking: "enrollment", enrolled: false })).toBe(true);
    expect(known.test({ tracking: "enrollment", enrolled: null })).toBe(false);
    expect(compile("true").test({})).toBe(true);
    expect(compile('measure == "grade3_reading"').test({ measure: "grade3_reading" })).toBe(true);
  });

  it("binds and tighter than or, and not tighter than and", () => {
    expect(
      compile("tested or proficient and enrolled").test({ tested: true, proficient: false, enrolled: false }),
    ).toBe(true);
    expect(compile("not tested and proficient").test({ tested: false, proficient: true })).toBe(true);
    expect(compile("not (tested and proficient)").test({ tested: true, proficient: false })).toBe(true);
  });

  it("compares strictly and treats null as unordered", () => {
    expect(compile("grade == '3'").test({ grade: 3 })).toBe(false);
    expect(compile("grade >= 3").test({ grade: null })).toBe(false);
    expect(compile("grade < 9").test({ grade: -2 })).toBe(true);
    expect(compile("grade in [3, 8]").test({ grade: 8 })).toBe(true);
    expect(compile("subject not in ['ela', 'math']").test({ subject: "science" })).toBe(true);
    expect(compile("subject == 'it\\'s'").test({ subject: "it's" })).toBe(true);
  });

  it.each([
    ["grde == 3", 0, "did you mean `grade`"],
    ["(grade == 3", 11, "expected `)`"],
    ["subject == 'ela", 11, "never closed"],
    ["grade == 3 subject", 11, "unexpected `subject`"],
    ["", 0, "empty"],
    ["grade = 3", 6, "compare with =="],
    ["grade ==", 8, "expected a value after `==`"],
    ["grade in 3", 9, "expected `[`"],
  ])("reports %s at %i", (source, position, text) => {
    const r = compileExpression(source, { fields });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.position).toBe(position);
      expect(r.error.message).toContain(text);
    }
  });

  it("never throws, whatever the text", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (s) => {
        compileExpression(s, { fields });
      }),
      { numRuns: 2000 },
    );
  });

  it("agrees with a straightforward evaluation on generated rules", () => {
    const value = fc.oneof(fc.constant(null), fc.boolean(), fc.integer({ min: 0, max: 3 }));
    const leaf = fc.record({
      field: fc.constantFrom("grade", "tested"),
      op: fc.constantFrom("==", "!=", "<", ">="),
      lit: fc.integer({ min: 0, max: 3 }),
    });
    fc.assert(
      fc.property(
        fc.array(leaf, { minLength: 1, maxLength: 4 }),
        fc.array(fc.constantFrom("and", "or"), { minLength: 3, maxLength: 3 }),
        value,
        value,
        (leaves, joins, grade, tested) => {
          const source = leaves
            .map((l) => `${l.field} ${l.op} ${l.lit}`)
            .reduce((acc, s, i) => `${acc} ${joins[i - 1]} ${s}`);
          const row = { grade, tested };
          const leafValue = (l: (typeof leaves)[number]) => {
            const a = row[l.field as "grade" | "tested"];
            if (l.op === "==") return a === l.lit;
            if (l.op === "!=") return a !== l.lit;
            if (typeof a !== "number") return false;
            return l.op === "<" ? a < l.lit : a >= l.lit;
          };
          // or of ands, the precedence the language promises
          const groups: boolean[][] = [[]];
          leaves.forEach((l, i) => {
            if (i > 0 && joins[i - 1] === "or") groups.push([]);
            groups[groups.length - 1]!.push(leafValue(l));
          });
          expect(compile(source).test(row)).toBe(groups.some((g) => g.every(Boolean)));
        },
      ),
      { numRuns: 500 },
    );
  });
});
