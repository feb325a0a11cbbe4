import { rm } from "node:fs/promises";
import type { EventBus } from "../../core/events/index.js";
import type { Logger } from "../../core/logger.js";
import { addJob } from "../../core/queue/job-outbox.js";
import type { JobContext, JobQueue } from "../../core/queue/port.js";
import type { Database } from "../../db/database.js";
import type { DatasetImportsRepository, ImportRecord } from "../../repositories/dataset-imports.js";
import type { DatasetTablesRepository } from "../../repositories/dataset-tables.js";
import type { DatasetsRepository } from "../../repositories/datasets.js";
import type { ImportJobProgress } from "./datasets-service.js";
import { charsetFor } from "./import/charset.js";
import { ImportDataError } from "./import/errors.js";
import { Importer } from "./import/importer.js";
import { IMPORT_ATTEMPTS, importJobId } from "./job-names.js";
import { isPermanent } from "./sql-failures.js";
import { QuotaExceededError, type StorageQuota } from "./storage-quota.js";

export interface ImportJobDeps {
  db: Database;
  events: EventBus;
  queue: JobQueue;
  logger: Logger;
  datasets: DatasetsRepository;
  imports: DatasetImportsRepository;
  tables: DatasetTablesRepository;
  sampleRows: number;
  quota: StorageQuota;
  sampleBytes: number;
  recordMaxBytes: number;
}

const WORKER = { kind: "system", id: "import-worker" } as const;
const PROGRESS_INTERVAL_MS = 200;

/**
 * The `dataset.import` job: loads the uploaded file, then in one transaction marks the data set
 * ready, the import succeeded and publishes `dataset.imported`. Bad data fails the import for
 * good (`dataset.import_failed`, no table left); anything else is retried with backoff, and the
 * retry starts over from the file (the half-loaded table of a crashed attempt is dropped first).
 */
export class ImportJob {
  private readonly importer: Importer;

  constructor(private readonly deps: ImportJobDeps) {
    this.importer = new Importer(deps.tables);
  }

  async handle(job: JobContext<{ importId: string }>): Promise<unknown> {
    const { imports, datasets, events, db } = this.deps;
    const record = await imports.findById(db, job.data.importId);
    if (!record || record.status === "succeeded" || record.status === "failed") return { skipped: true };
    const dataset = await datasets.findById(db, record.datasetId);
    if (!dataset) return { skipped: true };
    await imports.transition(db, record.id, ["queued", "running"], {
      status: "running",
      startedAt: record.startedAt ?? new Date(),
      attempts: record.attempts + 1,
    });

    const charset = charsetFor(record.charset);
    if (!charset) return this.fail(record, `Unsupported charset ${record.charset}.`);
    let lastReport = 0;
    const report = (progress: ImportJobProgress, force = false) => {
      const now = Date.now();
      if (!force && now - lastReport < PROGRESS_INTERVAL_MS) return;
      lastReport = now;
      job
        .reportProgress({ ...progress })
        .catch((error: unknown) => this.deps.logger.debug({ err: error }, "import progress"));
    };

    try {
      const outcome = await this.importer.run(
        {
          path: record.uploadPath,
          format: record.format,
          charset,
          skipInvalid: record.skipInvalid,
          typeHints: record.typeHints,
          table: dataset.tableName,
          sampleRows: this.deps.sampleRows,
          sampleBytes: this.deps.sampleBytes,
          recordMaxBytes: this.deps.recordMaxBytes,
        },
        (progress) => report({ ...progress, bytesTotal: record.bytesTotal }, progress.phase === "inspecting"),
        job.signal,
      );
      job.signal.throwIfAborted();
      report(
        { phase: "finishing", bytesDone: record.bytesTotal, bytesTotal: record.bytesTotal, rowsDone: outcome.rowCount },
        true,
      );
      await db.transaction(async (tx) => {
        // First, so that quota decisions of this owner wait for one another (see StorageQuota).
        await this.deps.quota.lock(tx, record.ownerId);
        const finished = await imports.transition(tx, record.id, ["running"], {
          status: "succeeded",
          rowsImported: outcome.rowCount,
          skippedRows: outcome.skippedRows,
          badRows: outcome.badRows,
          finishedAt: new Date(),
        });
        if (!finished) return;
        await datasets.transition(tx, dataset.id, "importing", {
          status: "ready",
          columns: outcome.columns,
          rowCount: outcome.rowCount,
        });
        // The file was counted until now; the table may take more. Over the quota, nothing is kept.
        await this.deps.quota.admit(tx, record.ownerId, dataset, "imported table");
        await events.publish(
          tx,
          "dataset.imported",
          {
            datasetId: dataset.id,
            importId: record.id,
            ownerId: record.ownerId,
            rowCount: outcome.rowCount,
            columns: outcome.columns.length,
            skippedRows: outcome.skippedRows,
          },
          WORKER,
        );
      });
      await rm(record.uploadPath, { force: true });
      return { rows: outcome.rowCount, skipped: outcome.skippedRows };
    } catch (error) {
      if (error instanceof ImportDataError) return this.fail(record, error.reason, error.line);
      if (error instanceof QuotaExceededError) return this.fail(record, error.message);
      // The database refused the data in a way not explained above: a retry would be refused too.
      if (isPermanent(error)) {
        this.deps.logger.warn({ err: error, importId: record.id }, "import refused by the database");
        return this.fail(record, "The database refused the file's data; check its values and upload it again.");
      }
      // Canceled or interrupted: the queue decides what happens next (interrupted jobs run again).
      if (job.signal.aborted) throw error;
      if (job.attempt >= IMPORT_ATTEMPTS) {
        this.deps.logger.error({ err: error, importId: record.id }, "import failed for good");
        await this.fail(record, "The import could not be completed because of a server problem. Please upload again.");
      }
      throw error;
    }
  }

