import { findColumn, type StepOf, type StepRules } from "./types.js";

export const deriveRules: StepRules<StepOf<"derive">> = {
  label: "Derive a column",
  blank: () => ({ type: "derive", name: "", expression: "" }),
  describe: (step) => `${step.name || "?"} = ${step.expression || "?"}`,
  columnsAfter: (columns, step) => {
    const name = step.name.trim();
    if (!name || findColumn(columns, name)) return [...columns];
    // The expression's type is only known once the server has compiled it.
    return [...columns, { name, type: "unknown" }];
  },
};
