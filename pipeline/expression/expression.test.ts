import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Value } from "../values/value.ts";
import { type CompiledExpression, compileExpression, type ExpressionRow, parseExpression } from "./index.ts";

const fields = new Set([
  "grade",
  "subject",
  "tested",
  "proficient",
  "tracking",
  "enrolled",
  "completed",
  "assessed",
  "measure",
  "score",
]);

function compile(source: string, known: ReadonlySet<string> = fields): CompiledExpression {
  const result = compileExpression(source, { fields: known });
  if (!result.ok) throw new Error(`${source}: ${result.error.message}`);
  return result.expression;
}

/** The error of a rule that must not compile, as [position, message]. */
function errorOf(source: string, known: ReadonlySet<string> = fields): [number, string] {
  const result = compileExpression(source, { fields: known });
  if (result.ok) throw new Error(`${source} compiled`);
  return [result.error.position, result.error.message];
}

describe("the catalog's rules", () => {
  it("third-grade reading: grade, subject and tested", () => {
    const rule = compile("grade == 3 and subject == 'ela' and tested");
    expect(rule.fields).toEqual(["grade", "subject", "tested"]);
    expect(rule.test({ grade: 3, subject: "ela", tested: true })).toBe(true);
    expect(rule.test({ grade: 3, subject: "ela", tested: false })).toBe(false);
    expect(rule.test({ grade: 3, subject: "ela", tested: null })).toBe(false);
    expect(rule.test({ grade: 3, subject: "math", tested: true })).toBe(false);
    expect(rule.test({ grade: 8, subject: "ela", tested: true })).toBe(false);
    expect(rule.test({ grade: "3", subject: "ela", tested: true })).toBe(false);
    expect(rule.test({ grade: null, subject: "ela", tested: true })).toBe(false);
  });

  it("eighth-grade math", () => {
    const rule = compile("grade == 8 and subject == 'math' and tested");
    expect(rule.test({ grade: 8, subject: "math", tested: true })).toBe(true);
    expect(rule.test({ grade: 8, subject: "ela", tested: true })).toBe(false);
  });

  it("postsecondary enrollment and completion count only known outcomes", () => {
    const enrollment = compile("tracking == 'enrollment' and enrolled != null");
    expect(enrollment.fields).toEqual(["enrolled", "tracking"]);
    expect(enrollment.test({ tracking: "enrollment", enrolled: false })).toBe(true);
    expect(enrollment.test({ tracking: "enrollment", enrolled: true })).toBe(true);
    expect(enrollment.test({ tracking: "enrollment", enrolled: null })).toBe(false);
    expect(enrollment.test({ tracking: "completion", enrolled: true })).toBe(false);
    const completion = compile("tracking == 'completion' and completed != null");
    expect(completion.test({ tracking: "completion", completed: false })).toBe(true);
    expect(completion.test({ tracking: "completion" })).toBe(false);
  });

  it("bare fields as numerators and `true` as a denominator", () => {
    const assessed = compile("assessed");
    expect(assessed.fields).toEqual(["assessed"]);
    expect([true, false, null].map((assessed) => compile("assessed").test({ assessed }))).toEqual([true, false, false]);
    expect(compile("proficient").test({ proficient: true })).toBe(true);
    const all = compile("true");
    expect(all.fields).toEqual([]);
    expect(all.test({})).toBe(true);
    expect(compile("false").test({})).toBe(false);
  });

  it("aggregate filters in either quote", () => {
    const rule = compile("measure == 'grade3_reading'");
    expect(rule.test({ measure: "grade3_reading" })).toBe(true);
    expect(rule.test({ measure: "grade8_math" })).toBe(false);
    expect(compile('measure == "graduation_4yr"').test({ measure: "graduation_4yr" })).toBe(true);
  });

  it("keeps the source and lists each field once, sorted", () => {
    const rule = compile("tested and grade > 2 and (grade < 9 or tested)");
    expect(rule.source).toBe("tested and grade > 2 and (grade < 9 or tested)");
    expect(rule.fields).toEqual(["grade", "tested"]);
  });
});

