import type { Actor } from "../../../shared/events.js";
import { type Caller, ownerFilter } from "../../../shared/ownership.js";
import { can } from "../../../shared/permissions.js";
import type { ListQuery, Page } from "../../../shared/schemas/list.js";
import { type RunProgress, type RunView, TERMINAL_RUN_STATUSES } from "../../../shared/schemas/pipelines.js";
import type { EventBus } from "../../core/events/index.js";
import { follow } from "../../core/live.js";
import { addJob } from "../../core/queue/job-outbox.js";
import type { JobProgress, JobQueue } from "../../core/queue/port.js";
import type { Database } from "../../db/database.js";
import type { DatasetsRepository } from "../../repositories/datasets.js";
import { pipelineNamesByIds } from "../../repositories/names.js";
import type { PipelineRunsRepository, RunListField, RunRecord } from "../../repositories/pipeline-runs.js";
import type { PipelineRecord, PipelinesRepository } from "../../repositories/pipelines.js";
import type { UsersRepository } from "../../repositories/users.js";
import { DomainError, notFound } from "../errors.js";
import { assertCanRead, assertCanWrite } from "../ownership.js";
import { checkSteps } from "./check-steps.js";
import type { DatasetsService } from "./datasets-service.js";
import { endRun, RUN_SERVER_PROBLEM } from "./end-run.js";
import { RUN_ATTEMPTS, RUN_BACKOFF_MS, runJobId, scheduleIdFor } from "./job-names.js";
import { readableBy, resolveJoined } from "./joined-datasets.js";
import type { StorageQuota } from "./storage-quota.js";
import { toRunView } from "./views.js";

export interface RunsServiceDeps {
  db: Database;
  events: EventBus;
  queue: JobQueue;
  pipelines: PipelinesRepository;
  runs: PipelineRunsRepository;
  datasets: DatasetsRepository;
  users: UsersRepository;
  datasetsService: DatasetsService;
  quota: StorageQuota;
}

const SCHEDULER = { kind: "system", id: "scheduler" } as const;
const WORKER = { kind: "system", id: "pipeline-worker" } as const;

/** What a running run reports through its job (see RunExecutor). */
export interface RunJobProgress {
  percent: number;
  estimated: boolean;
}

const runJobOptions = (runId: string) => ({
  idempotencyKey: runId,
  attempts: RUN_ATTEMPTS,
  backoffMs: RUN_BACKOFF_MS,
});

const isTerminal = (run: RunRecord) => TERMINAL_RUN_STATUSES.includes(run.status);

/**
 * Pipeline runs: queued idempotently, executed by the `pipeline.run` job (RunExecutor),
 * canceled, listed and followed live. The database row is the truth about a run; the job
 * is how the work gets done.
 */
export class RunsService {
  constructor(private readonly deps: RunsServiceDeps) {}

  private get db() {
    return this.deps.db;
  }

  /**
   * Queues a run. The same idempotency key for the same pipeline gives back the same run (and
   * queues its job again if it somehow never got queued: the job's own key makes that safe).
   */
  async run(caller: Caller, input: { pipelineId: string; idempotencyKey: string }): Promise<RunView> {
    const pipeline = assertCanWrite(
      caller,
      "pipelines:run",
      "Pipeline",
      await this.deps.pipelines.findById(this.db, input.pipelineId),
    );
    const existing = await this.deps.runs.findByKey(this.db, pipeline.id, input.idempotencyKey);
    if (existing) return toRunView(await this.ensureQueued(existing));
    const dataset = await this.deps.datasetsService.readyInput(caller, pipeline.datasetId);
    const readable = readableBy(caller, (id) => this.deps.datasets.findById(this.db, id));
    checkSteps({ dataset, joined: await resolveJoined(pipeline.steps, readable) }, pipeline.steps);
    // The output will be the owner's: refused now, rather than failed after all the work.
    await this.deps.quota.roomForNew(this.db, pipeline.ownerId);
    return toRunView(
      await this.queue(pipeline.id, pipeline.ownerId, input.idempotencyKey, "manual", {
        kind: "user",
        id: caller.id,
      }),
    );
  }