  /**
   * After a restart: an unfinished import whose job is gone (the in-process queue forgets its
   * jobs) is queued again, from its file; one whose job ended without recording it is failed.
   */
  async recover(): Promise<void> {
    const { imports, queue, db } = this.deps;
    for (const record of await imports.unfinished(db)) {
      const job = await queue.getJob(importJobId(record.id));
      if (!job) {
        // Through the job outbox like every import job: the job id is the import's, so a row
        // still waiting there from before the restart and this one make a single job.
        await addJob(
          db,
          "dataset.import",
          { importId: record.id },
          { idempotencyKey: record.id, attempts: IMPORT_ATTEMPTS },
        );
      } else if (job.state === "failed" || job.state === "canceled" || job.state === "completed") {
        await this.fail(record, job.failedReason ? `The import stopped: ${job.failedReason}` : "The import stopped.");
      }
    }
  }

  private async fail(record: ImportRecord, message: string, line?: number): Promise<{ failed: string }> {
    const { imports, datasets, events, tables, db } = this.deps;
    const dataset = await datasets.findById(db, record.datasetId);
    await db.transaction(async (tx) => {
      const failed = await imports.transition(tx, record.id, ["queued", "running"], {
        status: "failed",
        error: message,
        errorLine: line ?? null,
        finishedAt: new Date(),
      });
      if (!failed) return;
      if (dataset) {
        // Keep nothing of a failed import: the data set stays, empty and marked failed, to say why.
        await tables.drop(tx, dataset.tableName);
        await datasets.transition(tx, dataset.id, "importing", {
          status: "failed",
          error: line === undefined ? message : `Line ${line}: ${message}`,
        });
      }
      await events.publish(
        tx,
        "dataset.import_failed",
        {
          datasetId: record.datasetId,
          importId: record.id,
          ownerId: record.ownerId,
          error: message,
          ...(line === undefined ? {} : { line }),
        },
        WORKER,
      );
    });
    await rm(record.uploadPath, { force: true });
    return { failed: message };
  }
}