describe("precedence", () => {
  const bools = [true, false];
  const combos = bools.flatMap((a) => bools.flatMap((b) => bools.map((c) => ({ a, b, c }))));
  const abc = new Set(["a", "b", "c"]);

  it("and binds tighter than or", () => {
    const rule = compile("a or b and c", abc);
    const left = compile("c and b or a", abc);
    for (const row of combos) {
      expect(rule.test(row)).toBe(row.a || (row.b && row.c));
      expect(left.test(row)).toBe((row.c && row.b) || row.a);
    }
  });

  it("not binds tighter than and, looser than comparisons", () => {
    const rule = compile("not a and b", abc);
    for (const row of combos) expect(rule.test(row)).toBe(!row.a && row.b);
    const comparison = compile("not a == b", abc);
    for (const row of combos) expect(comparison.test(row)).toBe(row.a !== row.b);
    expect(compile("not not a", abc).test({ a: true })).toBe(true);
  });

  it("parentheses override", () => {
    const rule = compile("(a or b) and c", abc);
    const negated = compile("not (a and b)", abc);
    for (const row of combos) {
      expect(rule.test(row)).toBe((row.a || row.b) && row.c);
      expect(negated.test(row)).toBe(!(row.a && row.b));
    }
  });

  it("flattens chains of and/or into one node", () => {
    const parsed = parseExpression("a and b and c or a");
    expect(parsed.ok && parsed.node.kind).toBe("or");
    if (parsed.ok && parsed.node.kind === "or") expect(parsed.node.operands[0]?.kind).toBe("and");
    if (parsed.ok && parsed.node.kind === "or")
      expect(parsed.node.operands[0]).toMatchObject({ operands: [{}, {}, {}] });
  });

  it("a long chain compiles and runs without deep recursion", () => {
    const rule = compile(Array.from({ length: 100_000 }, () => "tested").join(" and "));
    expect(rule.test({ tested: true })).toBe(true);
    expect(rule.test({ tested: null })).toBe(false);
  });
});

describe("values and null", () => {
  it("a bare field is true only when it is `true`", () => {
    for (const tested of [false, null, 1, "true", "Y"]) expect(compile("tested").test({ tested })).toBe(false);
    expect(compile("tested").test({})).toBe(false);
    expect(compile("not tested").test({ tested: null })).toBe(true);
    expect(compile("grade").test({ grade: 3 })).toBe(false);
  });

  it("== and != compare type and value", () => {
    expect(compile("grade == '3'").test({ grade: 3 })).toBe(false);
    expect(compile("grade != '3'").test({ grade: 3 })).toBe(true);
    expect(compile("tested == true").test({ tested: true })).toBe(true);
    expect(compile("tested == 1").test({ tested: true })).toBe(false);
    expect(compile("grade == score").test({ grade: 3, score: 3 })).toBe(true);
    expect(compile("grade == score").test({ grade: 3, score: "3" })).toBe(false);
    expect(compile("3 == grade").test({ grade: 3 })).toBe(true);
  });

  it("null equals null, and a missing field reads as null", () => {
    expect(compile("enrolled == null").test({ enrolled: null })).toBe(true);
    expect(compile("enrolled == null").test({})).toBe(true);
    expect(compile("enrolled != null").test({})).toBe(false);
    expect(compile("enrolled != null").test({ enrolled: false })).toBe(true);
    expect(compile("null == enrolled").test({ enrolled: 0 })).toBe(false);
    expect(compile("grade == score").test({ grade: null })).toBe(true);
    expect(compile("null == null").test({})).toBe(true);
  });

  it("ordered comparisons hold only between two numbers or two strings", () => {
    expect(compile("grade >= 3").test({ grade: 3 })).toBe(true);
    expect(compile("grade < 9").test({ grade: -2 })).toBe(true);
    expect(compile("score > 0.5").test({ score: 0.75 })).toBe(true);
    expect(compile("score <= -2").test({ score: -2 })).toBe(true);
    expect(compile("subject < 'math'").test({ subject: "ela" })).toBe(true);
    for (const op of ["<", "<=", ">", ">="]) {
      expect(compile(`grade ${op} 3`).test({ grade: null }), `null ${op} 3`).toBe(false);
      expect(compile(`grade ${op} null`).test({ grade: 3 }), `3 ${op} null`).toBe(false);
      expect(compile(`grade ${op} 3`).test({ grade: "3" }), `'3' ${op} 3`).toBe(false);
      expect(compile(`grade ${op} 3`).test({}), `missing ${op} 3`).toBe(false);
      expect(compile(`tested ${op} false`).test({ tested: true }), `true ${op} false`).toBe(false);
    }
  });

  it("fields named like Object.prototype properties read only the row's own values", () => {
    const known = new Set(["constructor", "to_string"]);
    expect(compile("constructor == null", known).test({})).toBe(true);
    expect(compile("constructor != null", known).test({})).toBe(false);
    expect(compile("constructor in [null]", known).test({})).toBe(true);
    expect(compile("constructor", known).test({})).toBe(false);
    expect(compile("constructor == 'x'", known).test({ constructor: "x" })).toBe(true);
  });
});

