import { listNames, type StepOf, type StepRules } from "./types.js";

export const dedupeRules: StepRules<StepOf<"dedupe">> = {
  label: "Remove duplicates",
  blank: () => ({ type: "dedupe" }),
  describe: (step) => (step.columns && step.columns.length > 0 ? `on ${listNames(step.columns)}` : "on all columns"),
  columnsAfter: (columns) => [...columns],
};
