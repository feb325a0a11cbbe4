import type { DatasetColumn, Step } from "../../../shared/schemas/pipelines.js";
import type { DatasetRecord } from "../../repositories/datasets.js";
import { DomainError } from "../errors.js";
import { type CompiledPipeline, compilePipeline, StepError } from "./compiler/steps.js";

/** The data sets a pipeline reads: its input, and those its join steps read, by id. */
export interface StepInputs {
  dataset: DatasetRecord;
  joined: ReadonlyMap<string, DatasetRecord>;
}

export interface CheckOptions {
  /** Previews: read only this many rows of each data set. */
  firstRows?: number | undefined;
  /** PIPELINE_JOIN_MAX_ROWS, for a statement that will run. */
  joinMaxRows?: number | undefined;
}

/** A step that does not fit, as the BAD_REQUEST the caller sees: keyed like the input (`steps.2.column`). */
export function stepFailure(error: StepError): DomainError {
  return new DomainError("BAD_REQUEST", `Step ${error.index + 1} (${error.stepType}): ${error.message}`, {
    fieldErrors: { [`steps.${error.index}.${error.field}`]: [error.message] },
  });
}

/**
 * Type-checks steps against their data sets by compiling them. A step that does not fit is a
 * BAD_REQUEST naming the step, with the field at fault keyed like the input (`steps.2.column`),
 * so the builder can show the error on the step that causes it.
 */
export function checkSteps(inputs: StepInputs, steps: readonly Step[], options: CheckOptions = {}): CompiledPipeline {
  try {
    return compilePipeline(
      {
        table: inputs.dataset.tableName,
        columns: inputs.dataset.columns,
        others: new Map([...inputs.joined].map(([id, d]) => [id, { table: d.tableName, columns: d.columns }])),
        ...options,
      },
      steps,
    );
  } catch (error) {
    if (!(error instanceof StepError)) throw error;
    throw stepFailure(error);
  }
}

/** The output columns of steps over their data sets, or none when they no longer fit (or one is gone). */
export function outputColumnsOf(inputs: Partial<StepInputs>, steps: readonly Step[]): DatasetColumn[] {
  const { dataset, joined = new Map() } = inputs;
  if (dataset?.status !== "ready") return [];
  try {
    return checkSteps({ dataset, joined }, steps).columns.map(({ name, type }) => ({ name, type }));
  } catch {
    return [];
  }
}