describe("in and not in", () => {
  it("is true when the value strictly equals a member", () => {
    const rule = compile("grade in [3, 8]");
    expect(rule.test({ grade: 8 })).toBe(true);
    expect(rule.test({ grade: 5 })).toBe(false);
    expect(rule.test({ grade: "8" })).toBe(false);
    expect(rule.test({ grade: null })).toBe(false);
    expect(compile("subject in ['ela', \"math\"]").test({ subject: "math" })).toBe(true);
    expect(compile("enrolled in [null, false]").test({})).toBe(true);
    expect(compile("tested in [true]").test({ tested: true })).toBe(true);
    expect(compile("score in [-2, 0.5]").test({ score: 0.5 })).toBe(true);
  });

  it("not in is the negation, null included", () => {
    const rule = compile("subject not in ['ela', 'math']");
    expect(rule.test({ subject: "science" })).toBe(true);
    expect(rule.test({ subject: "ela" })).toBe(false);
    expect(rule.test({ subject: null })).toBe(true);
    expect(compile("not subject in ['ela']").test({ subject: "ela" })).toBe(false);
  });

  it("combines with and/or at comparison precedence", () => {
    const rule = compile("grade in [3] and subject not in ['math'] or tested");
    expect(rule.test({ grade: 3, subject: "ela" })).toBe(true);
    expect(rule.test({ grade: 3, subject: "math" })).toBe(false);
    expect(rule.test({ grade: 3, subject: "math", tested: true })).toBe(true);
  });
});

describe("strings and numbers", () => {
  it("reads escaped quotes and backslashes", () => {
    expect(compile("subject == 'it\\'s'").test({ subject: "it's" })).toBe(true);
    expect(compile('subject == "say \\"hi\\""').test({ subject: 'say "hi"' })).toBe(true);
    expect(compile("subject == 'say \"hi\"'").test({ subject: 'say "hi"' })).toBe(true);
    expect(compile('subject == "it\'s"').test({ subject: "it's" })).toBe(true);
    expect(compile("subject == 'a\\\\b'").test({ subject: "a\\b" })).toBe(true);
    expect(compile("subject == ''").test({ subject: "" })).toBe(true);
    expect(compile("subject == 'and or not ( ]'").test({ subject: "and or not ( ]" })).toBe(true);
  });

  it("reads decimals and negatives, with or without spaces", () => {
    expect(compile("score==-2").test({ score: -2 })).toBe(true);
    expect(compile("score == 0.5").test({ score: 0.5 })).toBe(true);
    expect(compile("score>=10").test({ score: 12 })).toBe(true);
    expect(compile("(score==3)and(tested)").test({ score: 3, tested: true })).toBe(true);
  });
});

