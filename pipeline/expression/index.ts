export {
  type CompiledExpression,
  type CompileResult,
  compileExpression,
  type ExpressionRow,
} from "./compile-expression.ts";
export { type ExpressionError, type ExpressionNode, type Literal, parseExpression } from "./parse-expression.ts";
