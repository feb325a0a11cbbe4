import { sql } from "drizzle-orm";
import { ident, ROW_IDENT } from "../sql-values.js";
import type { StepModule } from "./types.js";

export const sortStep: StepModule<"sort"> = {
  compile(step, scope) {
    const keys = step.by.map((key, i) => {
      const column = scope.find(key.column, `by.${i}.column`);
      return sql`${ident(column.ident)} ${sql.raw(key.direction === "desc" ? "desc" : "asc")} nulls last`;
    });
    // Ties keep their previous order, so the result is the same on every server.
    const order = sql.join([...keys, ident(ROW_IDENT)], sql`, `);
    const columns = sql.join(
      scope.columns.map((c) => ident(c.ident)),
      sql`, `,
    );
    return {
      select: sql`select row_number() over (order by ${order}) as ${ident(ROW_IDENT)}, ${columns} from ${scope.from}`,
      columns: [...scope.columns],
    };
  },
};
