/**
 * The job queue port. Two adapters implement it with the same semantics (one contract suite
 * runs against both): BullMQ on Redis for production and CI, and an in-process runner for the
 * embedded mode. Producers (`enqueue`, `cancel`, `getJob`, `watch`) and consumers (`process`)
 * are separable: an API process enqueues without ever calling `process`.
 */

/**
 * Payload type of every job, by name. Payloads are stored as JSON (Dates arrive as strings).
 * Features add their jobs by declaration merging, next to the code that handles them:
 *
 * ```ts
 * declare module "../../core/queue/port.js" {
 *   interface JobPayloads { "pipeline.run": { runId: string } }
 * }
 * ```
 */
export interface JobPayloads {
  /** Built-in no-op: proves a worker is consuming (smoke tests, `npm run worker` demos). */
  "queue.ping": { message: string };
}

/** The job names of a payload map; `P` defaults to the app-wide `JobPayloads`. */
export type JobName<P extends object = JobPayloads> = Extract<keyof P, string>;

/** A percentage or a small JSON object (e.g. `{ step: "load", done: 40, total: 90 }`). */
export type JobProgress = number | { [key: string]: unknown };

/**
 * `canceled` is a terminal state of its own in snapshots and events. A job that is asked to
 * cancel while `active` stays `active` (with `cancelRequested`) until its handler stops.
 */
export type JobState = "waiting" | "delayed" | "active" | "completed" | "failed" | "canceled";

export const TERMINAL_STATES: ReadonlySet<JobState> = new Set(["completed", "failed", "canceled"]);

interface JobSnapshotOf<P extends object, N extends JobName<P>> {
  id: string;
  name: N;
  data: P[N];
  state: JobState;
  /** Last reported progress; 0 until the handler reports any. */
  progress: JobProgress;
  /** Attempts that have finished (failed or completed). Recovery after a crashed worker does not count. */
  attemptsMade: number;
  maxAttempts: number;
  cancelRequested: boolean;
  /** What the handler returned, once `completed`. */
  result?: unknown;
  /** The last error message, once an attempt failed. */
  failedReason?: string;
  createdAt: Date;
  finishedAt?: Date;
}

/** A job as seen by producers; `data` is typed by `name`. */
export type JobSnapshot<P extends object = JobPayloads> = {
  [N in JobName<P>]: JobSnapshotOf<P, N>;
}[JobName<P>];

/**
 * What a watcher sees. `completed`, `failed` and `canceled` are terminal, but a terminal event
 * may be delivered twice (BullMQ: a job canceled while waiting gets a second `canceled` when a
 * worker sweeps it), so watchers should stop at the first one.
 */
export type JobEvent =
  | { type: "active" }
  | { type: "progress"; progress: JobProgress }
  | { type: "completed"; result: unknown }
  | { type: "failed"; failedReason: string }
  | { type: "canceled" };

export interface EnqueueOptions {
  /**
   * Enqueueing twice with the same key (for the same job name) yields one job: the second call
   * returns the first job's id with `deduplicated: true`. The key is remembered as long as the
   * job is retained (see the adapters' retention options), also after it finished.
   */
  idempotencyKey?: string;
  /** Run no earlier than this many milliseconds from now. */
  delayMs?: number;
  /** Total tries including the first; defaults to the queue's default (3). */
  attempts?: number;
  /** First retry delay; doubles on each further retry. */
  backoffMs?: number;
}

export interface EnqueueResult {
  id: string;
  /** True when a job with this idempotency key already existed and nothing new was enqueued. */
  deduplicated: boolean;
}

export interface JobContext<D> {
  id: string;
  name: string;
  data: D;
  /** 1 on the first try, 2 on the first retry, ... */
  attempt: number;
  /**
   * Aborts when the job is canceled, when the worker is shutting down and the grace period
   * ran out, or when the worker lost the job's lock (another worker will run it). `reason` is
   * a `JobCanceledError` or `JobInterruptedError`; long handlers check it between steps
   * (`signal.throwIfAborted()`) or pass it to fetch/streams. Whatever the handler throws
   * afterwards, the queue decides the outcome from the reason: canceled jobs end `canceled`,
   * interrupted jobs go back to the queue without using up an attempt.
   */
  signal: AbortSignal;
  reportProgress(progress: JobProgress): Promise<void>;
}

export type JobHandler<D> = (job: JobContext<D>) => Promise<unknown>;

/** One handler per job name: a job added by declaration merging without a handler fails to compile. */
export type JobHandlers<P extends object = JobPayloads> = { [N in JobName<P>]: JobHandler<P[N]> };

export interface ProcessOptions {
  /** Jobs run at once by this worker; defaults to 1. */
  concurrency?: number;
}

export interface CloseOptions {
  /**
   * How long running jobs may take to finish before their signals abort (they then go back
   * to the queue). Defaults to 10 seconds.
   */
  timeoutMs?: number;
}

/** A running consumer. */
export interface JobWorker {
  /** Stops taking jobs and waits for running ones (see `CloseOptions`). Idempotent. */
  close(options?: CloseOptions): Promise<void>;
}

/** Five-field cron (`minute hour day-of-month month day-of-week`), evaluated in UTC. */
export type ScheduleSpec = { cron: string } | { everyMs: number };

/** Job counts by state, for queue-depth metrics. Canceled jobs are counted as `failed`. */
export type QueueCounts = Record<"waiting" | "delayed" | "active" | "completed" | "failed", number>;

export interface JobQueue<P extends object = JobPayloads> {
  enqueue<N extends JobName<P>>(name: N, data: P[N], options?: EnqueueOptions): Promise<EnqueueResult>;
  /**
   * Asks a job to stop: a queued job never runs, a running job's signal aborts. Resolves true
   * when the request was recorded, false when the job is unknown or already finished.
   */
  cancel(jobId: string): Promise<boolean>;
  getJob(jobId: string): Promise<JobSnapshot<P> | undefined>;
  /**
   * Calls `listener` for this job's events until the returned function is called. Resolves once
   * listening is live: read `getJob` after it to get the state events will continue from.
   */
  watch(jobId: string, listener: (event: JobEvent) => void): Promise<() => void>;
  counts(): Promise<QueueCounts>;
  /** Creates or replaces a repeating job; the same `schedulerId` always means one schedule. */
  schedule<N extends JobName<P>>(
    schedulerId: string,
    spec: ScheduleSpec,
    job: { name: N; data: P[N]; attempts?: number; backoffMs?: number },
  ): Promise<void>;
  /** Resolves true when a schedule existed and was removed. */
  unschedule(schedulerId: string): Promise<boolean>;
  /** Starts consuming. Call at most once per queue instance; resolves once the worker is listening. */
  process(handlers: JobHandlers<P>, options?: ProcessOptions): Promise<JobWorker>;
  /** Closes the worker (gracefully, see `CloseOptions`), schedules and connections. Idempotent. */
  close(options?: CloseOptions): Promise<void>;
}
