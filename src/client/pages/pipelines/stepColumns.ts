import type { AggregateFunction, ColumnType, DatasetColumn, Step } from "../../../shared/schemas/pipelines";

/** A derived column's type is only known once the server has compiled the expression. */
export type ScopeType = ColumnType | "unknown";

export interface ScopeColumn {
  name: string;
  type: ScopeType;
}

/**
 * The columns each step can use: `result[i]` is what step i sees, the last entry is the
 * output. The server is the judge (it type-checks every step); this only lets the builder
 * offer the right column names in its pickers while the user edits, without a round trip.
 * A step that does not fit yet changes as little as it can, so later steps keep their choices.
 */
export function columnsAtEachStep(input: readonly DatasetColumn[], steps: readonly Step[]): ScopeColumn[][] {
  const scopes: ScopeColumn[][] = [];
  let columns: ScopeColumn[] = input.map(({ name, type }) => ({ name, type }));
  for (const step of steps) {
    scopes.push(columns);
    columns = afterStep(columns, step);
  }
  scopes.push(columns);
  return scopes;
}

function afterStep(columns: ScopeColumn[], step: Step): ScopeColumn[] {
  const find = (name: string | undefined) => columns.find((column) => column.name === name);
  switch (step.type) {
    case "filter":
    case "sort":
    case "dedupe":
    case "limit":
      return columns;
    case "select":
      return step.columns.flatMap((name) => find(name) ?? []);
    case "rename": {
      const to = step.to.trim();
      if (!to || !find(step.from)) return columns;
      return columns.map((column) => (column.name === step.from ? { ...column, name: to } : column));
    }
    case "derive": {
      const name = step.name.trim();
      if (!name || find(name)) return columns;
      return [...columns, { name, type: "unknown" }];
    }
    case "aggregate": {
      const groups = step.groupBy.flatMap((name) => find(name) ?? []);
      const outputs = step.aggregations.map((aggregation) => ({
        name: aggregation.as.trim(),
        type: aggregateType(aggregation.function, find(aggregation.column)?.type),
      }));
      return [...groups, ...outputs.filter((output) => output.name)];
    }
  }
}

/** Mirrors the server's rules: sums of integers stay integers, averages are numbers. */
function aggregateType(fn: AggregateFunction, source: ScopeType | undefined): ScopeType {
  if (fn === "count") return "integer";
  if (fn === "avg") return "number";
  if (fn === "sum") return source === "integer" || source === "number" ? source : "unknown";
  return source ?? "unknown";
}

/** For pickers: "amount (integer)". */
export function columnLabel(column: ScopeColumn): string {
  return column.type === "unknown" ? column.name : `${column.name} (${column.type})`;
}
