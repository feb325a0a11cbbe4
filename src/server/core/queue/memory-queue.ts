import { setTimeout as sleep } from "node:timers/promises";
import {
  CANCELED_REASON,
  errorMessage,
  JobCanceledError,
  JobInterruptedError,
  UnrecoverableJobError,
} from "./errors.js";
import { jobIdFor, randomJobId } from "./job-id.js";
import type {
  CloseOptions,
  EnqueueOptions,
  EnqueueResult,
  JobEvent,
  JobHandler,
  JobHandlers,
  JobName,
  JobPayloads,
  JobProgress,
  JobQueue,
  JobSnapshot,
  JobState,
  JobWorker,
  ProcessOptions,
  QueueCounts,
  ScheduleSpec,
} from "./port.js";
import { startScheduleTimer } from "./schedule-timer.js";

export interface MemoryJobQueueOptions {
  /** Tries per job unless `enqueue` says otherwise. Default 3. */
  defaultAttempts?: number;
  /** First retry delay unless `enqueue` says otherwise; doubles per retry. Default 1000. */
  defaultBackoffMs?: number;
  /** Finished jobs kept for `getJob` and idempotency keys; the oldest go first. Default 10 000. */
  maxFinishedJobs?: number;
  /** Errors nobody awaits (a failing watcher, a schedule that cannot enqueue). */
  onError?: (error: unknown, context: string) => void;
}

interface MemoryJob {
  id: string;
  name: string;
  /** Stored as a JSON copy, as Redis would, so both adapters hand handlers the same shapes. */
  data: unknown;
  state: JobState;
  progress: JobProgress;
  attemptsMade: number;
  maxAttempts: number;
  backoffMs: number;
  cancelRequested: boolean;
  result?: unknown;
  failedReason?: string;
  createdAt: Date;
  finishedAt?: Date;
  delayTimer?: NodeJS.Timeout;
  controller?: AbortController;
}

const DEFAULT_CLOSE_TIMEOUT_MS = 10_000;
/** After aborting signals at shutdown, how long handlers get to notice before we stop waiting. */
const ABORT_GRACE_MS = 1000;

function jsonCopy<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/**
 * The embedded job queue: same semantics as the BullMQ adapter, jobs held in this process's
 * memory. Jobs still queued when the process exits are lost; that is the trade of embedded mode.
 */
export class MemoryJobQueue<P extends object = JobPayloads> implements JobQueue<P> {
  private readonly jobs = new Map<string, MemoryJob>();
  private readonly waiting: string[] = [];
  private readonly finishedOrder: string[] = [];
  private readonly watchers = new Map<string, Set<(event: JobEvent) => void>>();
  private readonly schedules = new Map<string, { stop(): void }>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly defaultAttempts: number;
  private readonly defaultBackoffMs: number;
  private readonly maxFinishedJobs: number;
  private readonly onError: (error: unknown, context: string) => void;
  private handlers: JobHandlers<P> | undefined;
  private concurrency = 1;
  private stopping = false;
  private pumpScheduled = false;
  private workerClosing: Promise<void> | undefined;
  private closing: Promise<void> | undefined;

  constructor(options: MemoryJobQueueOptions = {}) {
    this.defaultAttempts = options.defaultAttempts ?? 3;
    this.defaultBackoffMs = options.defaultBackoffMs ?? 1000;
    this.maxFinishedJobs = options.maxFinishedJobs ?? 10_000;
    this.onError = options.onError ?? (() => {});
  }

  async enqueue<N extends JobName<P>>(name: N, data: P[N], options: EnqueueOptions = {}): Promise<EnqueueResult> {
    if (this.closing) throw new Error("job queue is closed");
    const id = options.idempotencyKey === undefined ? randomJobId() : jobIdFor(name, options.idempotencyKey);
    if (this.jobs.has(id)) return { id, deduplicated: true };
    const job: MemoryJob = {
      id,
      name,
      data: jsonCopy(data),
      state: "waiting",
      progress: 0,
      attemptsMade: 0,
      maxAttempts: Math.max(1, options.attempts ?? this.defaultAttempts),
      backoffMs: options.backoffMs ?? this.defaultBackoffMs,
      cancelRequested: false,
      createdAt: new Date(),
    };
    this.jobs.set(id, job);
    if (options.delayMs && options.delayMs > 0) this.delay(job, options.delayMs);
    else this.makeWaiting(job);
    return { id, deduplicated: false };
  }

