import { sql } from "drizzle-orm";
import { ident, ROW_IDENT } from "../sql-values.js";
import type { StepModule } from "./types.js";

export const dedupeStep: StepModule<"dedupe"> = {
  compile(step, scope) {
    const keys = (step.columns ?? scope.columns.map((c) => c.name)).map((name, i) => scope.find(name, `columns.${i}`));
    if (keys.length === 0) return undefined;
    const on = sql.join(
      keys.map((k) => ident(k.ident)),
      sql`, `,
    );
    // The first row of each set of duplicates (by row order) is the one kept.
    return {
      select: sql`select distinct on (${on}) * from ${scope.from} order by ${on}, ${ident(ROW_IDENT)}`,
      columns: [...scope.columns],
    };
  },
};
