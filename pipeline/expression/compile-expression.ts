import { editDistance } from "../normalize/vocabulary-index.ts";
import { type ExpressionError, type ExpressionNode, type Literal, parseExpression } from "./parse-expression.ts";

/** A row as rules see it: field name to typed value. */
export type ExpressionRow = Readonly<Record<string, Literal>>;

/** A compiled rule: a fast test over rows, and the fields it reads. */
export interface CompiledExpression {
  source: string;
  fields: string[];
  test(row: ExpressionRow): boolean;
}

export type CompileResult = { ok: true; expression: CompiledExpression } | { ok: false; error: ExpressionError };

type Evaluator = (row: ExpressionRow) => Literal;

/**
 * Compiles a rule to nested closures, once; no JavaScript is ever evaluated. Every field must be
 * one of `options.fields`. Never throws.
 */
export function compileExpression(source: string, options: { fields: ReadonlySet<string> }): CompileResult {
  const parsed = parseExpression(source);
  if (!parsed.ok) return parsed;
  const used = new Set<string>();
  const unknown: { name: string; position: number }[] = [];
  const build = (node: ExpressionNode): Evaluator => {
    switch (node.kind) {
      case "literal": {
        const v = node.value;
        return () => v;
      }
      case "field": {
        if (!options.fields.has(node.name)) unknown.push(node);
        used.add(node.name);
        const name = node.name;
        return (row) => row[name] ?? null;
      }
      case "not": {
        const operand = build(node.operand);
        return (row) => operand(row) !== true;
      }
      case "logical": {
        const left = build(node.left);
        const right = build(node.right);
        return node.op === "and"
          ? (row) => left(row) === true && right(row) === true
          : (row) => left(row) === true || right(row) === true;
      }
      case "compare": {
        const left = build(node.left);
        const right = build(node.right);
        switch (node.op) {
          case "==":
            return (row) => left(row) === right(row);
          case "!=":
            return (row) => left(row) !== right(row);
          default: {
            const op = node.op;
            return (row) => {
              const a = left(row);
              const b = right(row);
              if (a === null || b === null || typeof a !== typeof b || typeof a === "boolean") return false;
              return op === "<" ? a < b : op === "<=" ? a <= b : op === ">" ? a > b : a >= b;
            };
          }
        }
      }
      case "in": {
        const operand = build(node.operand);
        const values = new Set(node.values);
        return node.negated ? (row) => !values.has(operand(row)) : (row) => values.has(operand(row));
      }
    }
  };
  const evaluate = build(parsed.node);
  const first = unknown[0];
  if (first) {
    const known = [...options.fields].sort();
    const near = known.map((f) => [f, editDistance(first.name, f)] as const).sort((a, b) => a[1] - b[1])[0];
    const hint =
      near && near[1] <= Math.max(2, Math.floor(first.name.length / 3)) ? ` (did you mean \`${near[0]}\`?)` : "";
    return {
      ok: false,
      error: {
        message: `unknown field \`${first.name}\` at ${first.position}${hint}; known fields: ${known.join(", ")}`,
        position: first.position,
      },
    };
  }
  return { ok: true, expression: { source, fields: [...used].sort(), test: (row) => evaluate(row) === true } };
}
