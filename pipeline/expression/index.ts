export {
  type CompiledExpression,
  type CompileOptions,
  type CompileResult,
  compileExpression,
  type ExpressionRow,
} from "./compile-expression.ts";
export {
  type ComparisonOperator,
  type ExpressionError,
  type ExpressionNode,
  type ParseResult,
  parseExpression,
} from "./parse-expression.ts";
