import type { AggregateFunction, ColumnType } from "../schemas/pipelines.js";
import { findColumn, listNames, type ScopeType, type StepOf, type StepRules } from "./types.js";

const functionLabels: Record<AggregateFunction, string> = {
  count: "count",
  sum: "sum",
  avg: "average",
  min: "minimum",
  max: "maximum",
};

export const functionOptions = (Object.keys(functionLabels) as AggregateFunction[]).map((fn) => ({
  value: fn,
  label: functionLabels[fn],
}));

export function isAggregateFunction(value: string): value is AggregateFunction {
  return Object.hasOwn(functionLabels, value);
}

/** The name an aggregation gets until the user names it: `sum_amount`, or `count` for a row count. */
export function defaultAggregateName(fn: AggregateFunction, column: string | undefined): string {
  return column ? `${fn}_${column}` : fn;
}

/**
 * The type of `fn` over a column of `source` (undefined: counting rows), or a message saying why
 * it does not apply. Sums of integers stay integers, averages are numbers.
 */
export function aggregateType(
  fn: AggregateFunction,
  source: { name: string; type: ColumnType } | undefined,
): { type: ColumnType } | { problem: string } {
  if (fn === "count") return { type: "integer" };
  if (!source) return { problem: `Choose the column to ${fn === "avg" ? "average" : fn}.` };
  const numeric = source.type === "integer" || source.type === "number";
  if (fn === "sum" || fn === "avg") {
    if (!numeric) return { problem: `${fn} needs a numeric column; "${source.name}" is ${source.type}.` };
    return { type: fn === "avg" ? "number" : source.type };
  }
  if (source.type === "boolean")
    return { problem: `${fn} does not apply to true/false columns like "${source.name}".` };
  return { type: source.type };
}

function scopeType(fn: AggregateFunction, source: { name: string; type: ScopeType } | undefined): ScopeType {
  if (source?.type === "unknown") return fn === "count" ? "integer" : fn === "avg" ? "number" : "unknown";
  const typed = aggregateType(fn, source && { name: source.name, type: source.type as ColumnType });
  return "type" in typed ? typed.type : "unknown";
}

export const aggregateRules: StepRules<StepOf<"aggregate">> = {
  label: "Group and aggregate",
  blank: () => ({ type: "aggregate", groupBy: [], aggregations: [{ function: "count", as: "count" }] }),
  describe: (step) => {
    const outputs = step.aggregations.map((a) => `${a.as} = ${a.function}(${a.column ?? "*"})`);
    const groups = step.groupBy.length > 0 ? `by ${listNames(step.groupBy)}: ` : "";
    return `${groups}${listNames(outputs)}`;
  },
  columnsAfter: (columns, step) => {
    const groups = step.groupBy.flatMap((name) => findColumn(columns, name) ?? []);
    const outputs = step.aggregations.map((aggregation) => ({
      name: aggregation.as.trim(),
      type: scopeType(aggregation.function, findColumn(columns, aggregation.column)),
    }));
    return [...groups, ...outputs.filter((output) => output.name)];
  },
};
