import { type SQL, sql } from "drizzle-orm";
import {
  type AggregateFunction,
  type ColumnType,
  nullaryOperators,
  type Step,
} from "../../../../shared/schemas/pipelines.js";
import { ExpressionError } from "../expression/tokenizer.js";
import { coerceValue } from "../values.js";
import { compileExpression, definite } from "./expression-sql.js";
import { compareSql, ident, param, ROW_IDENT, type ScopeColumn } from "./sql-values.js";

/** A step that does not fit its input: `field` is the step's input field at fault ("column", "value"). */
export class StepError extends Error {
  override name = "StepError";
  constructor(
    readonly index: number,
    readonly stepType: Step["type"],
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A pipeline compiled to one statement: a chain of CTEs, each step one `select` over the one
 * before (PostgreSQL inlines them into a single plan, except derive layers: see below), ending
 * at `final`. Every relation
 * carries `__row`, the order of rows, so sort/limit/dedupe give the same rows on every server.
 */
export interface CompiledPipeline {
  /** `with s1 as (...), s2 as (...)`, or empty for no steps. */
  with: SQL;
  /** The relation holding the output: the last CTE, or the input table. */
  final: SQL;
  columns: ScopeColumn[];
}

export interface PipelineInput {
  table: string;
  columns: ReadonlyArray<{ name: string; key: string; type: ColumnType }>;
  /**
   * Read only the first this many rows of the table (previews). No ORDER BY: a data set's table
   * is written once, in row order, so a plain scan meets its first rows first and stops there,
   * where sorting by `__row` would read the whole table to find them.
   */
  firstRows?: number | undefined;
}

export function compilePipeline(input: PipelineInput, steps: readonly Step[]): CompiledPipeline {
  let columns: ScopeColumn[] = input.columns.map((c) => ({ name: c.name, type: c.type, ident: c.key }));
  let from: SQL = ident(input.table);
  const ctes: SQL[] = [];
  if (input.firstRows !== undefined) {
    ctes.push(sql`${ident("s0")} as (select * from ${from} limit ${param("integer", String(input.firstRows))})`);
    from = ident("s0");
  }
  let fresh = 0;
  const newIdent = () => `_c${++fresh}`;

  steps.forEach((step, index) => {
    const fail = (field: string, message: string) => new StepError(index, step.type, field, message);
    const find = (name: string, field: string) => {
      const column = columns.find((c) => c.name === name);
      if (!column) throw fail(field, `There is no column "${name}" at this step.`);
      return column;
    };
    const ensureNew = (name: string, field: string, others = columns) => {
      if (others.some((c) => c.name === name)) throw fail(field, `A column named "${name}" already exists.`);
    };
    const cte = (body: SQL, next: ScopeColumn[]) => {
      const name = `s${ctes.length + 1}`;
      ctes.push(sql`${ident(name)} as (${body})`);
      from = ident(name);
      columns = next;
    };
    const list = (cols: readonly ScopeColumn[]) =>
      sql.join([ident(ROW_IDENT), ...cols.map((c) => ident(c.ident))], sql`, `);

    switch (step.type) {
      case "filter": {
        const column = find(step.column, "column");
        cte(sql`select * from ${from} where ${filterCondition(column, step, fail)}`, columns);
        return;
      }
      case "select": {
        const picked = step.columns.map((name, i) => find(name, `columns.${i}`));
        const duplicate = step.columns.findIndex((name, i) => step.columns.indexOf(name) !== i);
        if (duplicate >= 0) throw fail(`columns.${duplicate}`, `"${step.columns[duplicate]}" is chosen twice.`);
        cte(sql`select ${list(picked)} from ${from}`, picked);
        return;
      }
      case "rename": {
        const column = find(step.from, "from");
        ensureNew(
          step.to,
          "to",
          columns.filter((c) => c !== column),
        );
        // Names are metadata: the SQL stays as it is.
        columns = columns.map((c) => (c === column ? { ...c, name: step.to } : c));
        return;
      }
      case "derive": {
        ensureNew(step.name, "name");
        let value: { sql: SQL; type: ColumnType };
        try {
          value = definite(compileExpression(step.expression, columns));
        } catch (error) {
          if (!(error instanceof ExpressionError)) throw error;
          throw fail("expression", `${error.message} (at character ${error.at + 1})`);
        }
        const added = { name: step.name, type: value.type, ident: newIdent() };
        // `offset 0` keeps the planner from pulling this layer up into the next: a later step's
        // reference to the new column stays a column reference. Pulled up, every reference would
        // be replaced by a copy of the expression, so derives that each use the one before twice
        // would plan (and JIT-compile) 2^k copies of the first.
        cte(sql`select *, ${value.sql} as ${ident(added.ident)} from ${from} offset 0`, [...columns, added]);
        return;
      }
      case "aggregate": {
        const groups = step.groupBy.map((name, i) => find(name, `groupBy.${i}`));
        const duplicate = step.groupBy.findIndex((name, i) => step.groupBy.indexOf(name) !== i);
        if (duplicate >= 0) throw fail(`groupBy.${duplicate}`, `"${step.groupBy[duplicate]}" is grouped by twice.`);
        const outputs: ScopeColumn[] = [...groups];
        const selects: SQL[] = groups.map((g) => ident(g.ident));
        step.aggregations.forEach((aggregation, i) => {
          ensureNew(aggregation.as, `aggregations.${i}.as`, outputs);
          const source =
            aggregation.column === undefined ? undefined : find(aggregation.column, `aggregations.${i}.column`);
          const compiled = aggregateSql(aggregation.function, source, (message) =>
            fail(`aggregations.${i}.column`, message),
          );
          const out = { name: aggregation.as, type: compiled.type, ident: newIdent() };
          outputs.push(out);
          selects.push(sql`${compiled.sql} as ${ident(out.ident)}`);
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
        cte(sql`select ${sql.join(selects, sql`, `)} from ${from}${groupBy}`, outputs);
        return;
      }
      case "sort": {
        const keys = step.by.map((key, i) => {
          const column = find(key.column, `by.${i}.column`);
          return sql`${ident(column.ident)} ${sql.raw(key.direction === "desc" ? "desc" : "asc")} nulls last`;
        });
        // Ties keep their previous order, so the result is the same on every server.
        const order = sql.join([...keys, ident(ROW_IDENT)], sql`, `);
        cte(
          sql`select row_number() over (order by ${order}) as ${ident(ROW_IDENT)}, ${sql.join(
            columns.map((c) => ident(c.ident)),
            sql`, `,
          )} from ${from}`,
          columns,
        );
        return;
      }
      case "dedupe": {
        const keys = (step.columns ?? columns.map((c) => c.name)).map((name, i) => find(name, `columns.${i}`));
        if (keys.length === 0) return;
        const on = sql.join(
          keys.map((k) => ident(k.ident)),
          sql`, `,
        );
        // The first row of each set of duplicates (by row order) is the one kept.
        cte(sql`select distinct on (${on}) * from ${from} order by ${on}, ${ident(ROW_IDENT)}`, columns);
        return;
      }
      case "limit": {
        cte(
          sql`select * from ${from} order by ${ident(ROW_IDENT)} limit ${param("integer", String(step.count))}`,
          columns,
        );
        return;
      }
    }
  });

  return { with: ctes.length > 0 ? sql`with ${sql.join(ctes, sql`, `)} ` : sql``, final: from, columns };
}

/** The pipeline's whole output as one `select`, each column named by the SQL key it is stored under. */
export function outputSelect(compiled: CompiledPipeline, keys: readonly string[]): SQL {
  const columns = compiled.columns.map((c, i) => sql`${ident(c.ident)} as ${ident(keys[i] ?? c.ident)}`);
  return sql`${compiled.with}select ${sql.join([ident(ROW_IDENT), ...columns], sql`, `)} from ${compiled.final}`;
}

function filterCondition(
  column: ScopeColumn,
  step: Extract<Step, { type: "filter" }>,
  fail: (field: string, message: string) => StepError,
): SQL {
  const target = ident(column.ident);
  const { operator } = step;
  if (operator === "is_null") return sql`${target} is null`;
  if (operator === "not_null") return sql`${target} is not null`;
  if (step.value === undefined || step.value === null || step.value === "") {
    if (!nullaryOperators.includes(operator)) throw fail("value", "Enter a value to compare with.");
  }
  const raw = step.value as string | number | boolean;
  if (operator === "contains" || operator === "starts_with" || operator === "ends_with") {
    if (column.type !== "text") {
      throw fail(
        "operator",
        `"${operator.replace("_", " ")}" works on text columns; "${column.name}" is ${column.type}.`,
      );
    }
    const needle = param("text", String(raw));
    if (operator === "contains") return compareSql(target, "contains", needle);
    if (operator === "starts_with") return sql`starts_with(lower(${target}), lower(${needle}))`;
    return sql`right(lower(${target}), length(${needle})) = lower(${needle})`;
  }
  if (column.type === "boolean" && operator !== "eq" && operator !== "neq") {
    throw fail("operator", `"${column.name}" is true/false: compare it with equals or not equals.`);
  }
  const coerced = coerceValue(column.type, raw);
  if (!coerced.ok) throw fail("value", `${coerced.message.replace(/\.$/, "")}, as "${column.name}" needs.`);
  const value = param(column.type, coerced.text);
  // "not equal" keeps rows where the column is empty, as a person filtering a table expects.
  if (operator === "neq") return sql`${target} is distinct from ${value}`;
  return compareSql(target, operator, value);
}

function aggregateSql(
  fn: AggregateFunction,
  column: ScopeColumn | undefined,
  fail: (message: string) => StepError,
): { sql: SQL; type: ColumnType } {
  if (fn === "count") return { sql: column ? sql`count(${ident(column.ident)})` : sql`count(*)`, type: "integer" };
  if (!column) throw fail(`Choose the column to ${fn === "avg" ? "average" : fn}.`);
  const value = ident(column.ident);
  const numeric = column.type === "integer" || column.type === "number";
  if (fn === "sum" || fn === "avg") {
    if (!numeric) throw fail(`${fn} needs a numeric column; "${column.name}" is ${column.type}.`);
    if (fn === "avg") return { sql: sql`avg(${value})::double precision`, type: "number" };
    return column.type === "integer"
      ? { sql: sql`sum(${value})::bigint`, type: "integer" }
      : { sql: sql`sum(${value})`, type: "number" };
  }
  if (column.type === "boolean") throw fail(`${fn} does not apply to true/false columns like "${column.name}".`);
  return { sql: sql`${sql.raw(fn)}(${value})`, type: column.type };
}
