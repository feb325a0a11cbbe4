import type { ColumnType, StepFilterOperator } from "../schemas/pipelines.js";
import type { StepOf, StepRules } from "./types.js";

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

const TEXT_MATCHING: readonly StepFilterOperator[] = ["contains", "starts_with", "ends_with"];
const EQUALITY: readonly StepFilterOperator[] = ["eq", "neq", "is_null", "not_null"];

/**
 * Why `operator` does not apply to a column of `type`, or null when it does: text matching
 * only on text, order only where there is one. The server refuses with this message; the
 * builder offers only the operators without one.
 */
export function operatorProblem(
  operator: StepFilterOperator,
  column: { name: string; type: ColumnType },
): string | null {
  if (TEXT_MATCHING.includes(operator) && column.type !== "text") {
    return `"${operator.replace("_", " ")}" works on text columns; "${column.name}" is ${column.type}.`;
  }
  if (column.type === "boolean" && !EQUALITY.includes(operator)) {
    return `"${column.name}" is true/false: compare it with equals or not equals.`;
  }
  return null;
}

/** The operators that fit a column of `type`; a column whose type is not known yet (derived) is offered everything. */
export function operatorsFor(type: ColumnType | "unknown"): Array<{ value: StepFilterOperator; label: string }> {
  if (type === "unknown") return operatorOptions;
  return operatorOptions.filter((option) => operatorProblem(option.value, { name: "", type }) === null);
}

/** is_null / not_null compare with nothing: the value box goes away. */
export function takesValue(operator: StepFilterOperator): boolean {
  return operator !== "is_null" && operator !== "not_null";
}

/** Numbers and true/false as they are; text quoted, so `= ""` and `= " x"` are visible. */
function shownValue(value: string | number | boolean | null | undefined): string {
  const text = String(value ?? "");
  return /^(-?\d+(\.\d+)?|true|false)$/.test(text) ? text : JSON.stringify(text);
}

export const filterRules: StepRules<StepOf<"filter">> = {
  label: "Filter rows",
  blank: (columns) => ({ type: "filter", column: columns[0] ?? "", operator: "eq", value: "" }),
  describe: (step) => {
    const value = takesValue(step.operator) ? ` ${shownValue(step.value)}` : "";
    return `${step.column || "?"} ${operatorSymbols[step.operator]}${value}`;
  },
  columnsAfter: (columns) => [...columns],
};
