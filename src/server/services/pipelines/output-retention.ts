import type { Actor } from "../../../shared/events.js";
import type { EventBus } from "../../core/events/index.js";
import type { Executor } from "../../db/database.js";
import type { DatasetTablesRepository } from "../../repositories/dataset-tables.js";
import type { DatasetsRepository } from "../../repositories/datasets.js";
import type { StorageUsageRepository } from "../../repositories/storage-usage.js";

export interface OutputRetentionDeps {
  datasets: DatasetsRepository;
  tables: DatasetTablesRepository;
  storageUsage: StorageUsageRepository;
  events: EventBus;
}

/**
 * SCHEDULED_OUTPUT_RETENTION: a schedule makes a new output every time it fires, so once one
 * succeeds, that pipeline's scheduled outputs beyond the newest `keep` are dropped, table and
 * data set row, in the run's own transaction (they go only if the new one is kept). Only that
 * pipeline's scheduled outputs of the same owner are candidates, and never one another pipeline
 * reads or a run in progress is reading (StorageUsageRepository.prunableScheduledOutputs).
 * Returns the ids dropped.
 */
export async function pruneScheduledOutputs(
  tx: Executor,
  deps: OutputRetentionDeps,
  scope: { pipelineId: string; ownerId: string; newest: string; keep: number },
  actor: Actor,
): Promise<string[]> {
  const old = await deps.storageUsage.prunableScheduledOutputs(tx, scope);
  for (const output of old) {
    if (!(await deps.datasets.delete(tx, output.id))) continue;
    await deps.tables.drop(tx, output.tableName);
    await deps.events.publish(tx, "dataset.deleted", { datasetId: output.id, ownerId: scope.ownerId }, actor);
  }
  return old.map((output) => output.id);
}