  /**
   * Called by the `pipeline.scheduled` job: one run per firing (the firing's job id is the key).
   * A schedule runs with its owner's rights: once the owner is disabled or may no longer run
   * pipelines, the firing runs nothing and the schedule is removed.
   */
  async runScheduled(pipelineId: string, firingId: string): Promise<RunRecord | undefined> {
    const pipeline = await this.deps.pipelines.findById(this.db, pipelineId);
    if (!pipeline || pipeline.scheduleCron === null) return undefined;
    const owner = await this.deps.users.findById(this.db, pipeline.ownerId);
    if (!owner || owner.disabledAt !== null || !can(owner.role, "pipelines:run")) {
      await this.unschedule(pipeline);
      return undefined;
    }
    const key = `schedule:${firingId}`;
    const existing = await this.deps.runs.findByKey(this.db, pipeline.id, key);
    if (existing) return this.ensureQueued(existing);
    return this.queue(pipeline.id, pipeline.ownerId, key, "schedule", SCHEDULER);
  }

  /** Removes a schedule its owner may no longer have, from the pipeline (so the UI says so) and the queue. */
  private async unschedule(pipeline: PipelineRecord): Promise<void> {
    await this.db.transaction(async (tx) => {
      if (!(await this.deps.pipelines.update(tx, pipeline.id, { scheduleCron: null }))) return;
      await this.deps.events.publish(tx, "pipeline.scheduled", { pipelineId: pipeline.id, cron: null }, SCHEDULER);
    });
    await this.deps.queue.unschedule(scheduleIdFor(pipeline.id));
  }

  async list(
    caller: Caller,
    query: ListQuery<RunListField> & { pipelineId?: string | undefined },
  ): Promise<Page<RunView>> {
    const { pipelineId, ...listQuery } = query;
    const page = await this.deps.runs.listScoped(this.db, listQuery, {
      ownerId: ownerFilter(caller, "pipelines"),
      pipelineId: pipelineId || undefined,
    });
    const names = await pipelineNamesByIds(
      this.db,
      page.items.map((run) => run.pipelineId),
    );
    return {
      ...page,
      items: page.items.map((run) => ({ ...toRunView(run), pipelineName: names.get(run.pipelineId) })),
    };
  }

  async byId(caller: Caller, runId: string): Promise<RunView> {
    const run = await this.reconcile(await this.readable(caller, runId));
    const names = await pipelineNamesByIds(this.db, [run.pipelineId]);
    return { ...toRunView(run), pipelineName: names.get(run.pipelineId) };
  }

  /**
   * Stops a run. A queued run is canceled at once and its job dropped; a running run is marked
   * cancel-requested and its job's signal aborts the statement (PostgreSQL cancels it; on PGlite
   * the transaction is rolled back instead of committed). Either way no output is kept.
   */
  async cancel(caller: Caller, runId: string): Promise<RunView> {
    const run = assertCanWrite(caller, "pipelines:run", "Run", await this.deps.runs.findById(this.db, runId));
    if (run.status === "succeeded" || run.status === "failed") {
      throw new DomainError("CONFLICT", `This run has already ${run.status}.`);
    }
    const now = new Date();
    const actorRef: Actor = { kind: "user", id: caller.id };
    const updated = await this.db.transaction(async (tx) => {
      const canceled = await endRun(tx, this.deps, run, { status: "canceled" }, actorRef, {
        from: ["queued"],
        at: now,
        cancelRequested: true,
      });
      if (canceled) return canceled;
      return this.deps.runs.transition(tx, run.id, ["running"], { cancelRequestedAt: now });
    });
    if (updated) {
      // A queued run is canceled for good in the database (its job skips it whenever it runs),
      // so an unreachable queue does not matter then; a running one needs the job's signal.
      await this.deps.queue.cancel(runJobId(run.id)).catch((error: unknown) => {
        if (updated.status !== "canceled") throw error;
        return false;
      });
    }
    const fresh = await this.deps.runs.findById(this.db, run.id);
    if (!fresh) throw notFound("Run");
    if (fresh.status === "succeeded" || fresh.status === "failed") {
      throw new DomainError("CONFLICT", `This run has already ${fresh.status}.`);
    }
    return toRunView(fresh);
  }

  /** Status, rows and percent until the run ends. */
  async *progress(caller: Caller, runId: string, signal?: AbortSignal): AsyncGenerator<RunProgress> {
    await this.readable(caller, runId);
    const { queue, events } = this.deps;
    yield* follow<RunProgress, JobProgress>({
      signal,
      snapshot: async () => {
        const run = await this.deps.runs.findById(this.db, runId);
        if (!run) throw notFound("Run");
        return runSnapshot(await this.reconcile(run));
      },
      done: (progress) => TERMINAL_RUN_STATUSES.includes(progress.status),
      merge: (current, hint) => {
        if (typeof hint !== "object" || current.status !== "running") return current;
        const live = hint as Partial<RunJobProgress>;
        return { ...current, percent: Number(live.percent ?? current.percent), estimated: live.estimated ?? true };
      },
      subscribe: async (wake) => {
        const stopJob = await queue.watch(runJobId(runId), (event) =>
          event.type === "progress" ? wake(event.progress) : wake(),
        );
        const stopEvents = events.listen(
          ["pipeline.run_started", "pipeline.run_succeeded", "pipeline.run_failed", "pipeline.run_canceled"],
          (envelope) => {
            if (envelope.payload.runId === runId) wake();
          },
        );
        return () => {
          stopJob();
          stopEvents();
        };
      },
    });
  }

