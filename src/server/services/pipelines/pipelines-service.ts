import { type Caller, ownerFilter } from "../../../shared/ownership.js";
import { can } from "../../../shared/permissions.js";
import type { ListQuery, Page } from "../../../shared/schemas/list.js";
import type { PipelineView, PreviewResult, ScheduleRules, Step } from "../../../shared/schemas/pipelines.js";
import type { EventBus } from "../../core/events/index.js";
import type { Logger } from "../../core/logger.js";
import { CronError, parseCron } from "../../core/queue/cron.js";
import type { JobQueue } from "../../core/queue/port.js";
import type { Database } from "../../db/database.js";
import type { DatasetTablesRepository } from "../../repositories/dataset-tables.js";
import type { DatasetsRepository } from "../../repositories/datasets.js";
import type { PipelineRunsRepository } from "../../repositories/pipeline-runs.js";
import type { PipelineListField, PipelineRecord, PipelinesRepository } from "../../repositories/pipelines.js";
import { badInput, DomainError, forbidden, notFound } from "../errors.js";
import { assertCanRead, assertCanWrite } from "../ownership.js";
import { checkSteps, outputColumnsOf, type StepInputs } from "./check-steps.js";
import { ident, outputOf, ROW_IDENT } from "./compiler/sql-values.js";
import { joinedDatasetIds } from "./compiler/steps.js";
import type { DatasetsService } from "./datasets-service.js";
import { scheduleIdFor } from "./job-names.js";
import { readableBy, resolveJoined } from "./joined-datasets.js";
import { shortestGapMinutes } from "./schedule-interval.js";
import { previewFailure } from "./sql-failures.js";
import { toPipelineView, toRows } from "./views.js";

export interface PipelinesServiceDeps {
  db: Database;
  events: EventBus;
  queue: JobQueue;
  logger: Logger;
  pipelines: PipelinesRepository;
  runs: PipelineRunsRepository;
  datasets: DatasetsRepository;
  tables: DatasetTablesRepository;
  datasetsService: DatasetsService;
  preview?: Partial<PreviewBounds> | undefined;
  scheduleRules: ScheduleRules;
  /** PIPELINE_JOIN_MAX_ROWS */
  joinMaxRows: number;
}

/**
 * How much work one preview may make. A preview is interactive and may come from a guest: on
 * PostgreSQL its statement is cut short after `timeoutMs` (PIPELINE_PREVIEW_TIMEOUT_MS); PGlite cannot interrupt a statement
 * and runs on the server's own thread, so there (and on PostgreSQL too, so both show the same
 * rows) a preview reads only the first `inputRows` rows of its data set.
 */
export interface PreviewBounds {
  timeoutMs: number;
  inputRows: number;
  /**
   * The most rows a join step makes in a preview (below PIPELINE_JOIN_MAX_ROWS): on PGlite a
   * preview that joins 10 million rows would hold the server's thread for a minute or more.
   */
  joinRows: number;
}

export const PREVIEW_BOUNDS: PreviewBounds = { timeoutMs: 10_000, inputRows: 100_000, joinRows: 1_000_000 };

/** Pipeline definitions: saved only when their steps fit their data set; previews; schedules. */
export class PipelinesService {
  private readonly bounds: PreviewBounds;

  constructor(private readonly deps: PipelinesServiceDeps) {
    this.bounds = { ...PREVIEW_BOUNDS, ...deps.preview };
  }

  private get db() {
    return this.deps.db;
  }

  async create(caller: Caller, input: { name: string; datasetId: string; steps: Step[] }): Promise<PipelineView> {
    if (!can(caller.role, "pipelines:write")) throw forbidden();
    const inputs = await this.inputsFor(caller, input.datasetId, input.steps);
    const { dataset } = inputs;
    const compiled = checkSteps(inputs, input.steps);
    const row = await this.db.transaction(async (tx) => {
      const created = await this.deps.pipelines.insert(tx, {
        ownerId: caller.id,
        name: input.name,
        datasetId: dataset.id,
        steps: input.steps,
      });
      await this.deps.events.publish(
        tx,
        "pipeline.created",
        { pipelineId: created.id, ownerId: caller.id, datasetId: dataset.id },
        { kind: "user", id: caller.id },
      );
      return created;
    });
    return toPipelineView(
      row,
      compiled.columns.map(({ name, type }) => ({ name, type })),
    );
  }

