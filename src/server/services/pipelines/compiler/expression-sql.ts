import { type SQL, sql } from "drizzle-orm";
import type { ColumnType } from "../../../../shared/schemas/pipelines.js";
import { type BinaryOperator, type Expr, parseExpression } from "../expression/parser.js";
import { ExpressionError } from "../expression/tokenizer.js";
import { coerceValue, isInteger } from "../values.js";
import {
  commonType,
  type ExprType,
  ident,
  nullOf,
  param,
  type ScopeColumn,
  type TypedSql,
  textOf,
  widen,
} from "./sql-values.js";

/**
 * Type-checks an expression against the columns in scope and compiles it to SQL. Column
 * references become quoted identifiers the compiler chose; every literal becomes a bound
 * parameter. The result is a SQL fragment plus its type, or an ExpressionError saying where.
 */
export function compileExpression(source: string, columns: readonly ScopeColumn[]): TypedSql {
  const ast = parseExpression(source);
  return new ExpressionCompiler(columns).compile(ast);
}

const numeric = (t: ExprType) => t === "integer" || t === "number" || t === "null";
const ARITHMETIC = new Set<BinaryOperator>(["+", "-", "*"]);
const COMPARISON = new Set<BinaryOperator>(["=", "!=", "<", "<=", ">", ">="]);

interface FunctionSpec {
  /** Inclusive bounds on the argument count. */
  arity: [number, number];
  compile(args: TypedSql[], at: number): TypedSql;
}

class ExpressionCompiler {
  constructor(private readonly columns: readonly ScopeColumn[]) {}

  compile(expr: Expr): TypedSql {
    switch (expr.kind) {
      case "number":
        if (expr.integer && isInteger(expr.text)) return { sql: param("integer", expr.text), type: "integer" };
        return { sql: param("number", expr.text), type: "number" };
      case "string":
        return { sql: param("text", expr.value), type: "text" };
      case "boolean":
        return { sql: param("boolean", String(expr.value)), type: "boolean" };
      case "null":
        return { sql: sql`null`, type: "null" };
      case "column":
        return this.column(expr.name, expr.at);
      case "unary":
        return this.unary(expr);
      case "binary":
        return this.binary(expr);
      case "call":
        return this.call(expr);
    }
  }

  private column(name: string, at: number): TypedSql {
    const exact = this.columns.find((c) => c.name === name);
    // Bare words are forgiving about case ("Amount" finds amount) when that is unambiguous.
    const folded = this.columns.filter((c) => c.name.toLowerCase() === name.toLowerCase());
    const column = exact ?? (folded.length === 1 ? folded[0] : undefined);
    if (!column) {
      const hint = /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? "" : ` (quote names with spaces: "${name}")`;
      throw new ExpressionError(`There is no column "${name}"${hint}.`, at);
    }
    return { sql: ident(column.ident), type: column.type };
  }

  private unary(expr: Extract<Expr, { kind: "unary" }>): TypedSql {
    const operand = this.compile(expr.operand);
    if (expr.op === "-") {
      if (!numeric(operand.type)) throw mismatch(`cannot negate ${operand.type}`, expr.at);
      return { sql: sql`(-${operand.sql})`, type: operand.type };
    }
    if (operand.type !== "boolean" && operand.type !== "null")
      throw mismatch(`not needs true/false, not ${operand.type}`, expr.at);
    return { sql: sql`(not ${operand.sql})`, type: "boolean" };
  }

  private binary(expr: Extract<Expr, { kind: "binary" }>): TypedSql {
    const { op, at } = expr;
    if (COMPARISON.has(op)) return this.comparison(expr);
    const left = this.compile(expr.left);
    const right = this.compile(expr.right);
    if (op === "and" || op === "or") {
      for (const side of [left, right]) {
        if (side.type !== "boolean" && side.type !== "null")
          throw mismatch(`${op} needs true/false, not ${side.type}`, at);
      }
      return { sql: sql`(${left.sql} ${sql.raw(op)} ${right.sql})`, type: "boolean" };
    }
    if (op === "||") return { sql: sql`(${textOf(left)} || ${textOf(right)})`, type: "text" };
    if (op === "-" && left.type === "date" && right.type === "date") {
      return { sql: sql`((${left.sql} - ${right.sql})::bigint)`, type: "integer" };
    }
    if ((op === "+" || op === "-") && left.type === "date" && (right.type === "integer" || right.type === "null")) {
      return { sql: sql`(${left.sql} ${sql.raw(op)} (${widen(right, "integer")})::int)`, type: "date" };
    }
    if (!numeric(left.type) || !numeric(right.type)) {
      throw mismatch(`${op} needs numbers, not ${left.type} and ${right.type}`, at);
    }
    const both = commonType([left.type, right.type]) as "integer" | "number" | "null";
    const type: ColumnType = both === "null" ? "integer" : both;
    if (ARITHMETIC.has(op)) {
      return { sql: sql`(${widen(left, type)} ${sql.raw(op)} ${widen(right, type)})`, type };
    }
    if (op === "/") {
      // Division is always exact (never integer division) and by zero gives null, not a failed run.
      return {
        sql: sql`(${widen(left, "number")} / nullif(${widen(right, "number")}, 0))`,
        type: "number",
      };
    }
    if (type !== "integer") throw mismatch("% needs whole numbers", at);
    return { sql: sql`(${widen(left, "integer")} % nullif(${widen(right, "integer")}, 0))`, type: "integer" };
  }

