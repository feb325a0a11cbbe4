import { type SQL, sql } from "drizzle-orm";
import type { AggregateFunction, ColumnType } from "../../../../../shared/schemas/pipelines.js";
import { aggregateType } from "../../../../../shared/steps/aggregate.js";
import { ident, ROW_IDENT, type ScopeColumn } from "../sql-values.js";
import type { StepModule } from "./types.js";

export const aggregateStep: StepModule<"aggregate"> = {
  compile(step, scope) {
    const groups = step.groupBy.map((name, i) => scope.find(name, `groupBy.${i}`));
    const duplicate = step.groupBy.findIndex((name, i) => step.groupBy.indexOf(name) !== i);
    if (duplicate >= 0) throw scope.fail(`groupBy.${duplicate}`, `"${step.groupBy[duplicate]}" is grouped by twice.`);
    const outputs: ScopeColumn[] = [...groups];
    const selects: SQL[] = groups.map((g) => ident(g.ident));
    step.aggregations.forEach((aggregation, i) => {
      scope.ensureNew(aggregation.as, `aggregations.${i}.as`, outputs);
      const source =
        aggregation.column === undefined ? undefined : scope.find(aggregation.column, `aggregations.${i}.column`);
      const typed = aggregateType(aggregation.function, source);
      if ("problem" in typed) throw scope.fail(`aggregations.${i}.column`, typed.problem);
      const out = { name: aggregation.as, type: typed.type, ident: scope.newIdent() };
      outputs.push(out);
      selects.push(sql`${aggregateSql(aggregation.function, source, typed.type)} as ${ident(out.ident)}`);
    });
    // Groups keep the position of their first row: output order is stable without a sort.
    selects.push(sql`min(${ident(ROW_IDENT)}) as ${ident(ROW_IDENT)}`);
    const groupBy =
      groups.length > 0
        ? sql` group by ${sql.join(
            groups.map((g) => ident(g.ident)),
            sql`, `,
          )}`
        : sql``;
    return { select: sql`select ${sql.join(selects, sql`, `)} from ${scope.from}${groupBy}`, columns: outputs };
  },
};

function aggregateSql(fn: AggregateFunction, column: ScopeColumn | undefined, type: ColumnType): SQL {
  if (!column) return sql`count(*)`;
  const value = ident(column.ident);
  if (fn === "count") return sql`count(${value})`;
  if (fn === "avg") return sql`avg(${value})::double precision`;
  if (fn === "sum") return type === "integer" ? sql`sum(${value})::bigint` : sql`sum(${value})`;
  return sql`${sql.raw(fn)}(${value})`;
}
