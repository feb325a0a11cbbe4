import type {
  AggregateFunction,
  ColumnType,
  Step,
  StepFilterOperator,
  StepType,
} from "../../../shared/schemas/pipelines";

/**
 * What the builder offers for each kind of step, typed against the server's unions so a new
 * step type, operator or function cannot go unlabelled. Plain records rather than the zod
 * schemas: the browser bundle needs no schema library (the server validates every draft).
 */
const stepTypeLabels: Record<StepType, string> = {
  filter: "Filter rows",
  select: "Select columns",
  rename: "Rename a column",
  derive: "Derive a column",
  aggregate: "Group and aggregate",
  sort: "Sort",
  dedupe: "Remove duplicates",
  limit: "Limit rows",
};

export const stepTypeOptions = (Object.keys(stepTypeLabels) as StepType[]).map((type) => ({
  value: type,
  label: stepTypeLabels[type],
}));

export function stepTypeLabel(type: StepType): string {
  return stepTypeLabels[type];
}

export function isStepType(value: string): value is StepType {
  return Object.hasOwn(stepTypeLabels, value);
}

const operatorLabels: Record<StepFilterOperator, string> = {
  eq: "equals",
  neq: "does not equal",
  gt: "is greater than",
  gte: "is at least",
  lt: "is less than",
  lte: "is at most",
  contains: "contains",
  starts_with: "starts with",
  ends_with: "ends with",
  is_null: "is empty",
  not_null: "is not empty",
};

/** Short forms for a step's one-line summary. */
const operatorSymbols: Record<StepFilterOperator, string> = {
  eq: "=",
  neq: "≠",
  gt: ">",
  gte: "≥",
  lt: "<",
  lte: "≤",
  contains: "contains",
  starts_with: "starts with",
  ends_with: "ends with",
  is_null: "is empty",
  not_null: "is not empty",
};

export const operatorOptions = (Object.keys(operatorLabels) as StepFilterOperator[]).map((operator) => ({
  value: operator,
  label: operatorLabels[operator],
}));

export function isOperator(value: string): value is StepFilterOperator {
  return Object.hasOwn(operatorLabels, value);
}

const ORDERED: readonly StepFilterOperator[] = ["eq", "neq", "gt", "gte", "lt", "lte", "is_null", "not_null"];
const EQUALITY: readonly StepFilterOperator[] = ["eq", "neq", "is_null", "not_null"];

/**
 * The operators that make sense for a column of `type`, as the server checks them: text
 * matching only on text, order only where there is one. A column whose type is not known
 * yet (derived) is offered everything; the server will say if it does not fit.
 */
export function operatorsFor(type: ColumnType | "unknown"): Array<{ value: StepFilterOperator; label: string }> {
  const allowed = type === "boolean" ? EQUALITY : type === "text" || type === "unknown" ? null : ORDERED;
  return allowed ? operatorOptions.filter((option) => allowed.includes(option.value)) : operatorOptions;
}

/** is_null / not_null compare with nothing: the value box goes away. */
export function takesValue(operator: StepFilterOperator): boolean {
  return operator !== "is_null" && operator !== "not_null";
}

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

/** A new step of `type`, filled in with the first column at that point so it is nearly valid at once. */
export function newStep(type: StepType, columns: readonly string[]): Step {
  const first = columns[0] ?? "";
  switch (type) {
    case "filter":
      return { type, column: first, operator: "eq", value: "" };
    case "select":
      return { type, columns: [...columns] };
    case "rename":
      return { type, from: first, to: "" };
    case "derive":
      return { type, name: "", expression: "" };
    case "aggregate":
      return { type, groupBy: [], aggregations: [{ function: "count", as: "count" }] };
    case "sort":
      return { type, by: [{ column: first, direction: "asc" }] };
    case "dedupe":
      return { type };
    case "limit":
      return { type, count: 100 };
  }
}

const list = (names: readonly string[]) => names.join(", ");

/** Numbers and true/false as they are; text quoted, so `= ""` and `= " x"` are visible. */
function shownValue(value: string | number | boolean | null | undefined): string {
  const text = String(value ?? "");
  return /^(-?\d+(\.\d+)?|true|false)$/.test(text) ? text : JSON.stringify(text);
}

/** One line saying what a step does, for its heading: "amount > 10", "by city: sum_amount = sum(amount)". */
export function describeStep(step: Step): string {
  switch (step.type) {
    case "filter": {
      const value = takesValue(step.operator) ? ` ${shownValue(step.value)}` : "";
      return `${step.column || "?"} ${operatorSymbols[step.operator]}${value}`;
    }
    case "select":
      return `keep ${list(step.columns) || "?"}`;
    case "rename":
      return `${step.from || "?"} → ${step.to || "?"}`;
    case "derive":
      return `${step.name || "?"} = ${step.expression || "?"}`;
    case "aggregate": {
      const outputs = step.aggregations.map((a) => `${a.as} = ${a.function}(${a.column ?? "*"})`);
      const groups = step.groupBy.length > 0 ? `by ${list(step.groupBy)}: ` : "";
      return `${groups}${list(outputs)}`;
    }
    case "sort":
      return list(step.by.map((key) => `${key.column || "?"} ${key.direction === "desc" ? "↓" : "↑"}`));
    case "dedupe":
      return step.columns && step.columns.length > 0 ? `on ${list(step.columns)}` : "on all columns";
    case "limit":
      return `first ${step.count} rows`;
  }
}