  /**
   * A run whose job ended without the run saying so (a worker died too often, a cancel reached a
   * job before it started) is brought in line with its job, so nobody waits forever.
   */
  async reconcile(run: RunRecord): Promise<RunRecord> {
    if (isTerminal(run)) return run;
    // Best effort: with the queue unreachable the run is shown as the database has it.
    const job = await this.deps.queue.getJob(runJobId(run.id)).catch(() => undefined);
    if (!job || (job.state !== "failed" && job.state !== "canceled" && job.state !== "completed")) return run;
    // Not the job's failedReason: that is an exception's message, which may be the database's.
    const ending =
      job.state === "canceled"
        ? { status: "canceled" as const }
        : { status: "failed" as const, error: RUN_SERVER_PROBLEM };
    const updated = await this.db.transaction((tx) => endRun(tx, this.deps, run, ending, WORKER));
    return updated ?? (await this.deps.runs.findById(this.db, run.id)) ?? run;
  }

  /** Worker start-up: unfinished runs whose job is gone (in-process queue after a restart) are queued again. */
  async recover(): Promise<void> {
    for (const run of await this.deps.runs.active(this.db)) {
      const job = await this.deps.queue.getJob(runJobId(run.id));
      if (!job) await addJob(this.db, "pipeline.run", { runId: run.id }, runJobOptions(run.id));
      else await this.reconcile(run);
    }
  }

  private async queue(
    pipelineId: string,
    ownerId: string,
    idempotencyKey: string,
    trigger: "manual" | "schedule",
    actor: Actor,
  ): Promise<RunRecord> {
    const { runs, pipelines, datasets, events } = this.deps;
    const created = await this.db.transaction(async (tx) => {
      const pipeline = await pipelines.findById(tx, pipelineId);
      if (!pipeline) throw notFound("Pipeline");
      const input = await datasets.findById(tx, pipeline.datasetId);
      const inserted = await runs.insertOnce(tx, {
        pipelineId,
        ownerId,
        idempotencyKey,
        trigger,
        status: "queued",
        steps: pipeline.steps,
        inputDatasetId: pipeline.datasetId,
        rowsTotal: input?.rowCount ?? null,
      });
      if (inserted) {
        await events.publish(tx, "pipeline.run_queued", { runId: inserted.id, pipelineId, ownerId, trigger }, actor);
        // With the run, through the job outbox: a run is never queued without its job, and
        // queuing it never waits for Redis.
        await addJob(tx, "pipeline.run", { runId: inserted.id }, runJobOptions(inserted.id));
      }
      return inserted;
    });
    // Lost a race with the same key: the other call's run is the run.
    const run = created ?? (await runs.findByKey(this.db, pipelineId, idempotencyKey));
    if (!run) throw notFound("Run");
    return run;
  }

  /**
   * A queued run asked for again: hands its job over once more. The job id is the run's, so this
   * is a no-op when the job exists, and no request waits on Redis to find that out. While the
   * first hand-over still waits in the job outbox, it adds no row (one pending row per job key).
   */
  private async ensureQueued(run: RunRecord): Promise<RunRecord> {
    if (run.status === "queued") await addJob(this.db, "pipeline.run", { runId: run.id }, runJobOptions(run.id));
    return run;
  }

  private async readable(caller: Caller, runId: string): Promise<RunRecord> {
    return assertCanRead(caller, "pipelines", "Run", await this.deps.runs.findById(this.db, runId));
  }
}

function runSnapshot(run: RunRecord): RunProgress {
  const total = run.rowsTotal ?? 0;
  const succeeded = run.status === "succeeded";
  return {
    runId: run.id,
    status: run.status,
    rowsDone: succeeded ? total : 0,
    rowsTotal: total,
    percent: succeeded ? 100 : run.status === "running" ? 5 : 0,
    estimated: run.status === "running",
    outputRows: run.outputRows,
    outputDatasetId: run.outputDatasetId,
    error: run.error,
  };
}
