import { type SQL, sql } from "drizzle-orm";
import type { ColumnType } from "../../../../shared/schemas/pipelines.js";
import { sqlTypeOf } from "../../../db/schema/pipelines.js";

/** A column as a step sees it: the user's name, its type, and the SQL identifier it has at that point. */
export interface ScopeColumn {
  name: string;
  type: ColumnType;
  ident: string;
}

/** `null` is the type of the null literal: it fits anywhere. */
export type ExprType = ColumnType | "null";

export interface TypedSql {
  sql: SQL;
  type: ExprType;
}

/** The row-order column every stored data set has; never shown as a column. */
export const ROW_IDENT = "__row";

export const ident = (name: string): SQL => sql`${sql.identifier(name)}`;

/** A value always travels as a bound parameter, cast so both drivers agree on its type. */
export function param(type: ColumnType, text: string): SQL {
  // postgres.js serializes a boolean parameter as `x === true ? 't' : 'f'`: send a real boolean.
  const value = type === "boolean" ? text === "true" : text;
  return sql`${value}::${sql.raw(sqlTypeOf[type])}`;
}

export function nullOf(type: ColumnType): SQL {
  return sql`null::${sql.raw(sqlTypeOf[type])}`;
}

const UTC_ISO = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

/**
 * Text of a value, the same on every server whatever its DateStyle or TimeZone: dates as
 * YYYY-MM-DD, timestamps as UTC ISO 8601 with milliseconds, booleans as true/false.
 */
export function textOf(value: TypedSql): SQL {
  switch (value.type) {
    case "text":
      return value.sql;
    case "integer":
    case "number":
      return sql`(${value.sql})::text`;
    case "boolean":
      return sql`(case ${value.sql} when true then 'true' when false then 'false' end)`;
    case "date":
      return sql`to_char(${value.sql}, 'YYYY-MM-DD')`;
    case "timestamp":
      return sql`to_char((${value.sql}) at time zone 'UTC', ${sql.raw(UTC_ISO)})`;
    case "null":
      return sql`null::text`;
  }
}

/** Brings a value to `type`: only widenings that cannot fail (integer -> number, date -> timestamp, null -> any). */
export function widen(value: TypedSql, type: ColumnType): SQL {
  if (value.type === type) return value.sql;
  if (value.type === "null") return nullOf(type);
  if (value.type === "integer" && type === "number") return sql`(${value.sql})::double precision`;
  if (value.type === "date" && type === "timestamp") return sql`((${value.sql})::timestamp at time zone 'UTC')`;
  throw new Error(`cannot widen ${value.type} to ${type}`);
}

/** The one type several values can share without a failing cast, or undefined. */
export function commonType(types: readonly ExprType[]): ColumnType | "null" | undefined {
  const real = [...new Set(types.filter((t): t is ColumnType => t !== "null"))];
  if (real.length === 0) return "null";
  if (real.length === 1) return real[0];
  if (real.every((t) => t === "integer" || t === "number")) return "number";
  if (real.every((t) => t === "date" || t === "timestamp")) return "timestamp";
  return undefined;
}

/** The comparisons filters offer, as SQL operators. */
const COMPARISON_SQL = { eq: "=", neq: "<>", gt: ">", gte: ">=", lt: "<", lte: "<=" } as const;
export type Comparison = keyof typeof COMPARISON_SQL | "contains";

/**
 * `column <op> value`, for filter steps and the data table's filters alike. `contains` is a
 * case-insensitive substring match with strpos, not LIKE, so `%` and `_` in the value are
 * plain characters. `value` is a bound parameter (see `param`).
 */
export function compareSql(column: SQL, op: Comparison, value: SQL): SQL {
  if (op === "contains") return sql`strpos(lower(${column}), lower(${value})) > 0`;
  return sql`${column} ${sql.raw(COMPARISON_SQL[op])} ${value}`;
}

/**
 * How a stored column is sent to clients: integers as text (JavaScript numbers stop being exact
 * at 2^53; the service turns safe ones back into numbers), dates and timestamps as ISO text.
 */
export function outputOf(column: { type: ColumnType; ident: string }): SQL {
  const value = { sql: ident(column.ident), type: column.type };
  return column.type === "integer" || column.type === "date" || column.type === "timestamp" ? textOf(value) : value.sql;
}
