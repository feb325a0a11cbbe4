/**
 * Tokens of the derive-step expression language. The language is SQL-like so it reads
 * familiar: 'single quotes' for text, "double quotes" for column names with spaces or
 * punctuation, bare words for the rest. Nothing here is ever evaluated or pasted into SQL:
 * the parser builds an AST, and the compiler emits fixed SQL with literals as bound parameters.
 */

export type TokenKind = "number" | "string" | "identifier" | "operator" | "(" | ")" | "," | "end";

export interface Token {
  kind: TokenKind;
  /** Identifiers: the name (unquoted); strings: the text (unescaped); operators: the symbol. */
  value: string;
  /** 0-based offset in the source, for error messages. */
  at: number;
  /** True for "double-quoted" identifiers: never a keyword. */
  quoted?: boolean;
}

export class ExpressionError extends Error {
  override name = "ExpressionError";
  constructor(
    message: string,
    /** 0-based offset of the problem in the expression. */
    readonly at: number,
  ) {
    super(message);
  }
}

const MAX_EXPRESSION_LENGTH = 2000;

const OPERATORS = ["<=", ">=", "<>", "!=", "||", "+", "-", "*", "/", "%", "=", "<", ">"] as const;
const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_]/;
const DIGIT = /[0-9]/;

export function tokenize(source: string): Token[] {
  if (source.length > MAX_EXPRESSION_LENGTH) {
    throw new ExpressionError(`Expressions are limited to ${MAX_EXPRESSION_LENGTH} characters.`, MAX_EXPRESSION_LENGTH);
  }
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (c === "(" || c === ")" || c === ",") {
      tokens.push({ kind: c, value: c, at: start });
      i++;
      continue;
    }
    if (DIGIT.test(c) || (c === "." && DIGIT.test(source[i + 1] ?? ""))) {
      i = readNumber(source, i);
      tokens.push({ kind: "number", value: source.slice(start, i), at: start });
      continue;
    }
    if (c === "'") {
      const { value, end } = readQuoted(source, i, "'", "text");
      tokens.push({ kind: "string", value, at: start });
      i = end;
      continue;
    }
    if (c === '"') {
      const { value, end } = readQuoted(source, i, '"', "column name");
      if (value.length === 0) throw new ExpressionError("A quoted column name cannot be empty.", start);
      tokens.push({ kind: "identifier", value, at: start, quoted: true });
      i = end;
      continue;
    }
    if (IDENT_START.test(c)) {
      while (i < source.length && IDENT_PART.test(source[i] as string)) i++;
      tokens.push({ kind: "identifier", value: source.slice(start, i), at: start });
      continue;
    }
    const operator = OPERATORS.find((op) => source.startsWith(op, i));
    if (operator) {
      tokens.push({ kind: "operator", value: operator, at: start });
      i += operator.length;
      continue;
    }
    throw new ExpressionError(`Unexpected character ${JSON.stringify(c)}.`, start);
  }
  tokens.push({ kind: "end", value: "", at: source.length });
  return tokens;
}

function readNumber(source: string, from: number): number {
  let i = from;
  while (DIGIT.test(source[i] ?? "")) i++;
  if (source[i] === "." && DIGIT.test(source[i + 1] ?? "")) {
    i++;
    while (DIGIT.test(source[i] ?? "")) i++;
  } else if (source[i] === "." && !IDENT_START.test(source[i + 1] ?? "")) {
    i++; // "5." is a number
  }
  if (/[eE]/.test(source[i] ?? "")) {
    let j = i + 1;
    if (source[j] === "+" || source[j] === "-") j++;
    if (DIGIT.test(source[j] ?? "")) {
      i = j;
      while (DIGIT.test(source[i] ?? "")) i++;
    }
  }
  if (IDENT_START.test(source[i] ?? "")) {
    throw new ExpressionError(`A number cannot run into a name: ${source.slice(from, i + 1)}…`, from);
  }
  return i;
}

/** A doubled quote inside stands for the quote itself, as in SQL. */
function readQuoted(source: string, from: number, quote: string, what: string): { value: string; end: number } {
  let value = "";
  let i = from + 1;
  for (;;) {
    const next = source.indexOf(quote, i);
    if (next < 0) throw new ExpressionError(`This ${what} is never closed: add the missing ${quote}.`, from);
    value += source.slice(i, next);
    if (source[next + 1] === quote) {
      value += quote;
      i = next + 2;
      continue;
    }
    return { value, end: next + 1 };
  }
}
