import type { Value } from "../values/value.ts";

/** A comparison operator of the rule language. */
export type ComparisonOperator = "==" | "!=" | "<" | "<=" | ">" | ">=";

/** The syntax tree of a rule; `position` is the 0-based offset where the node starts. */
export type ExpressionNode =
  | { kind: "literal"; value: Value; position: number }
  | { kind: "field"; name: string; position: number }
  | { kind: "not"; operand: ExpressionNode; position: number }
  | { kind: "and" | "or"; operands: ExpressionNode[]; position: number }
  | { kind: "compare"; op: ComparisonOperator; left: ExpressionNode; right: ExpressionNode; position: number }
  | { kind: "in"; negated: boolean; operand: ExpressionNode; values: Value[]; position: number };

/** Where and why a rule could not be read or compiled. */
export interface ExpressionError {
  message: string;
  /** 0-based character offset into the rule. */
  position: number;
}

/** The syntax tree of a rule, or the first syntax error in it. */
export type ParseResult = { ok: true; node: ExpressionNode } | { ok: false; error: ExpressionError };

type Token =
  | { type: "number"; value: number; text: string; position: number }
  | { type: "string"; value: string; text: string; position: number }
  | { type: "word" | "symbol" | "end"; text: string; position: number };

/** Parentheses and `not` nest no deeper than this, so the parser's recursion stays bounded. */
const MAX_DEPTH = 64;

const KEYWORDS = new Set(["and", "or", "not", "in", "true", "false", "null"]);
const COMPARISONS = new Set<string>(["==", "!=", "<", "<=", ">", ">="]);
const SYMBOLS = ["==", "!=", "<=", ">=", "<", ">", "(", ")", "[", "]", ","];
const HINTS: Record<string, string> = {
  "=": "; compare with `==`",
  "!": "; negate with `not`",
  "&": "; combine conditions with `and`",
  "|": "; combine conditions with `or`",
};

class ExpressionSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
  }
}

/** Parses a rule such as `grade == 3 and subject in ['ela', 'math']` into a syntax tree. Never throws. */
export function parseExpression(source: string): ParseResult {
  try {
    return { ok: true, node: new RuleParser(tokenizeExpression(source)).parseRule() };
  } catch (e) {
    if (e instanceof ExpressionSyntaxError) return { ok: false, error: { message: e.message, position: e.position } };
    throw e;
  }
}

const isDigit = (c: string | undefined) => c !== undefined && c >= "0" && c <= "9";
const isWordChar = (c: string | undefined) =>
  c !== undefined && ((c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c === "_" || isDigit(c));

function tokenizeExpression(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (c === "'" || c === '"') {
      i = scanString(source, start, tokens);
    } else if (isDigit(c) || (c === "-" && isDigit(source[i + 1]))) {
      i++;
      while (isDigit(source[i])) i++;
      if (source[i] === "." && isDigit(source[i + 1])) {
        i++;
        while (isDigit(source[i])) i++;
      }
      if (isWordChar(source[i]) || source[i] === ".") {
        while (isWordChar(source[i]) || source[i] === ".") i++;
        const text = source.slice(start, i);
        throw new ExpressionSyntaxError(
          `\`${text}\` at ${start} is not a number; write numbers like 3, 0.5 or -2`,
          start,
        );
      }
      const text = source.slice(start, i);
      tokens.push({ type: "number", value: Number(text), text, position: start });
    } else if (isWordChar(c)) {
      while (isWordChar(source[i])) i++;
      const text = source.slice(start, i);
      checkWord(text, start);
      tokens.push({ type: "word", text, position: start });
    } else {
      const symbol = SYMBOLS.find((s) => source.startsWith(s, i));
      if (symbol === undefined) {
        const character = String.fromCodePoint(source.codePointAt(i)!);
        throw new ExpressionSyntaxError(
          `unexpected character \`${JSON.stringify(character).slice(1, -1)}\` at ${start}${HINTS[character] ?? ""}`,
          start,
        );
      }
      i += symbol.length;
      tokens.push({ type: "symbol", text: symbol, position: start });
    }
  }
  tokens.push({ type: "end", text: "", position: source.length });
  return tokens;
}

