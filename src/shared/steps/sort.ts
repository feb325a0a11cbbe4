import { listNames, type StepOf, type StepRules } from "./types.js";

export const sortRules: StepRules<StepOf<"sort">> = {
  label: "Sort",
  blank: (columns) => ({ type: "sort", by: [{ column: columns[0] ?? "", direction: "asc" }] }),
  describe: (step) => listNames(step.by.map((key) => `${key.column || "?"} ${key.direction === "desc" ? "↓" : "↑"}`)),
  columnsAfter: (columns) => [...columns],
};