  private comparison(expr: Extract<Expr, { kind: "binary" }>): TypedSql {
    let left = this.compile(expr.left);
    let right = this.compile(expr.right);
    // A text literal next to a typed value is read as that type: order_date >= '2024-01-01'.
    right = this.literalAs(expr.right, right, left.type);
    left = this.literalAs(expr.left, left, right.type);
    const type = commonType([left.type, right.type]);
    if (type === undefined) throw mismatch(`cannot compare ${left.type} with ${right.type}`, expr.at);
    const op = expr.op;
    if (type === "boolean" && op !== "=" && op !== "!=")
      throw mismatch(`true/false values can only be compared with = or !=`, expr.at);
    const l = type === "null" ? left.sql : widen(left, type);
    const r = type === "null" ? right.sql : widen(right, type);
    const sqlOp = op === "!=" ? "<>" : op;
    return { sql: sql`(${l} ${sql.raw(sqlOp)} ${r})`, type: "boolean" };
  }

  private literalAs(node: Expr, value: TypedSql, type: ExprType): TypedSql {
    if (node.kind !== "string" || type === "text" || type === "null") return value;
    const coerced = coerceValue(type, node.value);
    if (!coerced.ok) throw new ExpressionError(coerced.message, node.at);
    return { sql: param(type, coerced.text), type };
  }

  private call(expr: Extract<Expr, { kind: "call" }>): TypedSql {
    const spec = FUNCTIONS.get(expr.name);
    if (!spec) {
      throw new ExpressionError(
        `Unknown function ${expr.name}(). Available: ${[...FUNCTIONS.keys()].join(", ")}.`,
        expr.at,
      );
    }
    const [min, max] = spec.arity;
    if (expr.args.length < min || expr.args.length > max) {
      const expected =
        min === max ? `${min}` : max === Number.POSITIVE_INFINITY ? `at least ${min}` : `${min} to ${max}`;
      throw new ExpressionError(`${expr.name}() takes ${expected} argument${max === 1 ? "" : "s"}.`, expr.at);
    }
    return spec.compile(
      expr.args.map((arg) => this.compile(arg)),
      expr.at,
    );
  }
}

function mismatch(message: string, at: number): ExpressionError {
  return new ExpressionError(`Type mismatch: ${message}.`, at);
}

function expectType(name: string, arg: TypedSql | undefined, allowed: readonly ColumnType[], at: number): TypedSql {
  if (!arg) throw new ExpressionError(`${name}() is missing an argument.`, at);
  if (arg.type !== "null" && !allowed.includes(arg.type)) {
    throw mismatch(`${name}() takes ${allowed.join(" or ")}, not ${arg.type}`, at);
  }
  return arg;
}

const textFn =
  (name: string) =>
  (args: TypedSql[], at: number): TypedSql => {
    const value = expectType(name, args[0], ["text"], at);
    return { sql: sql`${sql.raw(name)}(${widen(value, "text")})`, type: "text" };
  };

const datePart =
  (field: "year" | "month" | "day") =>
  (args: TypedSql[], at: number): TypedSql => {
    const value = expectType(field, args[0], ["date", "timestamp"], at);
    const source = value.type === "timestamp" ? sql`(${value.sql}) at time zone 'UTC'` : widen(value, "date");
    return { sql: sql`(extract(${sql.raw(field)} from ${source})::bigint)`, type: "integer" };
  };

const sameNumeric =
  (name: "abs" | "floor" | "ceil") =>
  (args: TypedSql[], at: number): TypedSql => {
    const value = expectType(name, args[0], ["integer", "number"], at);
    if (value.type !== "number" && name !== "abs") return { sql: widen(value, "integer"), type: "integer" };
    const type: ColumnType = value.type === "number" ? "number" : "integer";
    return { sql: sql`${sql.raw(name)}(${widen(value, type)})`, type };
  };

