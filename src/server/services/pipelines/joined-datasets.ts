import type { Step } from "../../../shared/schemas/pipelines.js";
import type { DatasetRecord } from "../../repositories/datasets.js";
import { DomainError } from "../errors.js";
import { assertReadable, type PipelineActor } from "./access.js";
import { stepFailure } from "./check-steps.js";
import { StepError } from "./compiler/steps.js";

/**
 * The data sets a pipeline's join steps read, by id, each found by `readable`: undefined for a
 * data set that does not exist *or* that the one the pipeline acts for may not read, so both
 * are refused with the same words (no one learns that someone else's data set exists). Called
 * whenever steps are checked or run: a scheduled run or a rerun resolves them anew, with its
 * owner's rights at that moment, and fails cleanly when one was deleted or access was lost.
 */
export async function resolveJoined(
  steps: readonly Step[],
  readable: (id: string) => Promise<DatasetRecord | undefined>,
): Promise<Map<string, DatasetRecord>> {
  const joined = new Map<string, DatasetRecord>();
  for (const [index, step] of steps.entries()) {
    if (step.type !== "join" || joined.has(step.datasetId)) continue;
    const fail = (message: string) => stepFailure(new StepError(index, "join", "datasetId", message));
    const dataset = await readable(step.datasetId);
    if (!dataset) throw fail("The data set to join does not exist.");
    if (dataset.status !== "ready") throw fail(`The data set to join ("${dataset.name}") is not ready.`);
    joined.set(step.datasetId, dataset);
  }
  return joined;
}

/** `readable` for someone: the data set when `actor` may read it (as `datasets.byId` decides), else undefined. */
export function readableBy(
  actor: PipelineActor,
  find: (id: string) => Promise<DatasetRecord | undefined>,
): (id: string) => Promise<DatasetRecord | undefined> {
  return async (id) => {
    try {
      return assertReadable(actor, "datasets", "Data set", await find(id));
    } catch (error) {
      if (error instanceof DomainError && error.code === "NOT_FOUND") return undefined;
      throw error;
    }
  };
}
