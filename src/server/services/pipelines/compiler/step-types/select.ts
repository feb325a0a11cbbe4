import { sql } from "drizzle-orm";
import type { StepModule } from "./types.js";

export const selectStep: StepModule<"select"> = {
  compile(step, scope) {
    const picked = step.columns.map((name, i) => scope.find(name, `columns.${i}`));
    const duplicate = step.columns.findIndex((name, i) => step.columns.indexOf(name) !== i);
    if (duplicate >= 0) throw scope.fail(`columns.${duplicate}`, `"${step.columns[duplicate]}" is chosen twice.`);
    return { select: sql`select ${scope.list(picked)} from ${scope.from}`, columns: picked };
  },
};