describe("errors", () => {
  it.each<[string, number, string]>([
    ["grde == 3", 0, "unknown field `grde` at 0 (did you mean `grade`?); known fields: assessed, completed, enrolled"],
    ["tested and subjct == 'ela'", 11, "did you mean `subject`?"],
    ["graduated", 0, "unknown field `graduated` at 0; known fields: assessed, completed,"],
    ["grade == 3 and zzz", 15, "unknown field `zzz` at 15; known"],
    ["(grade == 3", 11, "expected `)` at 11 to close the `(` at 0, found end of expression"],
    ["((grade == 3) and tested", 24, "to close the `(` at 0"],
    ["grade == 3)", 10, "found `)` (there is no `(` to close)"],
    ["subject == 'ela", 11, "unclosed string at 11: expected a closing '"],
    ['subject == "ela\\"', 11, 'expected a closing "'],
    ["subject == 'e\\la'", 13, "unknown escape `\\l` at 13"],
    ["grade == 3 subject", 11, "expected `and`, `or` or end of expression at 11, found `subject`"],
    ["grade == 3 == 3", 11, "found `==`"],
    ["", 0, "expected a condition at 0, found an empty rule"],
    ["   ", 0, "empty rule"],
    ["grade = 3", 6, "unexpected character `=` at 6; compare with `==`"],
    ["tested && grade", 7, "unexpected character `&` at 7; combine conditions with `and`"],
    ["!tested", 0, "negate with `not`"],
    ["grade $ 3", 6, "unexpected character `$` at 6"],
    ["grade == 3 ☃", 11, "unexpected character `☃` at 11"],
    ["grade ==", 8, "expected a value after `==` at 8, found end of expression"],
    ["grade == and", 9, "expected a value after `==` at 9, found `and`"],
    ["grade == 3 and", 14, "expected a condition after `and` at 14, found end of expression"],
    ["tested or", 9, "expected a condition after `or` at 9"],
    ["not", 3, "expected a condition after `not` at 3"],
    ["()", 1, "expected a condition after `(` at 1, found `)`"],
    [") tested", 0, "expected a condition at 0, found `)`"],
    ["grade in 3", 9, "expected `[` after `in` at 9, found `3`"],
    ["grade not in (3)", 13, "expected `[` after `not in` at 13"],
    ["grade not 3", 10, "expected `in` after `not` at 10, found `3`"],
    ["grade in []", 10, "expected a number, string, true, false or null after `[` at 10, found `]`"],
    ["grade in [3,]", 12, "after `,` at 12, found `]`"],
    ["grade in [score]", 10, "found `score`"],
    ["grade in [3", 11, "expected `,` or `]` at 11, found end of expression"],
    ["grade in [3 8]", 12, "expected `,` or `]` at 12, found `8`"],
    ["grade == 3 AND tested", 11, "`AND` at 11: keywords are lowercase; write `and`"],
    [
      "schoolYear == 2025",
      0,
      "`schoolYear` at 0 is not a field name; field names are snake case, such as `school_year`",
    ],
    ["grade == 3abc", 9, "`3abc` at 9 is not a number"],
    ["grade == 1e3", 9, "`1e3` at 9 is not a number"],
    ["grade == 3.", 9, "`3.` at 9 is not a number"],
    ["grade == - 3", 9, "unexpected character `-` at 9"],
    [`${"(".repeat(70)}tested${")".repeat(70)}`, 64, "nests `(` and `not` more than 64 deep at 64"],
    [`${"not ".repeat(100)}tested`, 256, "more than 64 deep"],
  ])("%j fails at %i", (source, position, message) => {
    const [at, text] = errorOf(source);
    expect(at).toBe(position);
    expect(text).toContain(message);
  });

  it("names no known fields when there are none", () => {
    expect(errorOf("tested", new Set())).toEqual([0, "unknown field `tested` at 0; known fields: none"]);
  });

  it("reports syntax before unknown fields, and the first unknown field", () => {
    expect(errorOf("nope == (")[1]).toContain("expected a condition after `(`");
    expect(errorOf("tested and (nope or zilch)")[0]).toBe(12);
  });
});

describe("properties", () => {
  it("never throws, whatever the text, and points inside it", () => {
    const fragment = fc.constantFrom(
      ...["grade", "tested", "nope", "and", "or", "not", "in", "true", "null", "(", ")", "[", "]", ","],
      ...["==", "!=", "<", ">=", "=", "3", "-2", "0.5", "'a'", '"b', "'", "\\", " ", "!", "-", ".", "AND"],
    );
    const text = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.string({ unit: "binary", maxLength: 30 }),
      fc.array(fragment, { maxLength: 30 }).map((parts) => parts.join("")),
      fc.array(fragment, { maxLength: 30 }).map((parts) => parts.join(" ")),
    );
    fc.assert(
      fc.property(text, (source) => {
        const result = compileExpression(source, { fields: new Set(["grade", "tested"]) });
        if (!result.ok) {
          expect(result.error.position).toBeGreaterThanOrEqual(0);
          expect(result.error.position).toBeLessThanOrEqual(source.length);
          expect(result.error.message).toContain(`at ${result.error.position}`);
        }
      }),
      { numRuns: 5000 },
    );
  });

  it("agrees with a straightforward evaluation of generated rules", () => {
    const ruleFields = ["a", "b", "n", "s"] as const;
    const literal = fc.oneof(
      fc.constantFrom<Value>(null, true, false, 0.5, -2),
      fc.integer({ min: -2, max: 3 }),
      fc.string({ unit: fc.constantFrom("x", "y", "'", '"', "\\", " "), maxLength: 3 }),
    );
    const atom = fc.oneof(
      fc.record({ kind: fc.constant("field" as const), name: fc.constantFrom(...ruleFields) }),
      fc.record({ kind: fc.constant("literal" as const), value: literal, quote: fc.constantFrom("'", '"') }),
    );
    const { rule } = fc.letrec<{ rule: Rule }>((tie) => ({
      rule: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        atom,
        fc.record({
          kind: fc.constant("compare" as const),
          op: fc.constantFrom("==", "!=", "<", "<=", ">", ">="),
          left: fc.oneof({ weight: 4, arbitrary: atom }, { weight: 1, arbitrary: tie("rule") }),
          right: atom,
        }),
        fc.record({
          kind: fc.constant("in" as const),
          negated: fc.boolean(),
          operand: atom,
          values: fc.array(literal, { minLength: 1, maxLength: 3 }),
          quote: fc.constantFrom("'", '"'),
        }),
        fc.record({ kind: fc.constant("not" as const), operand: tie("rule") }),
        fc.record({ kind: fc.constantFrom("and" as const, "or" as const), left: tie("rule"), right: tie("rule") }),
      ),
    }));
    const cell = fc.oneof(
      fc.constantFrom<Value>(null, true, false, 0.5, -2, "x", "'"),
      fc.integer({ min: -2, max: 3 }),
    );
    // a field may be missing from the row, which reads as null
    const row = fc.array(fc.option(cell, { nil: undefined }), { minLength: 4, maxLength: 4 }).map((cells) => {
      const values: Record<string, Value> = {};
      cells.forEach((v, i) => {
        if (v !== undefined) values[ruleFields[i]!] = v;
      });
      return values;
    });
    const known = new Set<string>(ruleFields);

    fc.assert(
      fc.property(rule, row, (r, values) => {
        const source = printRule(r, 0);
        const result = compileExpression(source, { fields: known });
        if (!result.ok) throw new Error(`${source}: ${result.error.message}`);
        expect(result.expression.test(values), source).toBe(referenceTest(r, values));
      }),
      { numRuns: 3000 },
    );
  });
});

