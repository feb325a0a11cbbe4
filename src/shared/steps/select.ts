import { findColumn, listNames, type StepOf, type StepRules } from "./types.js";

export const selectRules: StepRules<StepOf<"select">> = {
  label: "Select columns",
  blank: (columns) => ({ type: "select", columns: [...columns] }),
  describe: (step) => `keep ${listNames(step.columns) || "?"}`,
  columnsAfter: (columns, step) => step.columns.flatMap((name) => findColumn(columns, name) ?? []),
};
