import { eq, gt, gte, ilike, lt, lte, ne, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import type { FilterOperator, FilterValue } from "../../shared/schemas/list.js";

/**
 * Turns one list filter into SQL. The list schema (shared/schemas/list.ts) has already checked
 * the value against the field's kind and the operator against the column, so this only puts
 * the value in the form the driver binds for the column: a Date for a timestamp, a bigint for
 * a bigint column.
 */
export function filterCondition(column: PgColumn, op: FilterOperator, value: FilterValue): SQL {
  const typed = bindable(column, value);
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

function bindable(column: PgColumn, value: FilterValue): FilterValue | bigint | Date {
  switch (column.dataType) {
    case "date":
      return new Date(typeof value === "number" ? value : String(value));
    case "bigint":
      return BigInt(value);
    default:
      return value;
  }
}

/** `%` and `_` are wildcards in LIKE; a user searching for "50%" means the character. */
function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
