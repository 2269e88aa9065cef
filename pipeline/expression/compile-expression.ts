import type { Value } from "../values/value.ts";
import { editDistance } from "../values/vocabulary-index.ts";
import {
  type ComparisonOperator,
  type ExpressionError,
  type ExpressionNode,
  parseExpression,
} from "./parse-expression.ts";

/** A row as rules see it: field name to typed value; a field the row lacks reads as null. */
export type ExpressionRow = Readonly<Record<string, Value>>;

/** A compiled rule: its source, the fields it reads (sorted, unique) and a fast test over rows. */
export interface CompiledExpression {
  source: string;
  fields: string[];
  test(row: ExpressionRow): boolean;
}

/** The compiled rule, or the first error in it. */
export type CompileResult = { ok: true; expression: CompiledExpression } | { ok: false; error: ExpressionError };

/** What a rule may refer to: the fields of the extract it runs over. */
export interface CompileOptions {
  fields: ReadonlySet<string>;
}

type Test = (row: ExpressionRow) => boolean;
type Read = (row: ExpressionRow) => Value;
type FieldNode = Extract<ExpressionNode, { kind: "field" }>;

/** Compiles a rule to nested closures, once, checking every field against `options.fields`; never throws. */
export function compileExpression(source: string, options: CompileOptions): CompileResult {
  const parsed = parseExpression(source);
  if (!parsed.ok) return parsed;
  const used: FieldNode[] = [];
  collectFields(parsed.node, used);
  const unknown = used.find((f) => !options.fields.has(f.name));
  if (unknown) return { ok: false, error: describeUnknownField(unknown, options.fields) };
  const fields = [...new Set(used.map((f) => f.name))].sort();
  return { ok: true, expression: { source, fields, test: compileTest(parsed.node) } };
}

/** Field references in source order. */
function collectFields(node: ExpressionNode, out: FieldNode[]): void {
  switch (node.kind) {
    case "literal":
      return;
    case "field":
      out.push(node);
      return;
    case "not":
    case "in":
      collectFields(node.operand, out);
      return;
    case "and":
    case "or":
      for (const operand of node.operands) collectFields(operand, out);
      return;
    case "compare":
      collectFields(node.left, out);
      collectFields(node.right, out);
      return;
  }
}

function describeUnknownField(field: FieldNode, known: ReadonlySet<string>): ExpressionError {
  const names = [...known].sort();
  const nearest = suggestField(field.name, names);
  const hint = nearest === undefined ? "" : ` (did you mean \`${nearest}\`?)`;
  return {
    message: `unknown field \`${field.name}\` at ${field.position}${hint}; known fields: ${names.join(", ") || "none"}`,
    position: field.position,
  };
}

/** The closest known field within a third of the name's length in edits (at least one). */
function suggestField(name: string, names: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(name.length / 3)) + 1;
  for (const candidate of names) {
    const d = editDistance(name, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

const always: Test = () => true;
const never: Test = () => false;

/** A node as a condition: true only when it evaluates to `true`. */
function compileTest(node: ExpressionNode): Test {
  switch (node.kind) {
    case "literal":
      return node.value === true ? always : never;
    case "field": {
      // no inherited property (`constructor`) is `true`, so the direct read is safe here
      const name = node.name;
      return (row) => row[name] === true;
    }
    case "not": {
      const operand = compileTest(node.operand);
      return (row) => !operand(row);
    }
    case "and":
      return compileAll(node.operands.map(compileTest));
    case "or":
      return compileAny(node.operands.map(compileTest));
    case "compare":
      return compileComparison(node.op, node.left, node.right);
    case "in": {
      const values = new Set(node.values);
      const read = compileRead(node.operand);
      return node.negated ? (row) => !values.has(read(row)) : (row) => values.has(read(row));
    }
  }
}

/** A node as a value: literals and fields as they are, conditions as booleans. */
function compileRead(node: ExpressionNode): Read {
  if (node.kind === "literal") {
    const value = node.value;
    return () => value;
  }
  if (node.kind === "field") return compileFieldRead(node.name);
  return compileTest(node);
}

function compileFieldRead(name: string): Read {
  // rows are plain objects: a field named like an inherited property must not read that property
  if (name in Object.prototype) return (row) => (Object.hasOwn(row, name) ? (row[name] ?? null) : null);
  return (row) => row[name] ?? null;
}

function compileAll(tests: Test[]): Test {
  const [a, b, c] = tests;
  // unrolled for the short conjunctions rules are made of
  if (tests.length === 2) return (row) => a!(row) && b!(row);
  if (tests.length === 3) return (row) => a!(row) && b!(row) && c!(row);
  return (row) => {
    for (const test of tests) if (!test(row)) return false;
    return true;
  };
}

function compileAny(tests: Test[]): Test {
  const [a, b, c] = tests;
  if (tests.length === 2) return (row) => a!(row) || b!(row);
  if (tests.length === 3) return (row) => a!(row) || b!(row) || c!(row);
  return (row) => {
    for (const test of tests) if (test(row)) return true;
    return false;
  };
}

type Ordered = number | string;
const ORDER: Record<Exclude<ComparisonOperator, "==" | "!=">, (a: Ordered, b: Ordered) => boolean> = {
  "<": (a, b) => a < b,
  "<=": (a, b) => a <= b,
  ">": (a, b) => a > b,
  ">=": (a, b) => a >= b,
};

/** `==` and `!=` compare type and value; ordered comparisons hold only between two numbers or two strings. */
function compileComparison(op: ComparisonOperator, leftNode: ExpressionNode, rightNode: ExpressionNode): Test {
  const left = compileRead(leftNode);
  const right = compileRead(rightNode);
  if (op === "==" || op === "!=") {
    const equal = compileEquality(leftNode, rightNode) ?? ((row: ExpressionRow) => left(row) === right(row));
    return op === "==" ? equal : (row) => !equal(row);
  }
  const order = ORDER[op];
  return (row) => {
    const a = left(row);
    const b = right(row);
    return (typeof a === "number" && typeof b === "number") || (typeof a === "string" && typeof b === "string")
      ? order(a, b)
      : false;
  };
}

/** `field == literal`, nearly every comparison in the catalog, as a single closure. */
function compileEquality(leftNode: ExpressionNode, rightNode: ExpressionNode): Test | undefined {
  const [field, literal] = leftNode.kind === "field" ? [leftNode, rightNode] : [rightNode, leftNode];
  if (field.kind !== "field" || literal.kind !== "literal" || field.name in Object.prototype) return undefined;
  const name = field.name;
  const value = literal.value;
  if (value === null) {
    return (row) => {
      const v = row[name];
      return v === null || v === undefined;
    };
  }
  return (row) => row[name] === value;
}
