import type { ColumnType, DatasetColumn, Step, StepType } from "../schemas/pipelines.js";

/**
 * The rules of each step type that the builder and the server share: what it is called, how a
 * new one starts, how it reads in one line, and which columns come out of it. One module per
 * step type (`./filter.ts`, …, `./join.ts`); the server's SQL for each lives beside its
 * compiler (src/server/services/pipelines/compiler/steps/). No schema library here: the
 * browser bundle imports these.
 */

/** A derived column's type is only known once the server has compiled the expression. */
export type ScopeType = ColumnType | "unknown";

export interface ScopeColumn {
  name: string;
  type: ScopeType;
}

export type StepOf<T extends StepType> = Extract<Step, { type: T }>;

/** What a step may look up beyond its input: the columns of another data set (join), when known. */
export interface StepContext {
  datasetColumns(datasetId: string): readonly DatasetColumn[] | undefined;
}

export interface StepRules<S extends Step> {
  /** For the "add a step" menu and a step's heading: "Filter rows". */
  label: string;
  /** A new step, filled in with the columns at that point so it is nearly valid at once. */
  blank(columns: readonly string[]): S;
  /** One line saying what the step does: "amount > 10". */
  describe(step: S): string;
  /**
   * The columns after the step, for the builder's pickers. The server is the judge (it
   * type-checks every step); a step that does not fit yet changes as little as it can, so later
   * steps keep their choices.
   */
  columnsAfter(columns: readonly ScopeColumn[], step: S, context: StepContext): ScopeColumn[];
}

export const listNames = (names: readonly string[]) => names.join(", ");

export const findColumn = <C extends { name: string }>(columns: readonly C[], name: string | undefined) =>
  columns.find((column) => column.name === name);
