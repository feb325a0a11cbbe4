import { sql } from "drizzle-orm";
import { ident, param, ROW_IDENT } from "../sql-values.js";
import type { StepModule } from "./types.js";

export const limitStep: StepModule<"limit"> = {
  compile(step, scope) {
    return {
      select: sql`select * from ${scope.from} order by ${ident(ROW_IDENT)} limit ${param("integer", String(step.count))}`,
      columns: [...scope.columns],
    };
  },
};
