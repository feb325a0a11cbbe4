import { PgDialect } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import { compileExpression } from "../compiler/expression-sql.js";
import type { ScopeColumn } from "../compiler/sql-values.js";
import { parseExpression } from "./parser.js";
import { ExpressionError, tokenize } from "./tokenizer.js";

const columns: ScopeColumn[] = [
  { name: "amount", type: "number", ident: "amount" },
  { name: "qty", type: "integer", ident: "qty" },
  { name: "region", type: "text", ident: "region" },
  { name: "Order Date", type: "date", ident: "order_date" },
  { name: "paid", type: "boolean", ident: "paid" },
];
const dialect = new PgDialect();
const compile = (source: string) => {
  const { sql, type } = compileExpression(source, columns);
  return { ...dialect.sqlToQuery(sql), type };
};
const errorOf = (source: string) => {
  try {
    compile(source);
  } catch (error) {
    if (error instanceof ExpressionError) return { message: error.message, at: error.at };
    throw error;
  }
  throw new Error(`expected ${source} to be refused`);
};

describe("expression parser", () => {
  it("respects precedence and associativity", () => {
    expect(parseExpression("1 + 2 * 3")).toMatchObject({
      kind: "binary",
      op: "+",
      right: { kind: "binary", op: "*" },
    });
    expect(parseExpression("10 - 4 - 3")).toMatchObject({ op: "-", left: { kind: "binary", op: "-" } });
    expect(parseExpression("not a = 1 and b or c")).toMatchObject({
      op: "or",
      left: { op: "and", left: { kind: "unary", op: "not" } },
    });
    expect(parseExpression("-(1 + 2)")).toMatchObject({ kind: "unary", op: "-", operand: { op: "+" } });
  });

  it("reads literals, quoted names and function calls", () => {
    expect(parseExpression("'it''s'")).toEqual({ kind: "string", value: "it's", at: 0 });
    expect(parseExpression('"Order Date"')).toEqual({ kind: "column", name: "Order Date", at: 0 });
    expect(parseExpression("1.5e3")).toMatchObject({ kind: "number", text: "1.5e3", integer: false });
    expect(parseExpression("ROUND(amount, 2)")).toMatchObject({ kind: "call", name: "round", args: [{}, {}] });
    expect(parseExpression("TRUE")).toMatchObject({ kind: "boolean", value: true });
    expect(parseExpression("x <> 1")).toMatchObject({ op: "!=" });
  });

  it("refuses what is not an expression, saying where", () => {
    expect(() => tokenize("amount ; drop")).toThrow(/Unexpected character ";"/);
    expect(() => parseExpression("1 +")).toThrow("The expression ends too early.");
    expect(() => parseExpression("(1 + 2")).toThrow(/closing \)/);
    expect(() => parseExpression("'open")).toThrow(/never closed/);
    expect(() => parseExpression("1 2")).toThrow('Unexpected "2".');
    expect(() => parseExpression("a < b < c")).toThrow(/cannot be chained/);
    expect(() => parseExpression("12abc")).toThrow(/cannot run into a name/);
    expect(() => parseExpression(`${"(".repeat(100)}1${")".repeat(100)}`)).toThrow(/nested too deeply/);
    expect(() => parseExpression("x".repeat(3000))).toThrow(/limited to 2000/);
    expect(errorOf("amount + * 2").at).toBe(9);
  });

  it("bounds the depth of the tree, operator chains included, with an error rather than a stack overflow", () => {
    // Each shape at the 2000-character limit: nesting, unary chains, operator chains, calls.
    for (const deep of [
      `${"(".repeat(999)}1${")".repeat(999)}`,
      `${"-".repeat(1999)}1`,
      `1${"+1".repeat(999)}`,
      `a${" || a".repeat(399)}`,
      `${"abs(".repeat(399)}1${")".repeat(399)}`,
    ]) {
      expect(deep.length).toBeLessThanOrEqual(2000);
      expect(() => parseExpression(deep)).toThrow(ExpressionError);
      expect(() => parseExpression(deep)).toThrow(/nested too deeply/);
    }
    // A long but reasonable formula still parses.
    expect(parseExpression(`1${" + 1".repeat(200)}`)).toMatchObject({ kind: "binary", op: "+" });
  });
});