type Atom = { kind: "field"; name: string } | { kind: "literal"; value: Value; quote: string };
type Rule =
  | Atom
  | { kind: "compare"; op: string; left: Rule; right: Atom }
  | { kind: "in"; negated: boolean; operand: Atom; values: Value[]; quote: string }
  | { kind: "not"; operand: Rule }
  | { kind: "and" | "or"; left: Rule; right: Rule };

const PRECEDENCE = { or: 1, and: 2, not: 3, compare: 4, in: 4, field: 5, literal: 5 };

function printLiteral(value: Value, quote: string): string {
  if (typeof value !== "string") return String(value);
  return quote + value.replaceAll("\\", "\\\\").replaceAll(quote, `\\${quote}`) + quote;
}

/** Prints a rule with only the parentheses its tree needs, so precedence does the rest. */
function printRule(rule: Rule, context: number): string {
  const text = ((): string => {
    switch (rule.kind) {
      case "field":
        return rule.name;
      case "literal":
        return printLiteral(rule.value, rule.quote);
      case "compare":
        return `${printRule(rule.left, 5)} ${rule.op} ${printRule(rule.right, 5)}`;
      case "in":
        return `${printRule(rule.operand, 5)} ${rule.negated ? "not in" : "in"} [${rule.values.map((v) => printLiteral(v, rule.quote)).join(", ")}]`;
      case "not":
        return `not ${printRule(rule.operand, 3)}`;
      case "and":
      case "or":
        return `${printRule(rule.left, PRECEDENCE[rule.kind])} ${rule.kind} ${printRule(rule.right, PRECEDENCE[rule.kind] + 1)}`;
    }
  })();
  return PRECEDENCE[rule.kind] < context ? `(${text})` : text;
}

function referenceValue(rule: Rule, row: ExpressionRow): Value {
  if (rule.kind === "field") return Object.hasOwn(row, rule.name) ? (row[rule.name] as Value) : null;
  if (rule.kind === "literal") return rule.value;
  return referenceTest(rule, row);
}

function referenceTest(rule: Rule, row: ExpressionRow): boolean {
  switch (rule.kind) {
    case "field":
    case "literal":
      return referenceValue(rule, row) === true;
    case "not":
      return !referenceTest(rule.operand, row);
    case "and":
      return referenceTest(rule.left, row) && referenceTest(rule.right, row);
    case "or":
      return referenceTest(rule.left, row) || referenceTest(rule.right, row);
    case "in": {
      const value = referenceValue(rule.operand, row);
      return rule.values.some((v) => v === value) !== rule.negated;
    }
    case "compare": {
      const a = referenceValue(rule.left, row);
      const b = referenceValue(rule.right, row);
      if (rule.op === "==") return a === b;
      if (rule.op === "!=") return a !== b;
      const comparable =
        (typeof a === "number" && typeof b === "number") || (typeof a === "string" && typeof b === "string");
      if (!comparable || a === null || b === null) return false;
      if (rule.op === "<") return a < b;
      if (rule.op === "<=") return a <= b;
      if (rule.op === ">") return a > b;
      return a >= b;
    }
  }
}
