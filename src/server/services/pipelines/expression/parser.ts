import { ExpressionError, type Token, tokenize } from "./tokenizer.js";

export type BinaryOperator = "+" | "-" | "*" | "/" | "%" | "||" | "=" | "!=" | "<" | "<=" | ">" | ">=" | "and" | "or";

export type Expr =
  | { kind: "number"; text: string; integer: boolean; at: number }
  | { kind: "string"; value: string; at: number }
  | { kind: "boolean"; value: boolean; at: number }
  | { kind: "null"; at: number }
  | { kind: "column"; name: string; at: number }
  | { kind: "unary"; op: "-" | "not"; operand: Expr; at: number }
  | { kind: "binary"; op: BinaryOperator; left: Expr; right: Expr; at: number }
  | { kind: "call"; name: string; args: Expr[]; at: number };

/** Deep enough for any real formula, shallow enough that recursion can never blow the stack. */
const MAX_DEPTH = 64;
/**
 * Operator chains (`a + b + c ...`) are parsed by loops, not recursion, but make a tree as deep
 * as they are long, and the compiler and the database walk that tree recursively: bound it too.
 */
const MAX_TREE_DEPTH = 256;

const COMPARISONS = new Set(["=", "!=", "<>", "<", "<=", ">", ">="]);

/**
 * Recursive descent over this grammar (lowest precedence first):
 *
 *   or       := and ("or" and)*
 *   and      := not ("and" not)*
 *   not      := "not" not | compare
 *   compare  := concat (("=" | "!=" | "<>" | "<" | "<=" | ">" | ">=") concat)?
 *   concat   := additive ("||" additive)*
 *   additive := term (("+" | "-") term)*
 *   term     := unary (("*" | "/" | "%") unary)*
 *   unary    := "-" unary | primary
 *   primary  := number | 'text' | true | false | null | name "(" args ")" | name | "quoted name" | "(" or ")"
 */
export function parseExpression(source: string): Expr {
  const parser = new Parser(tokenize(source));
  const expr = parser.expression();
  parser.expectEnd();
  checkTreeDepth(expr);
  return expr;
}

/** Walks the tree with an explicit stack (never recursion), so any depth is measured safely. */
function checkTreeDepth(root: Expr): void {
  const stack: Array<[Expr, number]> = [[root, 1]];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const [expr, depth] = item;
    if (depth > MAX_TREE_DEPTH) {
      throw new ExpressionError(
        `This expression is nested too deeply (more than ${MAX_TREE_DEPTH} levels); split it over several derive steps.`,
        expr.at,
      );
    }
    if (expr.kind === "unary") stack.push([expr.operand, depth + 1]);
    else if (expr.kind === "binary") stack.push([expr.left, depth + 1], [expr.right, depth + 1]);
    else if (expr.kind === "call") for (const arg of expr.args) stack.push([arg, depth + 1]);
  }
}

class Parser {
  private position = 0;
  private depth = 0;

  constructor(private readonly tokens: Token[]) {}

  expression(): Expr {
    return this.nested(() => this.or());
  }

  expectEnd(): void {
    const token = this.peek();
    if (token.kind !== "end") throw new ExpressionError(`Unexpected ${describeToken(token)}.`, token.at);
  }

