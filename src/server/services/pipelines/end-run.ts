import type { Actor } from "../../../shared/events.js";
import type { EventBus } from "../../core/events/index.js";
import type { Executor } from "../../db/database.js";
import type { PipelineRunsRepository, RunRecord } from "../../repositories/pipeline-runs.js";

/** What a run that could not be completed says, when the cause is ours rather than the pipeline's. */
export const RUN_SERVER_PROBLEM = "The run could not be completed because of a server problem.";

export type RunEnding = { status: "canceled" } | { status: "failed"; error: string };

/**
 * Ends a run as canceled or failed and publishes the matching event, in the caller's
 * transaction. Only a run still in one of `from` changes, so of two endings racing (a cancel
 * and a failure, two workers) exactly one wins and one event is published; the loser gets
 * undefined.
 */
export async function endRun(
  tx: Executor,
  deps: { runs: PipelineRunsRepository; events: EventBus },
  run: Pick<RunRecord, "id" | "pipelineId">,
  ending: RunEnding,
  actor: Actor,
  options: { from?: RunRecord["status"][]; at?: Date; cancelRequested?: boolean } = {},
): Promise<RunRecord | undefined> {
  const at = options.at ?? new Date();
  const ended = await deps.runs.transition(tx, run.id, options.from ?? ["queued", "running"], {
    ...(ending.status === "failed" ? { status: "failed", error: ending.error } : { status: "canceled" }),
    ...(options.cancelRequested ? { cancelRequestedAt: at } : {}),
    finishedAt: at,
  });
  if (!ended) return undefined;
  const ids = { runId: run.id, pipelineId: run.pipelineId };
  if (ending.status === "failed") {
    await deps.events.publish(tx, "pipeline.run_failed", { ...ids, error: ending.error }, actor);
  } else {
    await deps.events.publish(tx, "pipeline.run_canceled", ids, actor);
  }
  return ended;
}
