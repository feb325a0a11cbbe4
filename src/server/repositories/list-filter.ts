import { eq, gt, gte, ilike, lt, lte, ne, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import type { FilterOperator, FilterValue } from "../../shared/schemas/list.js";
import { DomainError } from "../core/errors.js";

/**
 * Turns one list filter into SQL, after checking the value against the column's type: a
 * date filter gets a Date, an enum only its values, a uuid a uuid. A value that cannot be
 * compared is the caller's mistake (BAD_REQUEST naming the filter), never a database error.
 */
export function filterCondition(column: PgColumn, op: FilterOperator, value: FilterValue, index: number): SQL {
  const field = `filter.${index}.value`;
  const refuse = (message: string, where = field) =>
    new DomainError("BAD_REQUEST", message, { fieldErrors: { [where]: [message] } });
  const kind = kindOf(column);
  if (op === "contains" && kind !== "text")
    throw refuse(`"contains" only applies to text columns`, `filter.${index}.op`);
  if (["gt", "gte", "lt", "lte"].includes(op) && (kind === "enum" || kind === "uuid" || kind === "boolean")) {
    throw refuse(`"${op}" does not apply to this column`, `filter.${index}.op`);
  }
  const typed = coerce(kind, column, value, refuse);
  switch (op) {
    case "eq":
      return eq(column, typed);
    case "neq":
      return ne(column, typed);
    case "contains":
      return ilike(column, `%${escapeLike(String(typed))}%`);
    case "gt":
      return gt(column, typed);
    case "gte":
      return gte(column, typed);
    case "lt":
      return lt(column, typed);
    case "lte":
      return lte(column, typed);
  }
}

type Kind = "text" | "enum" | "uuid" | "number" | "bigint" | "date" | "boolean";

function kindOf(column: PgColumn): Kind {
  if (column.enumValues && column.enumValues.length > 0) return "enum";
  if (column.columnType === "PgUUID") return "uuid";
  switch (column.dataType) {
    case "number":
      return "number";
    case "bigint":
      return "bigint";
    case "date":
      return "date";
    case "boolean":
      return "boolean";
    default:
      return "text";
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function coerce(
  kind: Kind,
  column: PgColumn,
  value: FilterValue,
  refuse: (message: string) => DomainError,
): string | number | bigint | boolean | Date {
  const text = String(value);
  switch (kind) {
    case "text":
      return text;
    case "enum":
      if (!column.enumValues?.includes(text)) throw refuse(`Choose one of: ${column.enumValues?.join(", ")}`);
      return text;
    case "uuid":
      if (!UUID.test(text)) throw refuse("Not a valid id");
      return text;
    case "number": {
      const number = typeof value === "number" ? value : Number(text);
      if (text.trim() === "" || !Number.isFinite(number)) throw refuse("Enter a number");
      return number;
    }
    case "bigint":
      if (!/^-?\d{1,19}$/.test(text.trim())) throw refuse("Enter a whole number");
      return BigInt(text.trim());
    case "date": {
      const date = new Date(typeof value === "number" ? value : text);
      if (typeof value === "boolean" || Number.isNaN(date.getTime())) throw refuse("Enter a date, e.g. 2026-01-31");
      return date;
    }
    case "boolean":
      if (value === true || text === "true") return true;
      if (value === false || text === "false") return false;
      throw refuse("Enter true or false");
  }
}

/** `%` and `_` are wildcards in LIKE; a user searching for "50%" means the character. */
function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
