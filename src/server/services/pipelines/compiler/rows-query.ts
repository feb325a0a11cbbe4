import { type SQL, sql } from "drizzle-orm";
import type { DatasetRowsInput } from "../../../../shared/schemas/pipelines.js";
import type { StoredColumn } from "../../../db/schema/pipelines.js";
import { badInput } from "../../errors.js";
import { coerceValue } from "../values.js";
import { compareSql, ident, param, ROW_IDENT, textOf } from "./sql-values.js";

/**
 * WHERE and ORDER BY for the data table over a data set: column names are checked against the
 * data set's columns (unknown -> BAD_REQUEST on that field), values bound as parameters of the
 * column's type. "contains" matches the text of any column, case-insensitively.
 */
export function rowsQuery(
  columns: readonly StoredColumn[],
  input: Pick<DatasetRowsInput, "sort" | "filter">,
): { where: SQL | undefined; orderBy: SQL } {
  const find = (name: string, field: string) => {
    const column = columns.find((c) => c.name === name);
    if (!column) throw badInput(field, `There is no column "${name}".`);
    return column;
  };
  const conditions = input.filter.map((filter, i) => {
    const column = find(filter.field, `filter.${i}.field`);
    const target = ident(column.key);
    if (filter.op === "contains") {
      return compareSql(textOf({ sql: target, type: column.type }), "contains", param("text", String(filter.value)));
    }
    if (column.type === "boolean" && filter.op !== "eq" && filter.op !== "neq") {
      throw badInput(`filter.${i}.op`, `"${column.name}" is true/false: filter it with equals.`);
    }
    const coerced = coerceValue(column.type, filter.value);
    if (!coerced.ok) throw badInput(`filter.${i}.value`, coerced.message);
    return compareSql(target, filter.op, param(column.type, coerced.text));
  });
  const keys: SQL[] = [];
  if (input.sort) {
    const column = find(input.sort.field, "sort.field");
    keys.push(sql`${ident(column.key)} ${sql.raw(input.sort.direction === "desc" ? "desc" : "asc")} nulls last`);
  }
  keys.push(ident(ROW_IDENT));
  return {
    where: conditions.length > 0 ? sql.join(conditions, sql` and `) : undefined,
    orderBy: sql.join(keys, sql`, `),
  };
}