  async cancel(jobId: string): Promise<boolean> {
    const job = this.jobs.get(jobId);
    if (!job || job.state === "completed" || job.state === "failed" || job.state === "canceled") return false;
    job.cancelRequested = true;
    if (job.state === "active") {
      job.controller?.abort(new JobCanceledError(jobId));
      return true;
    }
    clearTimeout(job.delayTimer);
    const queued = this.waiting.indexOf(jobId);
    if (queued >= 0) this.waiting.splice(queued, 1);
    this.finish(job, "canceled", { failedReason: CANCELED_REASON });
    return true;
  }

  async getJob(jobId: string): Promise<JobSnapshot<P> | undefined> {
    const job = this.jobs.get(jobId);
    if (!job) return undefined;
    const snapshot = {
      id: job.id,
      name: job.name,
      data: jsonCopy(job.data),
      state: job.state,
      progress: jsonCopy(job.progress),
      attemptsMade: job.attemptsMade,
      maxAttempts: job.maxAttempts,
      cancelRequested: job.cancelRequested,
      result: jsonCopy(job.result),
      failedReason: job.failedReason,
      createdAt: job.createdAt,
      finishedAt: job.finishedAt,
    };
    // The name/data pairing was checked by `enqueue`'s types when the job went in.
    return snapshot as JobSnapshot<P>;
  }