/** Scans the string literal opening at `start`, pushes its token and returns the offset after it. */
function scanString(source: string, start: number, tokens: Token[]): number {
  const quote = source[start]!;
  let value = "";
  let i = start + 1;
  for (;;) {
    const c = source[i];
    if (c === undefined) {
      throw new ExpressionSyntaxError(
        `unclosed string at ${start}: expected a closing ${quote}, found end of expression`,
        start,
      );
    }
    if (c === quote) break;
    if (c === "\\") {
      const escaped = source[i + 1];
      if (escaped === "'" || escaped === '"' || escaped === "\\") {
        value += escaped;
        i += 2;
        continue;
      }
      if (escaped !== undefined) {
        throw new ExpressionSyntaxError(
          `unknown escape \`\\${escaped}\` at ${i}; inside a string write \\' or \\" for a quote and \\\\ for a backslash`,
          i,
        );
      }
    }
    value += c;
    i++;
  }
  tokens.push({ type: "string", value, text: source.slice(start, i + 1), position: start });
  return i + 1;
}

/** Field names are snake case and keywords lowercase; say which was meant when a word is neither. */
function checkWord(text: string, position: number): void {
  if (/^[a-z_][a-z0-9_]*$/.test(text)) return;
  const lower = text.toLowerCase();
  if (KEYWORDS.has(lower)) {
    throw new ExpressionSyntaxError(`\`${text}\` at ${position}: keywords are lowercase; write \`${lower}\``, position);
  }
  const snake = text.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
  throw new ExpressionSyntaxError(
    `\`${text}\` at ${position} is not a field name; field names are snake case, such as \`${snake}\``,
    position,
  );
}

const describeToken = (t: Token) =>
  t.type === "end" ? "end of expression" : `\`${t.text.length > 24 ? `${t.text.slice(0, 24)}…` : t.text}\``;

/**
 * Recursive descent, lowest precedence first:
 *   rule       := or END
 *   or         := and ("or" and)*
 *   and        := not ("and" not)*
 *   not        := "not" not | comparison
 *   comparison := operand (("==" | "!=" | "<" | "<=" | ">" | ">=") operand | "not"? "in" list)?
 *   operand    := number | string | "true" | "false" | "null" | field | "(" or ")"
 *   list       := "[" literal ("," literal)* "]"
 * `expected` names what the first token must start, for the error when it cannot.
 */
class RuleParser {
  private index = 0;
  private depth = 0;

  constructor(private readonly tokens: Token[]) {}

  parseRule(): ExpressionNode {
    if (this.peek().type === "end")
      throw new ExpressionSyntaxError("expected a condition at 0, found an empty rule", 0);
    const node = this.parseOr("a condition");
    const rest = this.peek();
    if (rest.type !== "end") {
      const hint = rest.text === ")" ? " (there is no `(` to close)" : "";
      this.fail(
        `expected \`and\`, \`or\` or end of expression at ${rest.position}, found ${describeToken(rest)}${hint}`,
      );
    }
    return node;
  }

  private parseOr(expected: string): ExpressionNode {
    const first = this.parseAnd(expected);
    if (!this.atWord("or")) return first;
    const operands = [first];
    while (this.atWord("or")) {
      this.index++;
      operands.push(this.parseAnd("a condition after `or`"));
    }
    return { kind: "or", operands, position: first.position };
  }

  private parseAnd(expected: string): ExpressionNode {
    const first = this.parseNot(expected);
    if (!this.atWord("and")) return first;
    const operands = [first];
    while (this.atWord("and")) {
      this.index++;
      operands.push(this.parseNot("a condition after `and`"));
    }
    return { kind: "and", operands, position: first.position };
  }