  private nested(parse: () => Expr): Expr {
    this.depth++;
    if (this.depth > MAX_DEPTH) throw new ExpressionError("This expression is nested too deeply.", this.peek().at);
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  private or(): Expr {
    let left = this.and();
    while (this.keyword("or")) {
      const at = this.next().at;
      left = { kind: "binary", op: "or", left, right: this.and(), at };
    }
    return left;
  }

  private and(): Expr {
    let left = this.not();
    while (this.keyword("and")) {
      const at = this.next().at;
      left = { kind: "binary", op: "and", left, right: this.not(), at };
    }
    return left;
  }

  private not(): Expr {
    if (this.keyword("not")) {
      const at = this.next().at;
      return { kind: "unary", op: "not", operand: this.nested(() => this.not()), at };
    }
    return this.compare();
  }

  private compare(): Expr {
    const left = this.concat();
    const token = this.peek();
    if (token.kind === "operator" && COMPARISONS.has(token.value)) {
      this.next();
      const op = (token.value === "<>" ? "!=" : token.value) as BinaryOperator;
      const right = this.concat();
      const after = this.peek();
      if (after.kind === "operator" && COMPARISONS.has(after.value)) {
        throw new ExpressionError("Comparisons cannot be chained; combine them with and.", after.at);
      }
      return { kind: "binary", op, left, right, at: token.at };
    }
    return left;
  }

  private concat(): Expr {
    let left = this.additive();
    while (this.operator("||")) {
      const at = this.next().at;
      left = { kind: "binary", op: "||", left, right: this.additive(), at };
    }
    return left;
  }

  private additive(): Expr {
    let left = this.term();
    while (this.operator("+") || this.operator("-")) {
      const token = this.next();
      left = { kind: "binary", op: token.value as BinaryOperator, left, right: this.term(), at: token.at };
    }
    return left;
  }

  private term(): Expr {
    let left = this.unary();
    while (this.operator("*") || this.operator("/") || this.operator("%")) {
      const token = this.next();
      left = { kind: "binary", op: token.value as BinaryOperator, left, right: this.unary(), at: token.at };
    }
    return left;
  }

  private unary(): Expr {
    if (this.operator("-")) {
      const at = this.next().at;
      return { kind: "unary", op: "-", operand: this.nested(() => this.unary()), at };
    }
    if (this.operator("+")) {
      this.next();
      return this.nested(() => this.unary());
    }
    return this.primary();
  }

  private primary(): Expr {
    const token = this.next();
    switch (token.kind) {
      case "number":
        return { kind: "number", text: token.value, integer: /^\d+$/.test(token.value), at: token.at };
      case "string":
        return { kind: "string", value: token.value, at: token.at };
      case "(": {
        const inner = this.expression();
        this.expect(")", "a closing )");
        return inner;
      }
      case "identifier":
        return this.name(token);
      default:
        throw new ExpressionError(
          token.kind === "end" ? "The expression ends too early." : `Unexpected ${describeToken(token)}.`,
          token.at,
        );
    }
  }

  private name(token: Token): Expr {
    if (!token.quoted) {
      const word = token.value.toLowerCase();
      if (word === "true" || word === "false") return { kind: "boolean", value: word === "true", at: token.at };
      if (word === "null") return { kind: "null", at: token.at };
      if (word === "and" || word === "or" || word === "not") {
        throw new ExpressionError(
          `Unexpected ${word}; to use a column of that name, write "${token.value}".`,
          token.at,
        );
      }
      if (this.peek().kind === "(") {
        this.next();
        const args: Expr[] = [];
        if (this.peek().kind !== ")") {
          do {
            args.push(this.expression());
          } while (this.peek().kind === "," && this.next());
        }
        this.expect(")", "a closing ) after the arguments");
        return { kind: "call", name: word, args, at: token.at };
      }
    }
    return { kind: "column", name: token.value, at: token.at };
  }

  private keyword(word: string): boolean {
    const token = this.peek();
    return token.kind === "identifier" && !token.quoted && token.value.toLowerCase() === word;
  }

  private operator(symbol: string): boolean {
    const token = this.peek();
    return token.kind === "operator" && token.value === symbol;
  }

  private expect(kind: Token["kind"], what: string): void {
    const token = this.next();
    if (token.kind !== kind) throw new ExpressionError(`Expected ${what}, found ${describeToken(token)}.`, token.at);
  }

  private peek(): Token {
    return this.tokens[this.position] as Token;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== "end") this.position++;
    return token;
  }
}

function describeToken(token: Token): string {
  switch (token.kind) {
    case "end":
      return "end of expression";
    case "string":
      return `text '${token.value}'`;
    case "identifier":
      return token.quoted ? `"${token.value}"` : token.value;
    default:
      return `"${token.value}"`;
  }
}