  async update(
    caller: Caller,
    input: { id: string; name?: string | undefined; datasetId?: string | undefined; steps?: Step[] | undefined },
  ): Promise<PipelineView> {
    const current = assertCanWrite(
      caller,
      "pipelines:write",
      "Pipeline",
      await this.deps.pipelines.findById(this.db, input.id),
    );
    const steps = input.steps ?? current.steps;
    const inputs = await this.inputsFor(caller, input.datasetId ?? current.datasetId, steps);
    const { dataset } = inputs;
    const compiled = checkSteps(inputs, steps);
    const fields = (["name", "datasetId", "steps"] as const).filter((field) => input[field] !== undefined);
    const row = await this.db.transaction(async (tx) => {
      const updated = await this.deps.pipelines.update(tx, current.id, {
        name: input.name ?? current.name,
        datasetId: dataset.id,
        steps,
      });
      if (!updated) throw notFound("Pipeline");
      await this.deps.events.publish(
        tx,
        "pipeline.updated",
        { pipelineId: current.id, fields },
        { kind: "user", id: caller.id },
      );
      return updated;
    });
    return toPipelineView(
      row,
      compiled.columns.map(({ name, type }) => ({ name, type })),
    );
  }

  async list(
    caller: Caller,
    query: ListQuery<PipelineListField> & { datasetId?: string | undefined },
  ): Promise<Page<PipelineView>> {
    const { datasetId, ...listQuery } = query;
    const page = await this.deps.pipelines.listScoped(this.db, listQuery, {
      ownerId: ownerFilter(caller, "pipelines"),
      datasetId: datasetId || undefined,
    });
    const ids = new Set(page.items.flatMap((p) => [p.datasetId, ...joinedDatasetIds(p.steps)]));
    const datasets = await this.deps.datasets.byIds(this.db, [...ids]);
    const byId = new Map(datasets.map((d) => [d.id, d]));
    const inputsOf = async (p: PipelineRecord): Promise<Partial<StepInputs>> => ({
      dataset: byId.get(p.datasetId),
      joined: await resolveJoined(
        p.steps,
        readableBy(caller, async (id) => byId.get(id)),
      ).catch(() => undefined),
    });
    const latest = new Map(
      (
        await this.deps.runs.latestFor(
          this.db,
          page.items.map((p) => p.id),
        )
      ).map((run) => [run.pipelineId, run]),
    );
    const items: PipelineView[] = [];
    for (const p of page.items) {
      const run = latest.get(p.id);
      items.push({
        ...toPipelineView(p, outputColumnsOf(await inputsOf(p), p.steps)),
        lastRun: run ? { id: run.id, status: run.status, createdAt: run.createdAt, finishedAt: run.finishedAt } : null,
      });
    }
    return { ...page, items };
  }

  async byId(caller: Caller, id: string): Promise<PipelineView> {
    const row = await this.readable(caller, id);
    const dataset = await this.deps.datasets.findById(this.db, row.datasetId);
    const joined = await resolveJoined(row.steps, this.readableDataset(caller)).catch(() => undefined);
    return toPipelineView(row, outputColumnsOf({ dataset, joined }, row.steps));
  }

  async delete(caller: Caller, id: string): Promise<{ id: string }> {
    const row = assertCanWrite(caller, "pipelines:write", "Pipeline", await this.deps.pipelines.findById(this.db, id));
    if ((await this.deps.runs.active(this.db, { pipelineId: id })).length > 0) {
      throw new DomainError("CONFLICT", "This pipeline has a run in progress. Cancel it or wait for it to finish.");
    }
    await this.db.transaction(async (tx) => {
      if (!(await this.deps.pipelines.delete(tx, id))) throw notFound("Pipeline");
      await this.deps.events.publish(
        tx,
        "pipeline.deleted",
        { pipelineId: id, ownerId: row.ownerId },
        { kind: "user", id: caller.id },
      );
    });
    if (row.scheduleCron) await this.deps.queue.unschedule(scheduleIdFor(id));
    return { id };
  }