  async watch(jobId: string, listener: (event: JobEvent) => void): Promise<() => void> {
    let listeners = this.watchers.get(jobId);
    if (!listeners) {
      listeners = new Set();
      this.watchers.set(jobId, listeners);
    }
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && this.watchers.get(jobId) === listeners) this.watchers.delete(jobId);
    };
  }

  async counts(): Promise<QueueCounts> {
    const counts: QueueCounts = { waiting: 0, delayed: 0, active: 0, completed: 0, failed: 0 };
    for (const job of this.jobs.values()) counts[job.state === "canceled" ? "failed" : job.state]++;
    return counts;
  }

  async schedule<N extends JobName<P>>(
    schedulerId: string,
    spec: ScheduleSpec,
    job: { name: N; data: P[N]; attempts?: number; backoffMs?: number },
  ): Promise<void> {
    if (this.closing) throw new Error("job queue is closed");
    const timer = startScheduleTimer(
      spec,
      async () => {
        await this.enqueue(job.name, job.data, { attempts: job.attempts, backoffMs: job.backoffMs });
      },
      (error) => this.onError(error, `schedule ${schedulerId}`),
    );
    this.schedules.get(schedulerId)?.stop();
    this.schedules.set(schedulerId, timer);
  }

  async unschedule(schedulerId: string): Promise<boolean> {
    const timer = this.schedules.get(schedulerId);
    timer?.stop();
    return this.schedules.delete(schedulerId);
  }

  async process(handlers: JobHandlers<P>, options: ProcessOptions = {}): Promise<JobWorker> {
    if (this.handlers) throw new Error("this job queue already has a worker; call process() once");
    if (this.closing) throw new Error("job queue is closed");
    this.handlers = handlers;
    this.concurrency = Math.max(1, options.concurrency ?? 1);
    this.schedulePump();
    return { close: (closeOptions) => this.closeWorker(closeOptions) };
  }

  close(options: CloseOptions = {}): Promise<void> {
    this.closing ??= (async () => {
      for (const timer of this.schedules.values()) timer.stop();
      this.schedules.clear();
      await this.closeWorker(options);
      for (const job of this.jobs.values()) clearTimeout(job.delayTimer);
      this.watchers.clear();
    })();
    return this.closing;
  }

  private closeWorker(options: CloseOptions = {}): Promise<void> {
    this.workerClosing ??= (async () => {
      this.stopping = true;
      if (this.running.size === 0) return;
      const allDone = Promise.allSettled([...this.running.values()]).then(() => true);
      const patience = new AbortController();
      const finished = await Promise.race([
        allDone,
        this.wait(options.timeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS, patience),
      ]);
      if (!finished) {
        for (const job of this.jobs.values()) job.controller?.abort(new JobInterruptedError(job.id, "shutdown"));
        await Promise.race([allDone, this.wait(ABORT_GRACE_MS, patience)]);
      }
      patience.abort();
    })();
    return this.workerClosing;
  }

  private wait(ms: number, controller: AbortController): Promise<false> {
    return sleep(ms, false as const, { signal: controller.signal }).catch(() => false as const);
  }

  private makeWaiting(job: MemoryJob): void {
    job.state = "waiting";
    this.waiting.push(job.id);
    this.schedulePump();
  }

  private delay(job: MemoryJob, ms: number): void {
    job.state = "delayed";
    job.delayTimer = setTimeout(() => {
      job.delayTimer = undefined;
      this.makeWaiting(job);
    }, ms);
    job.delayTimer.unref();
  }

  /** Starts jobs on a later tick, never inside `enqueue`, as a remote worker would. */
  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    if (!this.handlers || this.stopping) return;
    while (this.running.size < this.concurrency) {
      const id = this.waiting.shift();
      if (id === undefined) return;
      const job = this.jobs.get(id);
      if (job?.state !== "waiting") continue;
      const run = this.run(job, this.handlers).finally(() => {
        this.running.delete(id);
        this.pump();
      });
      this.running.set(id, run);
    }
  }

  private async run(job: MemoryJob, handlers: JobHandlers<P>): Promise<void> {
    const handler = (handlers as Record<string, JobHandler<unknown> | undefined>)[job.name];
    const controller = new AbortController();
    job.state = "active";
    job.controller = controller;
    this.emit(job.id, { type: "active" });
    try {
      if (!handler) throw new UnrecoverableJobError(`no handler for job "${job.name}"`);
      const result = await handler({
        id: job.id,
        name: job.name,
        data: jsonCopy(job.data),
        attempt: job.attemptsMade + 1,
        signal: controller.signal,
        reportProgress: async (progress) => {
          job.progress = jsonCopy(progress);
          this.emit(job.id, { type: "progress", progress: jsonCopy(progress) });
        },
      });
      job.attemptsMade++;
      this.finish(job, "completed", { result: jsonCopy(result) });
    } catch (error) {
      this.settleFailure(job, error, controller.signal);
    } finally {
      job.controller = undefined;
    }
  }

  /** The abort reason decides, not what the handler happened to throw after the abort. */
  private settleFailure(job: MemoryJob, error: unknown, signal: AbortSignal): void {
    const reason: unknown = signal.aborted ? signal.reason : undefined;
    if (reason instanceof JobInterruptedError) {
      // Back to the front of the queue without using up an attempt, as BullMQ's moveToWait does.
      job.state = "waiting";
      this.waiting.unshift(job.id);
      return;
    }
    job.attemptsMade++;
    if (reason instanceof JobCanceledError) {
      this.finish(job, "canceled", { failedReason: CANCELED_REASON });
      return;
    }
    job.failedReason = errorMessage(error);
    if (error instanceof UnrecoverableJobError || job.attemptsMade >= job.maxAttempts) {
      this.finish(job, "failed", { failedReason: job.failedReason });
      return;
    }
    this.delay(job, job.backoffMs * 2 ** (job.attemptsMade - 1));
  }

  private finish(
    job: MemoryJob,
    state: "completed" | "failed" | "canceled",
    outcome: { result?: unknown; failedReason?: string },
  ): void {
    job.state = state;
    job.finishedAt = new Date();
    if (state === "completed") job.result = outcome.result;
    else job.failedReason = outcome.failedReason;
    this.finishedOrder.push(job.id);
    while (this.finishedOrder.length > this.maxFinishedJobs) {
      const oldest = this.finishedOrder.shift();
      if (oldest !== undefined) this.jobs.delete(oldest);
    }
    if (state === "completed") this.emit(job.id, { type: "completed", result: jsonCopy(job.result) });
    else if (state === "canceled") this.emit(job.id, { type: "canceled" });
    else this.emit(job.id, { type: "failed", failedReason: job.failedReason ?? "" });
  }

  private emit(jobId: string, event: JobEvent): void {
    for (const listener of this.watchers.get(jobId) ?? []) {
      try {
        listener(event);
      } catch (error) {
        this.onError(error, `watcher of job ${jobId}`);
      }
    }
  }
}
