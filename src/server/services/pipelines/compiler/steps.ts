import { type SQL, sql } from "drizzle-orm";
import type { Step } from "../../../../shared/schemas/pipelines.js";
import { ident, param, ROW_IDENT, type ScopeColumn } from "./sql-values.js";
import { stepModules } from "./step-types/index.js";
import { type DatasetInput, StepError, type StepModule, type StepScope } from "./step-types/types.js";

export { type DatasetInput, StepError } from "./step-types/types.js";

/**
 * A pipeline compiled to one statement: a chain of CTEs, each step one `select` over the one
 * before (PostgreSQL inlines them into a single plan, except derive layers: see derive.ts), ending
 * at `final`. Every relation carries `__row`, the order of rows, so sort/limit/dedupe give the
 * same rows on every server. Each step type's SQL is its own module (./step-types/).
 */
export interface CompiledPipeline {
  /** `with s1 as (...), s2 as (...)`, or empty for no steps. */
  with: SQL;
  /** The relation holding the output: the last CTE, or the input table. */
  final: SQL;
  columns: ScopeColumn[];
}

/** The most rows one join step may make unless configured (PIPELINE_JOIN_MAX_ROWS). */
export const DEFAULT_JOIN_MAX_ROWS = 10_000_000;

export interface PipelineInput extends DatasetInput {
  /**
   * Read only the first this many rows of the table (previews). No ORDER BY: a data set's table
   * is written once, in row order, so a plain scan meets its first rows first and stops there,
   * where sorting by `__row` would read the whole table to find them.
   */
  firstRows?: number | undefined;
  /** The other data sets the steps join, by id, already checked readable by whoever asks. */
  others?: ReadonlyMap<string, DatasetInput> | undefined;
  /** PIPELINE_JOIN_MAX_ROWS */
  joinMaxRows?: number | undefined;
}

export function compilePipeline(input: PipelineInput, steps: readonly Step[]): CompiledPipeline {
  let columns: ScopeColumn[] = input.columns.map((c) => ({ name: c.name, type: c.type, ident: c.key }));
  let from: SQL = ident(input.table);
  const ctes: SQL[] = [];
  const layer = (body: SQL) => {
    const name = ident(`s${ctes.length + 1}`);
    ctes.push(sql`${name} as (${body})`);
    return name;
  };
  if (input.firstRows !== undefined) {
    from = layer(sql`select * from ${from} limit ${param("integer", String(input.firstRows))}`);
  }
  let fresh = 0;

  steps.forEach((step, index) => {
    const fail = (field: string, message: string) => new StepError(index, step.type, field, message);
    const scope: StepScope = {
      index,
      from,
      columns,
      fail,
      find(name, field) {
        const column = columns.find((c) => c.name === name);
        if (!column) throw fail(field, `There is no column "${name}" at this step.`);
        return column;
      },
      ensureNew(name, field, others = columns) {
        if (others.some((c) => c.name === name)) throw fail(field, `A column named "${name}" already exists.`);
      },
      newIdent: () => `_c${++fresh}`,
      list: (cols) => sql.join([ident(ROW_IDENT), ...cols.map((c) => ident(c.ident))], sql`, `),
      layer,
      dataset: (id) => input.others?.get(id),
      firstRows: input.firstRows,
      joinMaxRows: input.joinMaxRows ?? DEFAULT_JOIN_MAX_ROWS,
    };
    const result = (stepModules[step.type] as StepModule<Step["type"]>).compile(step as never, scope);
    if (!result) return;
    if (result.select) from = layer(result.select);
    columns = result.columns;
  });

  return { with: ctes.length > 0 ? sql`with ${sql.join(ctes, sql`, `)} ` : sql``, final: from, columns };
}

/** The pipeline's whole output as one `select`, each column named by the SQL key it is stored under. */
export function outputSelect(compiled: CompiledPipeline, keys: readonly string[]): SQL {
  const columns = compiled.columns.map((c, i) => sql`${ident(c.ident)} as ${ident(keys[i] ?? c.ident)}`);
  return sql`${compiled.with}select ${sql.join([ident(ROW_IDENT), ...columns], sql`, `)} from ${compiled.final}`;
}

/** The data sets the steps join, by id: what has to be resolved (with the caller's rights) before compiling. */
export function joinedDatasetIds(steps: readonly Step[]): string[] {
  return [...new Set(steps.flatMap((step) => (step.type === "join" ? [step.datasetId] : [])))];
}