describe("expression compiler", () => {
  it("compiles to SQL with every literal bound as a parameter", () => {
    expect(compile("round(amount * 1.2, 2)")).toMatchObject({
      sql: '(round((("amount" * $1::double precision))::numeric, ($2::bigint)::int)::double precision)',
      params: ["1.2", "2"],
      type: "number",
    });
    const concat = compile("upper(region) || '-' || \"Order Date\"");
    expect(concat.type).toBe("text");
    expect(concat.params).toEqual(["-"]);
    expect(concat.sql).toContain(`to_char("order_date", 'YYYY-MM-DD')`);
  });

  it("types results: integer arithmetic stays integer, division is exact, comparisons are true/false", () => {
    expect(compile("qty * 2 + 1").type).toBe("integer");
    expect(compile("qty / 2").type).toBe("number");
    expect(compile("qty + amount").type).toBe("number");
    expect(compile("amount >= 10 and not paid").type).toBe("boolean");
    expect(compile('year("Order Date")').type).toBe("integer");
    expect(compile("coalesce(amount, 0)").type).toBe("number");
    expect(compile("if(paid, qty, null)").type).toBe("integer");
    expect(compile('"Order Date" + 7').type).toBe("date");
    expect(compile("length(region)").type).toBe("integer");
  });

  it("reads a text literal next to a date as a date, and refuses one that is not", () => {
    const ok = compile("\"Order Date\" >= '2024-01-01'");
    expect(ok.params).toEqual(["2024-01-01"]);
    expect(ok.sql).toContain("$1::date");
    expect(errorOf("\"Order Date\" >= '2024-02-30'").message).toMatch(/not a date/);
  });

  it("refuses type mismatches and unknown names, pointing at them", () => {
    expect(errorOf("region * 2").message).toMatch(/Type mismatch: \* needs numbers, not text and integer/);
    expect(errorOf("paid + 1").message).toMatch(/Type mismatch/);
    expect(errorOf("upper(qty)").message).toMatch(/upper\(\) takes text, not integer/);
    expect(errorOf("amount > 'abc'").message).toMatch(/"abc" is not a number/);
    expect(errorOf("nope + 1")).toEqual({ message: 'There is no column "nope".', at: 0 });
    expect(errorOf('qty + "no such"').message).toMatch(/no column "no such"/);
    expect(errorOf("sleep(10)").message).toMatch(/Unknown function sleep\(\)/);
    // Names every JavaScript object has are not functions of the language either (names are case-folded).
    for (const name of ["constructor", "__proto__", "toString", "valueOf", "hasOwnProperty"]) {
      expect(errorOf(`${name}(qty)`)).toEqual({
        message: expect.stringMatching(
          new RegExp(`^Unknown function ${name.toLowerCase()}\\(\\)\\. Available: upper, `),
        ),
        at: 0,
      });
    }
    expect(errorOf("substr(region)").message).toMatch(/takes 2 to 3 arguments/);
    expect(errorOf("paid > true").message).toMatch(/only be compared with = or !=/);
  });

  it("keeps injection attempts as data: text stays a parameter, names must be real columns", () => {
    const attack = compile("'x''; drop table users; --'");
    expect(attack.sql).toBe("$1::text");
    expect(attack.params).toEqual(["x'; drop table users; --"]);
    // A quoted "column" is only ever looked up among the data set's columns, never pasted into SQL.
    expect(errorOf('"region""; drop table users; --"').message).toMatch(/no column/);
    expect(() => compile("pg_sleep(10)")).toThrow(/Unknown function/);
    // "--" is minus minus, not a comment: the rest is still parsed, and "comment" is no column.
    expect(() => compile("amount -- comment")).toThrow(/no column "comment"/);
    expect(() => compile("amount; select 1")).toThrow(/Unexpected character/);
  });

  it("matches bare names regardless of case when that is unambiguous", () => {
    expect(compile("AMOUNT * 2").sql).toBe('("amount" * ($1::bigint)::double precision)');
  });
});
