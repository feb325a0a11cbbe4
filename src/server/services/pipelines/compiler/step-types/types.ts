import type { SQL } from "drizzle-orm";
import type { ColumnType, Step, StepType } from "../../../../../shared/schemas/pipelines.js";
import type { StepOf } from "../../../../../shared/steps/index.js";
import type { ScopeColumn } from "../sql-values.js";

/** A step that does not fit its input: `field` is the step's input field at fault ("column", "value"). */
export class StepError extends Error {
  override name = "StepError";
  constructor(
    readonly index: number,
    readonly stepType: Step["type"],
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** A stored data set as the compiler reads it: its table and its columns under their SQL keys. */
export interface DatasetInput {
  table: string;
  columns: ReadonlyArray<{ name: string; key: string; type: ColumnType }>;
}

/** What a step module gets: the relation before it, its columns, and helpers that fail on the step's fields. */
export interface StepScope {
  index: number;
  /** The relation before the step: the input table or the previous layer. */
  from: SQL;
  columns: readonly ScopeColumn[];
  fail(field: string, message: string): StepError;
  /** The column named `name` at this step, or a StepError on `field`. */
  find(name: string, field: string): ScopeColumn;
  /** A StepError on `field` when `name` is taken among `others` (the step's input columns by default). */
  ensureNew(name: string, field: string, others?: readonly ScopeColumn[]): void;
  /** A fresh SQL identifier for a column the step creates. */
  newIdent(): string;
  /** `__row, c1, c2…`: the columns' identifiers for a select list. */
  list(columns: readonly ScopeColumn[]): SQL;
  /** Adds a layer the step needs before its own (a CTE) and returns its name. */
  layer(body: SQL): SQL;
  /** Another data set the steps read (join), resolved with the caller's rights before compiling. */
  dataset(id: string): DatasetInput | undefined;
  /** Previews read only this many rows of each data set (see PipelineInput.firstRows). */
  firstRows: number | undefined;
  /** The most rows a join may make (PIPELINE_JOIN_MAX_ROWS). */
  joinMaxRows: number;
}

/**
 * What a step makes: a new layer (`select`, a query over `scope.from`) with its columns, only new
 * names for the same relation (`select` absent), or nothing at all (undefined).
 */
export type StepResult = { select?: SQL; columns: ScopeColumn[] } | undefined;

/** One step type's SQL and output columns. Its shared rules (label, builder typing) are in src/shared/steps. */
export interface StepModule<T extends StepType> {
  compile(step: StepOf<T>, scope: StepScope): StepResult;
}