  /**
   * The first rows the steps would produce, computed by the same single statement as a run, with
   * a LIMIT, over the first `inputRows` rows of the data set (see PreviewBounds). Errors the data
   * causes (an overflow, a date out of range) and a preview past its time are BAD_REQUEST.
   */
  async preview(caller: Caller, input: { datasetId: string; steps: Step[]; limit: number }): Promise<PreviewResult> {
    const started = performance.now();
    const { timeoutMs, inputRows } = this.bounds;
    const joinRows = Math.min(this.bounds.joinRows, this.deps.joinMaxRows);
    const inputs = await this.inputsFor(caller, input.datasetId, input.steps);
    const compiled = checkSteps(inputs, input.steps, { firstRows: inputRows, joinMaxRows: joinRows });
    const values = compiled.columns.map((c) => outputOf(c));
    const raw = await this.db
      .transaction(async (tx) => {
        await this.deps.tables.applyPreviewSettings(tx, timeoutMs);
        return this.deps.tables.page(tx, compiled.final, values, {
          with: compiled.with,
          orderBy: ident(ROW_IDENT),
          limit: input.limit,
          offset: 0,
        });
      })
      .catch((error: unknown) => {
        throw previewFailure(error, input.steps, { timeoutMs, joinMaxRows: this.deps.joinMaxRows, joinRows }) ?? error;
      });
    const columns = compiled.columns.map(({ name, type }) => ({ name, type }));
    return {
      columns,
      rows: toRows(columns, raw),
      elapsedMs: Math.round(performance.now() - started),
      ...([inputs.dataset, ...inputs.joined.values()].some((d) => (d.rowCount ?? 0) > inputRows) ? { inputRows } : {}),
    };
  }

  /** SCHEDULE_MIN_INTERVAL_MINUTES and SCHEDULED_OUTPUT_RETENTION, for the schedule form to state. */
  scheduleRules(): ScheduleRules {
    return { ...this.deps.scheduleRules };
  }

  /**
   * Repeats runs on a cron schedule (UTC) through the queue's job scheduler; null removes it.
   * A schedule that ever fires less than SCHEDULE_MIN_INTERVAL_MINUTES after its previous firing
   * is refused: every firing makes an output table.
   */
  async schedule(caller: Caller, input: { pipelineId: string; cron: string | null }): Promise<PipelineView> {
    const row = assertCanWrite(
      caller,
      "pipelines:write",
      "Pipeline",
      await this.deps.pipelines.findById(this.db, input.pipelineId),
    );
    if (input.cron !== null) this.checkCron(input.cron);
    const updated = await this.db.transaction(async (tx) => {
      const next = await this.deps.pipelines.update(tx, row.id, { scheduleCron: input.cron });
      if (!next) throw notFound("Pipeline");
      await this.deps.events.publish(
        tx,
        "pipeline.scheduled",
        { pipelineId: row.id, cron: input.cron },
        { kind: "user", id: caller.id },
      );
      return next;
    });
    await this.applySchedule(updated);
    return this.byId(caller, row.id);
  }

  private checkCron(cron: string): void {
    let gap: number;
    try {
      gap = shortestGapMinutes(parseCron(cron));
    } catch (error) {
      if (error instanceof CronError) throw badInput("cron", `Not a valid schedule: ${error.message}`);
      throw error;
    }
    const min = this.deps.scheduleRules.minIntervalMinutes;
    if (gap < min) {
      throw badInput(
        "cron",
        `This schedule fires ${gap} minute${gap === 1 ? "" : "s"} apart; schedules may fire at most every ${min} minutes (SCHEDULE_MIN_INTERVAL_MINUTES).`,
      );
    }
  }

  /** Worker start-up: every saved schedule is (re)registered; registering is idempotent. */
  async restoreSchedules(): Promise<void> {
    for (const pipeline of await this.deps.pipelines.scheduled(this.db)) {
      await this.applySchedule(pipeline).catch((error: unknown) =>
        this.deps.logger.warn({ err: error, pipelineId: pipeline.id }, "could not restore a pipeline schedule"),
      );
    }
  }

  private async applySchedule(pipeline: PipelineRecord): Promise<void> {
    const id = scheduleIdFor(pipeline.id);
    if (pipeline.scheduleCron === null) {
      await this.deps.queue.unschedule(id);
      return;
    }
    await this.deps.queue.schedule(
      id,
      { cron: pipeline.scheduleCron },
      { name: "pipeline.scheduled", data: { pipelineId: pipeline.id } },
    );
  }

  /** The input data set and the data sets the steps join, each as the caller may read them. */
  private async inputsFor(caller: Caller, datasetId: string, steps: readonly Step[]): Promise<StepInputs> {
    const dataset = await this.deps.datasetsService.readyInput(caller, datasetId);
    return { dataset, joined: await resolveJoined(steps, this.readableDataset(caller)) };
  }

  private readableDataset(caller: Caller) {
    return readableBy(caller, (id) => this.deps.datasets.findById(this.db, id));
  }

  private async readable(caller: Caller, id: string): Promise<PipelineRecord> {
    return assertCanRead(caller, "pipelines", "Pipeline", await this.deps.pipelines.findById(this.db, id));
  }
}
