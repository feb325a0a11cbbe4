import { type SQL, sql } from "drizzle-orm";
import type { ColumnType } from "../../../../../shared/schemas/pipelines.js";
import { ExpressionError } from "../../expression/tokenizer.js";
import { compileExpression, definite } from "../expression-sql.js";
import { ident } from "../sql-values.js";
import type { StepModule } from "./types.js";

export const deriveStep: StepModule<"derive"> = {
  compile(step, scope) {
    scope.ensureNew(step.name, "name");
    let value: { sql: SQL; type: ColumnType };
    try {
      value = definite(compileExpression(step.expression, scope.columns));
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error;
      throw scope.fail("expression", `${error.message} (at character ${error.at + 1})`);
    }
    const added = { name: step.name, type: value.type, ident: scope.newIdent() };
    // `offset 0` keeps the planner from pulling this layer up into the next: a later step's
    // reference to the new column stays a column reference. Pulled up, every reference would
    // be replaced by a copy of the expression, so derives that each use the one before twice
    // would plan (and JIT-compile) 2^k copies of the first.
    return {
      select: sql`select *, ${value.sql} as ${ident(added.ident)} from ${scope.from} offset 0`,
      columns: [...scope.columns, added],
    };
  },
};
