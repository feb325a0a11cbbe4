import { randomUUID } from "node:crypto";
import type { EventBus } from "../../core/events/index.js";
import type { Logger } from "../../core/logger.js";
import { JobCanceledError } from "../../core/queue/errors.js";
import type { JobContext } from "../../core/queue/port.js";
import type { Database, Executor } from "../../db/database.js";
import type { StoredColumn } from "../../db/schema/pipelines.js";
import type { DatasetTablesRepository } from "../../repositories/dataset-tables.js";
import type { DatasetsRepository } from "../../repositories/datasets.js";
import type { PipelineRunsRepository, RunRecord } from "../../repositories/pipeline-runs.js";
import type { PipelinesRepository } from "../../repositories/pipelines.js";
import type { StorageUsageRepository } from "../../repositories/storage-usage.js";
import type { UsersRepository } from "../../repositories/users.js";
import { DomainError } from "../errors.js";
import { checkSteps } from "./check-steps.js";
import { sqlKeyFor } from "./column-names.js";
import { outputSelect } from "./compiler/steps.js";
import { endRun, RUN_SERVER_PROBLEM, type RunEnding } from "./end-run.js";
import { RUN_ATTEMPTS } from "./job-names.js";
import { readableBy, resolveJoined } from "./joined-datasets.js";
import { pruneScheduledOutputs } from "./output-retention.js";
import type { RunJobProgress } from "./runs-service.js";
import { isPermanent, runFailureMessage } from "./sql-failures.js";
import { QuotaExceededError, type StorageQuota } from "./storage-quota.js";

export interface RunExecutorDeps {
  db: Database;
  events: EventBus;
  logger: Logger;
  pipelines: PipelinesRepository;
  runs: PipelineRunsRepository;
  datasets: DatasetsRepository;
  tables: DatasetTablesRepository;
  storageUsage: StorageUsageRepository;
  quota: StorageQuota;
  /** SCHEDULED_OUTPUT_RETENTION */
  keepScheduledOutputs: number;
  /** Time limit of the run's statement (PIPELINE_RUN_TIMEOUT_MS). */
  runTimeoutMs: number;
  /** PIPELINE_JOIN_MAX_ROWS */
  joinMaxRows: number;
  users: UsersRepository;
}

const WORKER = { kind: "system", id: "pipeline-worker" } as const;
const PROGRESS_INTERVAL_MS = 500;

/** The run is over already (another attempt finished it, or it was canceled): roll back quietly. */
class RunSettled extends Error {}

/**
 * The `pipeline.run` job. All steps are one SQL statement over the input's typed table, written
 * as a new table by `create table ... as`; that table, the output data set's row and the run's
 * success commit in one transaction. So a worker killed mid-run leaves nothing behind, and the
 * retry (on another worker, after the lock expires) does the whole run again: never two outputs,
 * because the success update only applies to a run still `running` and not asked to cancel.
 */
export class RunExecutor {
  constructor(private readonly deps: RunExecutorDeps) {}

