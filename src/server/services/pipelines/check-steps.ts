import type { DatasetColumn, Step } from "../../../shared/schemas/pipelines.js";
import type { DatasetRecord } from "../../repositories/datasets.js";
import { DomainError } from "../errors.js";
import { type CompiledPipeline, compilePipeline, StepError } from "./compiler/steps.js";

/**
 * Type-checks steps against a data set by compiling them. A step that does not fit is a
 * BAD_REQUEST naming the step, with the field at fault keyed like the input (`steps.2.column`),
 * so the builder can show the error on the step that causes it.
 */
export function checkSteps(
  dataset: DatasetRecord,
  steps: readonly Step[],
  options: { firstRows?: number } = {},
): CompiledPipeline {
  try {
    return compilePipeline({ table: dataset.tableName, columns: dataset.columns, firstRows: options.firstRows }, steps);
  } catch (error) {
    if (!(error instanceof StepError)) throw error;
    const message = `Step ${error.index + 1} (${error.stepType}): ${error.message}`;
    throw new DomainError("BAD_REQUEST", message, {
      fieldErrors: { [`steps.${error.index}.${error.field}`]: [error.message] },
    });
  }
}

/** The output columns of steps over a data set, or none when they no longer fit it. */
export function outputColumnsOf(dataset: DatasetRecord | undefined, steps: readonly Step[]): DatasetColumn[] {
  if (dataset?.status !== "ready") return [];
  try {
    return compilePipeline({ table: dataset.tableName, columns: dataset.columns }, steps).columns.map(
      ({ name, type }) => ({ name, type }),
    );
  } catch {
    return [];
  }
}
