import type { Config } from "../../config.js";
import type { EventBus } from "../../core/events/index.js";
import type { Logger } from "../../core/logger.js";
import type { JobHandlers, JobQueue } from "../../core/queue/port.js";
import type { Database } from "../../db/database.js";
import { DatasetImportsRepository } from "../../repositories/dataset-imports.js";
import { type BulkDriver, DatasetTablesRepository } from "../../repositories/dataset-tables.js";
import { DatasetsRepository } from "../../repositories/datasets.js";
import { PipelineRunsRepository } from "../../repositories/pipeline-runs.js";
import { PipelinesRepository } from "../../repositories/pipelines.js";
import { StorageUsageRepository } from "../../repositories/storage-usage.js";
import { UsersRepository } from "../../repositories/users.js";
import { type CsvExports, DatasetsService } from "./datasets-service.js";
import { ImportJob } from "./import-job.js";
import "./job-names.js";
import { PipelinesService, type PreviewBounds } from "./pipelines-service.js";
import { RunExecutor } from "./run-executor.js";
import { RunsService } from "./runs-service.js";
import { StorageQuota } from "./storage-quota.js";

/** The data pipelines feature as the API sees it (`deps.pipelines`). */
export interface Pipelines {
  datasets: DatasetsService;
  definitions: PipelinesService;
  runs: RunsService;
}

/** Plus what only worker processes use. */
export interface PipelinesModule extends Pipelines {
  importJob: ImportJob;
  executor: RunExecutor;
}

export function createPipelines(options: {
  config: Config;
  db: Database;
  /** The driver's COPY and statement cancelling (db/bulk), chosen by the composition root. */
  bulk: BulkDriver;
  /** CSV exports within their limits (db/copy-exports.ts), which shutdown ends. */
  exports: CsvExports;
  events: EventBus;
  queue: JobQueue;
  logger: Logger;
  /** Tighter (or looser) preview bounds than the defaults, for tests. */
  preview?: Partial<PreviewBounds>;
}): PipelinesModule {
  const { config, db, events, queue, exports } = options;
  const logger = options.logger.child({ component: "pipelines" });
  const repositories = {
    datasets: new DatasetsRepository(),
    imports: new DatasetImportsRepository(),
    pipelines: new PipelinesRepository(),
    runs: new PipelineRunsRepository(),
    tables: new DatasetTablesRepository(options.bulk),
    users: new UsersRepository(),
    storageUsage: new StorageUsageRepository(),
  };
  const quota = new StorageQuota(repositories.storageUsage, config.pipelines.quota);
  const datasets = new DatasetsService({
    db,
    events,
    queue,
    ...repositories,
    logger,
    dataDir: config.dataDir,
    uploadMaxBytes: config.pipelines.uploadMaxBytes,
    uploadsMaxConcurrentPerUser: config.pipelines.uploadsMaxConcurrentPerUser,
    quota,
    exports,
    escapeFormulas: config.exports.escapeFormulas,
  });
  const shared = {
    db,
    events,
    queue,
    logger,
    pipelines: repositories.pipelines,
    runs: repositories.runs,
    datasets: repositories.datasets,
    datasetsService: datasets,
    quota,
  };
  return {
    datasets,
    definitions: new PipelinesService({
      ...shared,
      tables: repositories.tables,
      preview: { timeoutMs: config.pipelines.previewTimeoutMs, ...options.preview },
      joinMaxRows: config.pipelines.joinMaxRows,
      scheduleRules: {
        minIntervalMinutes: config.pipelines.scheduleMinIntervalMinutes,
        keepOutputs: config.pipelines.scheduledOutputRetention,
      },
    }),
    runs: new RunsService({ ...shared, users: repositories.users }),
    importJob: new ImportJob({
      db,
      events,
      queue,
      logger,
      datasets: repositories.datasets,
      imports: repositories.imports,
      tables: repositories.tables,
      sampleRows: config.pipelines.importSampleRows,
      quota,
      sampleBytes: config.pipelines.importSampleBytes,
      recordMaxBytes: config.pipelines.importRecordMaxBytes,
    }),
    executor: new RunExecutor({
      ...shared,
      tables: repositories.tables,
      storageUsage: repositories.storageUsage,
      keepScheduledOutputs: config.pipelines.scheduledOutputRetention,
      runTimeoutMs: config.pipelines.runTimeoutMs,
      joinMaxRows: config.pipelines.joinMaxRows,
      users: repositories.users,
    }),
  };
}

export function pipelineJobHandlers(
  module: PipelinesModule,
): Pick<JobHandlers, "dataset.import" | "pipeline.run" | "pipeline.scheduled"> {
  return {
    "dataset.import": (job) => module.importJob.handle(job),
    "pipeline.run": (job) => module.executor.handle(job),
    "pipeline.scheduled": async (job) => {
      const run = await module.runs.runScheduled(job.data.pipelineId, job.id);
      return { runId: run?.id ?? null };
    },
  };
}

/**
 * For worker processes, once they consume: picks up imports and runs a restart left behind
 * and registers the saved schedules again.
 */
export async function startPipelineWorkers(module: PipelinesModule): Promise<void> {
  await module.importJob.recover();
  await module.runs.recover();
  await module.definitions.restoreSchedules();
}