  async handle(job: JobContext<{ runId: string }>): Promise<unknown> {
    const { runs, db } = this.deps;
    const run = await runs.findById(db, job.data.runId);
    if (!run || run.status === "succeeded" || run.status === "failed" || run.status === "canceled") {
      return { skipped: true };
    }
    if (run.cancelRequestedAt) return this.cancel(run);

    const pipeline = await this.deps.pipelines.findById(db, run.pipelineId);
    const input = run.inputDatasetId ? await this.deps.datasets.findById(db, run.inputDatasetId) : undefined;
    if (!pipeline || !input) return this.fail(run, "The pipeline or its data set was deleted.");
    if (input.status !== "ready") return this.fail(run, "The data set is not ready.");
    let compiled: ReturnType<typeof checkSteps>;
    try {
      // Joined data sets are looked up now, with the owner's rights now: one deleted, or no longer
      // theirs to read, fails the run with the words a preview would use.
      const owner = await this.deps.users.findById(db, run.ownerId);
      const readable = owner
        ? readableBy({ id: owner.id, role: owner.role }, (id) => this.deps.datasets.findById(db, id))
        : async () => undefined;
      const joined = await resolveJoined(run.steps, readable);
      compiled = checkSteps({ dataset: input, joined }, run.steps, { joinMaxRows: this.deps.joinMaxRows });
      // Not worth computing an output that cannot be kept (the exact check comes at the end).
      await this.deps.quota.assertNotFull(db, run.ownerId);
    } catch (error) {
      if (error instanceof DomainError) return this.fail(run, error.message);
      throw error;
    }

    const started = await db.transaction(async (tx) => {
      const next = await runs.transition(tx, run.id, ["queued", "running"], {
        status: "running",
        attempts: run.attempts + 1,
        startedAt: run.startedAt ?? new Date(),
        rowsTotal: input.rowCount,
      });
      if (next) {
        await this.deps.events.publish(
          tx,
          "pipeline.run_started",
          { runId: run.id, pipelineId: run.pipelineId, attempt: next.attempts },
          WORKER,
        );
      }
      return next;
    });
    if (!started) return { skipped: true };

    const outputId = randomUUID();
    const table = this.deps.tables.tableNameFor(outputId);
    const taken = new Set<string>();
    const columns: StoredColumn[] = compiled.columns.map((c) => ({
      name: c.name,
      type: c.type,
      key: sqlKeyFor(c.name, taken),
    }));
    const select = outputSelect(
      compiled,
      columns.map((c) => c.key),
    );

    const stopProgress = await this.reportWhileRunning(job, run, input.rowCount ?? 0);
    const begun = performance.now();
    let cancelRunning: (() => Promise<void>) | undefined;
    const cancelStatement = () => {
      cancelRunning?.().catch((error: unknown) => this.deps.logger.warn({ err: error }, "cancel"));
    };
    job.signal.addEventListener("abort", cancelStatement);
    try {
      const outputRows = await db.transaction(async (tx) => {
        await this.deps.tables.applyUserStatementLimits(tx, this.deps.runTimeoutMs);
        cancelRunning = await this.deps.tables.cancellable(tx);
        job.signal.throwIfAborted();
        const rows = await this.deps.tables.createAs(tx, table, select);
        // A driver that cannot interrupt a statement (PGlite): a cancel that came meanwhile takes effect here.
        job.signal.throwIfAborted();
        cancelRunning = undefined;
        await this.deps.datasets.insert(tx, {
          id: outputId,
          ownerId: run.ownerId,
          name: `${pipeline.name} (run ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC)`,
          status: "ready",
          source: "pipeline",
          tableName: table,
          columns,
          rowCount: rows,
          sourceRunId: run.id,
        });
        await this.keepWithinLimits(tx, run, outputId, table);
        const finished = await runs.transition(
          tx,
          run.id,
          ["running"],
          { status: "succeeded", outputDatasetId: outputId, outputRows: rows, finishedAt: new Date(), error: null },
          { notCancelRequested: true },
        );
        if (!finished) throw new RunSettled();
        await this.deps.events.publish(
          tx,
          "pipeline.run_succeeded",
          {
            runId: run.id,
            pipelineId: run.pipelineId,
            outputDatasetId: outputId,
            outputRows: rows,
            durationMs: Math.round(performance.now() - begun),
          },
          WORKER,
        );
        return rows;
      });
      return { outputDatasetId: outputId, outputRows };
    } catch (error) {
      if (error instanceof QuotaExceededError) return this.fail(run, error.message);
      if (error instanceof RunSettled) {
        const now = await runs.findById(db, run.id);
        if (now?.status === "running" && now.cancelRequestedAt) return this.cancel(now);
        return { skipped: true };
      }
      if (job.signal.aborted) {
        if (job.signal.reason instanceof JobCanceledError) await this.cancel(run);
        // Interrupted (shutdown, lost lock): the run stays `running` and its job runs again.
        throw error;
      }
      if (isPermanent(error)) {
        // The database's own words (with internal table names) are for the log, not the user.
        this.deps.logger.warn({ err: error, runId: run.id }, "pipeline run refused by the database");
        return this.fail(run, runFailureMessage(error, run.steps, this.deps));
      }
      if (job.attempt >= RUN_ATTEMPTS) {
        this.deps.logger.error({ err: error, runId: run.id }, "pipeline run failed for good");
        await this.fail(run, RUN_SERVER_PROBLEM);
      }
      throw error;
    } finally {
      job.signal.removeEventListener("abort", cancelStatement);
      stopProgress();
    }
  }

  /**
   * Once the output is written: a scheduled run's older outputs beyond SCHEDULED_OUTPUT_RETENTION
   * go, then the owner's limits are checked with the new output in and those out. Throws
   * QuotaExceededError (rolling the whole run back) when it does not fit.
   */
  private async keepWithinLimits(tx: Executor, run: RunRecord, outputId: string, table: string): Promise<void> {
    const { quota } = this.deps;
    // Before any delete: two runs of one owner pruning the same rows at once could deadlock.
    await quota.lock(tx, run.ownerId);
    if (run.trigger === "schedule") {
      const scope = { pipelineId: run.pipelineId, ownerId: run.ownerId, newest: outputId };
      await pruneScheduledOutputs(tx, this.deps, { ...scope, keep: this.deps.keepScheduledOutputs }, WORKER);
    }
    await quota.admit(tx, run.ownerId, { id: outputId, tableName: table }, "output");
  }

  /**
   * One statement cannot say how far it got, so while it runs the percent is an estimate from
   * elapsed time and the last successful run's speed (or a default), flagged `estimated`.
   */
  private async reportWhileRunning(
    job: JobContext<{ runId: string }>,
    run: RunRecord,
    rows: number,
  ): Promise<() => void> {
    const last = await this.deps.runs.lastSucceeded(this.deps.db, run.pipelineId);
    const lastMs = last?.startedAt && last.finishedAt ? last.finishedAt.getTime() - last.startedAt.getTime() : 0;
    const rate =
      last?.rowsTotal && lastMs > 0 ? last.rowsTotal / (lastMs / 1000) : this.deps.tables.firstRunRowsPerSecond;
    const expectedMs = Math.max(200, (rows / rate) * 1000);
    const began = Date.now();
    const progress = (): RunJobProgress => ({
      percent: Math.min(95, Math.round(5 + (90 * (Date.now() - began)) / expectedMs)),
      estimated: true,
    });
    // The first report is awaited: watchers see the run under way before the statement starts.
    await job.reportProgress({ ...progress() }).catch(() => undefined);
    const send = () => {
      job.reportProgress({ ...progress() }).catch(() => undefined);
    };
    const timer = setInterval(send, PROGRESS_INTERVAL_MS);
    return () => clearInterval(timer);
  }

  private async cancel(run: RunRecord): Promise<{ status: "canceled" }> {
    await this.end(run, { status: "canceled" });
    return { status: "canceled" };
  }

  private async fail(run: RunRecord, message: string): Promise<{ status: "failed"; error: string }> {
    await this.end(run, { status: "failed", error: message });
    return { status: "failed", error: message };
  }

  private async end(run: RunRecord, ending: RunEnding): Promise<void> {
    await this.deps.db.transaction((tx) => endRun(tx, this.deps, run, ending, WORKER));
  }
}
