import type { StepOf, StepRules } from "./types.js";

export const limitRules: StepRules<StepOf<"limit">> = {
  label: "Limit rows",
  blank: () => ({ type: "limit", count: 100 }),
  describe: (step) => `first ${step.count} rows`,
  columnsAfter: (columns) => [...columns],
};
