import { sql } from "drizzle-orm";
import { joinClash, joinedColumns, joinKeyProblem } from "../../../../../shared/steps/join.js";
import { databaseError } from "../../../../db/errors.js";
import { ident, param, ROW_IDENT, type ScopeColumn } from "../sql-values.js";
import type { StepModule } from "./types.js";

/**
 * Joins the rows so far with another data set, on one or more pairs of equal columns.
 *
 * Cost: a key that repeats on both sides multiplies (n × m rows for one key), so the joined
 * pairs are read through `limit PIPELINE_JOIN_MAX_ROWS + 1`: the database stops making them
 * one row past the limit, and the layer after raises an error when it sees that row. A join
 * therefore never makes more than PIPELINE_JOIN_MAX_ROWS + 1 rows, on either driver, whatever
 * the keys; previews also read only the first rows of the other data set, as of their input.
 */
export const joinStep: StepModule<"join"> = {
  compile(step, scope) {
    const other = scope.dataset(step.datasetId);
    // Resolved (or refused as not found) before compiling; this is for a caller that did not.
    if (!other) throw scope.fail("datasetId", "There is no such data set.");
    const right: ScopeColumn[] = other.columns.map((c) => ({ name: c.name, type: c.type, ident: c.key }));
    const pairs = step.on.map((pair, i) => {
      const leftColumn = scope.find(pair.left, `on.${i}.left`);
      const rightColumn = right.find((c) => c.name === pair.right);
      if (!rightColumn) throw scope.fail(`on.${i}.right`, `The other data set has no column "${pair.right}".`);
      const problem = joinKeyProblem(leftColumn, rightColumn);
      if (problem) throw scope.fail(`on.${i}.right`, problem);
      return { left: leftColumn, right: rightColumn };
    });
    step.rename.forEach((rename, i) => {
      if (!right.some((c) => c.name === rename.from)) {
        throw scope.fail(`rename.${i}.from`, `The other data set has no column "${rename.from}".`);
      }
    });
    const joined = joinedColumns(right, step);
    const clash = joinClash(scope.columns, joined);
    if (clash) {
      const renamed = step.rename.findIndex((r) => r.from === clash.from);
      throw scope.fail(renamed >= 0 ? `rename.${renamed}.to` : "prefix", clash.message);
    }

    const added = joined.map((c) => ({ name: c.name, type: c.type, ident: scope.newIdent(), source: c.ident }));
    const rightRow = scope.newIdent();
    const l = (name: string) => sql`${ident("l")}.${ident(name)}`;
    const r = (name: string) => sql`${ident("r")}.${ident(name)}`;
    const limit = (n: number) => param("integer", String(n));
    const otherRows =
      scope.firstRows === undefined
        ? ident(other.table)
        : sql`(select * from ${ident(other.table)} limit ${limit(scope.firstRows)})`;
    const on = sql.join(
      pairs.map((p) => sql`${l(p.left.ident)} = ${r(p.right.ident)}`),
      sql` and `,
    );
    const matched = scope.layer(
      sql`select ${sql.join(
        [
          l(ROW_IDENT),
          ...scope.columns.map((c) => l(c.ident)),
          sql`${r(ROW_IDENT)} as ${ident(rightRow)}`,
          ...added.map((c) => sql`${r(c.source)} as ${ident(c.ident)}`),
        ],
        sql`, `,
      )} from ${scope.from} as ${ident("l")} ${sql.raw(step.kind === "left" ? "left" : "inner")} join ${otherRows} as ${ident("r")} on ${on} limit ${limit(scope.joinMaxRows + 1)}`,
    );
    const columns = [...scope.columns, ...added.map(({ name, type, ident: id }) => ({ name, type, ident: id }))];
    // The count is in the text so the cast cannot be folded (and fail) while planning.
    const tooMany = sql`(${sql.raw(`'${JOIN_ROW_LIMIT_MARKER}${scope.index}:'`)} || (select count(*) from ${matched}))::integer`;
    return {
      select: sql`select row_number() over (order by ${ident(ROW_IDENT)}, ${ident(rightRow)}) as ${ident(ROW_IDENT)}, ${sql.join(
        columns.map((c) => ident(c.ident)),
        sql`, `,
      )} from ${matched} where case when (select count(*) from ${matched}) > ${limit(scope.joinMaxRows)} then ${tooMany} = 0 else true end`,
      columns,
    };
  },
};

const JOIN_ROW_LIMIT_MARKER = "gantry_join_row_limit:";

/** The index of the join step whose row limit `error` reports, or undefined for any other error. */
export function joinRowLimitStep(error: unknown): number | undefined {
  const cause = databaseError(error);
  if (cause?.code !== "22P02") return undefined;
  const match = new RegExp(`${JOIN_ROW_LIMIT_MARKER}(\\d+):`).exec(cause.message);
  return match ? Number(match[1]) : undefined;
}
