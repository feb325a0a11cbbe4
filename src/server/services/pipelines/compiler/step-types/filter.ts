import { type SQL, sql } from "drizzle-orm";
import { nullaryOperators } from "../../../../../shared/schemas/pipelines.js";
import { operatorProblem } from "../../../../../shared/steps/filter.js";
import type { StepOf } from "../../../../../shared/steps/index.js";
import { coerceValue } from "../../values.js";
import { compareSql, ident, param, type ScopeColumn } from "../sql-values.js";
import type { StepModule, StepScope } from "./types.js";

export const filterStep: StepModule<"filter"> = {
  compile(step, scope) {
    const column = scope.find(step.column, "column");
    return {
      select: sql`select * from ${scope.from} where ${condition(column, step, scope)}`,
      columns: [...scope.columns],
    };
  },
};

function condition(column: ScopeColumn, step: StepOf<"filter">, scope: StepScope): SQL {
  const target = ident(column.ident);
  const { operator } = step;
  if (operator === "is_null") return sql`${target} is null`;
  if (operator === "not_null") return sql`${target} is not null`;
  if (step.value === undefined || step.value === null || step.value === "") {
    if (!nullaryOperators.includes(operator)) throw scope.fail("value", "Enter a value to compare with.");
  }
  const problem = operatorProblem(operator, column);
  if (problem) throw scope.fail("operator", problem);
  const raw = step.value as string | number | boolean;
  if (operator === "contains" || operator === "starts_with" || operator === "ends_with") {
    const needle = param("text", String(raw));
    if (operator === "contains") return compareSql(target, "contains", needle);
    if (operator === "starts_with") return sql`starts_with(lower(${target}), lower(${needle}))`;
    return sql`right(lower(${target}), length(${needle})) = lower(${needle})`;
  }
  const coerced = coerceValue(column.type, raw);
  if (!coerced.ok) throw scope.fail("value", `${coerced.message.replace(/\.$/, "")}, as "${column.name}" needs.`);
  const value = param(column.type, coerced.text);
  // "not equal" keeps rows where the column is empty, as a person filtering a table expects.
  if (operator === "neq") return sql`${target} is distinct from ${value}`;
  return compareSql(target, operator, value);
}
