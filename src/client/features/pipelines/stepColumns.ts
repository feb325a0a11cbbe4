import type { DatasetColumn, Step } from "../../../shared/schemas/pipelines";
import {
  type ScopeColumn,
  type StepContext,
  columnsAtEachStep as sharedColumnsAtEachStep,
} from "../../../shared/steps";

export type { ScopeColumn, ScopeType } from "../../../shared/steps";

const NOTHING_JOINED: StepContext = { datasetColumns: () => undefined };

/**
 * The columns each step can use: `result[i]` is what step i sees, the last entry is the
 * output. The rules are the server's (src/shared/steps); the server is still the judge (it
 * type-checks every step): this only lets the builder offer the right column names in its
 * pickers while the user edits, without a round trip. `context` gives the columns of the
 * data sets join steps read, once loaded.
 */
export function columnsAtEachStep(
  input: readonly DatasetColumn[],
  steps: readonly Step[],
  context: StepContext = NOTHING_JOINED,
): ScopeColumn[][] {
  return sharedColumnsAtEachStep(input, steps, context);
}

/** For pickers: "amount (integer)". */
export function columnLabel(column: ScopeColumn): string {
  return column.type === "unknown" ? column.name : `${column.name} (${column.type})`;
}