  private parseNot(expected: string): ExpressionNode {
    if (!this.atWord("not")) return this.parseComparison(expected);
    const token = this.next();
    this.enter(token);
    const operand = this.parseNot("a condition after `not`");
    this.depth--;
    return { kind: "not", operand, position: token.position };
  }

  private parseComparison(expected: string): ExpressionNode {
    const left = this.parseOperand(expected);
    const token = this.peek();
    if (token.type === "symbol" && COMPARISONS.has(token.text)) {
      this.index++;
      const right = this.parseOperand(`a value after \`${token.text}\``);
      return { kind: "compare", op: token.text as ComparisonOperator, left, right, position: left.position };
    }
    if (this.atWord("in")) {
      this.index++;
      return { kind: "in", negated: false, operand: left, values: this.parseList("in"), position: left.position };
    }
    if (this.atWord("not")) {
      this.index++;
      if (!this.atWord("in")) {
        this.fail(`expected \`in\` after \`not\` at ${this.peek().position}, found ${describeToken(this.peek())}`);
      }
      this.index++;
      return { kind: "in", negated: true, operand: left, values: this.parseList("not in"), position: left.position };
    }
    return left;
  }

  private parseOperand(expected: string): ExpressionNode {
    const token = this.peek();
    const literal = literalOf(token);
    if (literal !== undefined) {
      this.index++;
      return { kind: "literal", value: literal, position: token.position };
    }
    if (token.type === "word" && !KEYWORDS.has(token.text)) {
      this.index++;
      return { kind: "field", name: token.text, position: token.position };
    }
    if (token.type === "symbol" && token.text === "(") {
      this.index++;
      this.enter(token);
      const inner = this.parseOr("a condition after `(`");
      const close = this.peek();
      if (close.type !== "symbol" || close.text !== ")") {
        this.fail(
          `expected \`)\` at ${close.position} to close the \`(\` at ${token.position}, found ${describeToken(close)}`,
        );
      }
      this.index++;
      this.depth--;
      return inner;
    }
    return this.fail(`expected ${expected} at ${token.position}, found ${describeToken(token)}`);
  }

  private parseList(keyword: string): Value[] {
    const open = this.next();
    if (open.type !== "symbol" || open.text !== "[") {
      this.fail(`expected \`[\` after \`${keyword}\` at ${open.position}, found ${describeToken(open)}`, open.position);
    }
    const values: Value[] = [];
    for (;;) {
      const item = this.next();
      const literal = literalOf(item);
      if (literal === undefined) {
        const what = values.length === 0 ? "`[`" : "`,`";
        this.fail(
          `expected a number, string, true, false or null after ${what} at ${item.position}, found ${describeToken(item)}`,
          item.position,
        );
      }
      values.push(literal);
      const separator = this.next();
      if (separator.type === "symbol" && separator.text === "]") return values;
      if (separator.type !== "symbol" || separator.text !== ",") {
        this.fail(
          `expected \`,\` or \`]\` at ${separator.position}, found ${describeToken(separator)}`,
          separator.position,
        );
      }
    }
  }

  private enter(token: Token): void {
    this.depth++;
    if (this.depth > MAX_DEPTH) {
      this.fail(
        `the rule nests \`(\` and \`not\` more than ${MAX_DEPTH} deep at ${token.position}; simplify it`,
        token.position,
      );
    }
  }

  private peek(): Token {
    return this.tokens[this.index]!;
  }

  private next(): Token {
    const token = this.tokens[this.index]!;
    if (token.type !== "end") this.index++;
    return token;
  }

  private atWord(word: string): boolean {
    const token = this.peek();
    return token.type === "word" && token.text === word;
  }

  private fail(message: string, position = this.peek().position): never {
    throw new ExpressionSyntaxError(message, position);
  }
}

/** The value a literal token stands for, or undefined when the token is not a literal. */
function literalOf(token: Token): Value | undefined {
  if (token.type === "number" || token.type === "string") return token.value;
  if (token.type !== "word") return undefined;
  if (token.text === "true") return true;
  if (token.text === "false") return false;
  if (token.text === "null") return null;
  return undefined;
}
