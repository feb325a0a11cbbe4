import { findColumn, type StepOf, type StepRules } from "./types.js";

export const renameRules: StepRules<StepOf<"rename">> = {
  label: "Rename a column",
  blank: (columns) => ({ type: "rename", from: columns[0] ?? "", to: "" }),
  describe: (step) => `${step.from || "?"} → ${step.to || "?"}`,
  columnsAfter: (columns, step) => {
    const to = step.to.trim();
    if (!to || !findColumn(columns, step.from)) return [...columns];
    return columns.map((column) => (column.name === step.from ? { ...column, name: to } : column));
  },
};