/**
 * Looked up by the name the user typed: a Map, so `constructor(1)` or `__proto__(x)` is an
 * unknown function rather than something every object inherits.
 */
const FUNCTIONS = new Map<string, FunctionSpec>(
  Object.entries({
    upper: { arity: [1, 1], compile: textFn("upper") },
    lower: { arity: [1, 1], compile: textFn("lower") },
    trim: { arity: [1, 1], compile: textFn("trim") },
    length: {
      arity: [1, 1],
      compile: (args, at) => {
        const value = expectType("length", args[0], ["text"], at);
        return { sql: sql`(length(${widen(value, "text")})::bigint)`, type: "integer" };
      },
    },
    substr: {
      arity: [2, 3],
      compile: (args, at) => {
        const value = expectType("substr", args[0], ["text"], at);
        const start = expectType("substr", args[1], ["integer"], at);
        const length = args[2] ? expectType("substr", args[2], ["integer"], at) : undefined;
        const len = length ? sql`, (${widen(length, "integer")})::int` : sql``;
        return { sql: sql`substr(${widen(value, "text")}, (${widen(start, "integer")})::int${len})`, type: "text" };
      },
    },
    replace: {
      arity: [3, 3],
      compile: (args, at) => {
        const [value, from, to] = [0, 1, 2].map((i) => widen(expectType("replace", args[i], ["text"], at), "text"));
        return { sql: sql`replace(${value}, ${from}, ${to})`, type: "text" };
      },
    },
    concat: {
      arity: [1, Number.POSITIVE_INFINITY],
      // Unlike ||, concat() skips nulls.
      compile: (args) => ({ sql: sql`concat(${sql.join(args.map(textOf), sql`, `)})`, type: "text" }),
    },
    text: { arity: [1, 1], compile: (args) => ({ sql: textOf(args[0] as TypedSql), type: "text" }) },
    round: {
      arity: [1, 2],
      compile: (args, at) => {
        const value = expectType("round", args[0], ["integer", "number"], at);
        const digits = args[1] ? widen(expectType("round", args[1], ["integer"], at), "integer") : sql`0`;
        if (value.type === "integer") return { sql: widen(value, "integer"), type: "integer" };
        // Through numeric: halves round away from zero on every server (float8 rounds half to even).
        return {
          sql: sql`(round((${widen(value, "number")})::numeric, (${digits})::int)::double precision)`,
          type: "number",
        };
      },
    },
    abs: { arity: [1, 1], compile: sameNumeric("abs") },
    floor: { arity: [1, 1], compile: sameNumeric("floor") },
    ceil: { arity: [1, 1], compile: sameNumeric("ceil") },
    coalesce: {
      arity: [1, Number.POSITIVE_INFINITY],
      compile: (args, at) => {
        const type = commonType(args.map((a) => a.type));
        if (type === undefined) throw mismatch("coalesce() needs values of one type", at);
        if (type === "null") return { sql: sql`null`, type: "null" };
        return {
          sql: sql`coalesce(${sql.join(
            args.map((a) => widen(a, type)),
            sql`, `,
          )})`,
          type,
        };
      },
    },
    if: {
      arity: [3, 3],
      compile: (args, at) => {
        const [condition, then, otherwise] = args as [TypedSql, TypedSql, TypedSql];
        expectType("if", condition, ["boolean"], at);
        const type = commonType([then.type, otherwise.type]);
        if (type === undefined)
          throw mismatch(`if() needs both results of one type, not ${then.type} and ${otherwise.type}`, at);
        if (type === "null") return { sql: sql`null`, type: "null" };
        return {
          sql: sql`(case when ${condition.sql} then ${widen(then, type)} else ${widen(otherwise, type)} end)`,
          type,
        };
      },
    },
    is_null: {
      arity: [1, 1],
      compile: (args) => ({ sql: sql`((${(args[0] as TypedSql).sql}) is null)`, type: "boolean" }),
    },
    year: { arity: [1, 1], compile: datePart("year") },
    month: { arity: [1, 1], compile: datePart("month") },
    day: { arity: [1, 1], compile: datePart("day") },
  } satisfies Record<string, FunctionSpec>),
);

/** The SQL of a compiled expression with its type made definite (a bare null becomes a typed null). */
export function definite(value: TypedSql): { sql: SQL; type: ColumnType } {
  if (value.type === "null") return { sql: nullOf("text"), type: "text" };
  return { sql: value.sql, type: value.type };
}
