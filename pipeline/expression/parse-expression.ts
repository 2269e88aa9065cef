/** A literal value of the rule language. */
export type Literal = string | number | boolean | null;

/** The syntax tree of a rule. */
export type ExpressionNode =
  | { kind: "literal"; value: Literal }
  | { kind: "field"; name: string; position: number }
  | { kind: "not"; operand: ExpressionNode }
  | { kind: "logical"; op: "and" | "or"; left: ExpressionNode; right: ExpressionNode }
  | { kind: "compare"; op: "==" | "!=" | "<" | "<=" | ">" | ">="; left: ExpressionNode; right: ExpressionNode }
  | { kind: "in"; negated: boolean; operand: ExpressionNode; values: Literal[] };

/** Where and why a rule could not be read. */
export interface ExpressionError {
  message: string;
  /** 0-based character offset into the rule. */
  position: number;
}

type Token =
  | { type: "number"; value: number; pos: number; text: string }
  | { type: "string"; value: string; pos: number; text: string }
  | { type: "word"; value: string; pos: number; text: string }
  | { type: "op"; value: string; pos: number; text: string }
  | { type: "end"; value: ""; pos: number; text: string };

class SyntaxFailure extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
  }
}

function tokenize(source: string): Token[] {
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
      let value = "";
      i++;
      for (;;) {
        if (i >= source.length)
          throw new SyntaxFailure(`the string that starts at ${start} is never closed with ${c}`, start);
        const ch = source[i]!;
        if (ch === "\\" && i + 1 < source.length) {
          value += source[i + 1];
          i += 2;
        } else if (ch === c) {
          i++;
          break;
        } else {
          value += ch;
          i++;
        }
      }
      tokens.push({ type: "string", value, pos: start, text: source.slice(start, i) });
      continue;
    }
    const num = /^-?(\d+\.?\d*|\.\d+)/.exec(source.slice(i));
    if (num && (c !== "-" || !isValueEnd(tokens[tokens.length - 1]))) {
      i += num[0].length;
      tokens.push({ type: "number", value: Number(num[0]), pos: start, text: num[0] });
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i));
    if (word) {
      i += word[0].length;
      tokens.push({ type: "word", value: word[0], pos: start, text: word[0] });
      continue;
    }
    const op = /^(==|!=|<=|>=|<|>|\(|\)|\[|\]|,)/.exec(source.slice(i));
    if (op) {
      i += op[0].length;
      tokens.push({ type: "op", value: op[0], pos: start, text: op[0] });
      continue;
    }
    throw new SyntaxFailure(
      `unexpected character \`${c}\` at ${start}${c === "=" ? " (compare with ==)" : c === "&" || c === "|" ? " (combine with and, or)" : ""}`,
      start,
    );
  }
  tokens.push({ type: "end", value: "", pos: source.length, text: "end of expression" });
  return tokens;
}

function isValueEnd(t: Token | undefined): boolean {
  return (
    t !== undefined &&
    (t.type === "number" ||
      t.type === "string" ||
      (t.type === "word" && !["and", "or", "not", "in"].includes(t.value)) ||
      (t.type === "op" && (t.value === ")" || t.value === "]")))
  );
}

const describe = (t: Token) => (t.type === "end" ? "end of expression" : `\`${t.text}\``);

/** Parses a rule such as `grade == 3 and subject in ['ela', 'math']` into a syntax tree. */
export function parseExpression(
  source: string,
): { ok: true; node: ExpressionNode } | { ok: false; error: ExpressionError } {
  try {
    const tokens = tokenize(source);
    let p = 0;
    const peek = () => tokens[p]!;
    const next = () => tokens[p++]!;
    const isWord = (w: string) => peek().type === "word" && peek().value === w;
    const isOp = (o: string) => peek().type === "op" && peek().value === o;

    const parseOr = (): ExpressionNode => {
      let left = parseAnd();
      while (isWord("or")) {
        next();
        left = { kind: "logical", op: "or", left, right: parseAnd() };
      }
      return left;
    };
    const parseAnd = (): ExpressionNode => {
      let left = parseNot();
      while (isWord("and")) {
        next();
        left = { kind: "logical", op: "and", left, right: parseNot() };
      }
      return left;
    };
    const parseNot = (): ExpressionNode => {
      if (isWord("not")) {
        next();
        return { kind: "not", operand: parseNot() };
      }
      return parseComparison();
    };
    const parseComparison = (): ExpressionNode => {
      const left = parsePrimary();
      const t = peek();
      if (t.type === "op" && ["==", "!=", "<", "<=", ">", ">="].includes(t.value)) {
        next();
        const right = parsePrimary(`after \`${t.value}\``);
        return { kind: "compare", op: t.value as "==", left, right };
      }
      const negated = isWord("not") && tokens[p + 1]?.type === "word" && tokens[p + 1]?.value === "in";
      if (isWord("in") || negated) {
        if (negated) next();
        next();
        if (!isOp("["))
          throw new SyntaxFailure(
            `expected \`[\` after \`in\` at ${peek().pos}, found ${describe(peek())}`,
            peek().pos,
          );
        next();
        const values: Literal[] = [];
        while (!isOp("]")) {
          const lit = parsePrimary("in the list");
          if (lit.kind !== "literal")
            throw new SyntaxFailure(
              `a list after \`in\` holds only values, not fields, at ${tokens[p - 1]!.pos}`,
              tokens[p - 1]!.pos,
            );
          values.push(lit.value);
          if (isOp(",")) next();
          else if (!isOp("]"))
            throw new SyntaxFailure(`expected \`,\` or \`]\` at ${peek().pos}, found ${describe(peek())}`, peek().pos);
        }
        next();
        return { kind: "in", negated, operand: left, values };
      }
      return left;
    };
    const parsePrimary = (context = ""): ExpressionNode => {
      const t = next();
      if (t.type === "number" || t.type === "string") return { kind: "literal", value: t.value };
      if (t.type === "word") {
        if (t.value === "true" || t.value === "false") return { kind: "literal", value: t.value === "true" };
        if (t.value === "null") return { kind: "literal", value: null };
        if (["and", "or", "not", "in"].includes(t.value))
          throw new SyntaxFailure(
            `expected a value${context ? ` ${context}` : ""} at ${t.pos}, found \`${t.value}\``,
            t.pos,
          );
        return { kind: "field", name: t.value, position: t.pos };
      }
      if (t.type === "op" && t.value === "(") {
        const inner = parseOr();
        if (!isOp(")"))
          throw new SyntaxFailure(`expected \`)\` at ${peek().pos}, found ${describe(peek())}`, peek().pos);
        next();
        return inner;
      }
      throw new SyntaxFailure(
        `expected a value${context ? ` ${context}` : ""} at ${t.pos}, found ${describe(t)}`,
        t.pos,
      );
    };

    if (peek().type === "end") throw new SyntaxFailure("the rule is empty", 0);
    const node = parseOr();
    if (peek().type !== "end")
      throw new SyntaxFailure(
        `unexpected ${describe(peek())} at ${peek().pos}; combine conditions with and, or`,
        peek().pos,
      );
    return { ok: true, node };
  } catch (e) {
    if (e instanceof SyntaxFailure) return { ok: false, error: { message: e.message, position: e.position } };
    return { ok: false, error: { message: e instanceof Error ? e.message : String(e), position: 0 } };
  }
}
