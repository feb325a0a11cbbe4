import { type JobsOptions, Queue, QueueEvents, type QueueEventsListener } from "bullmq";
import { connecting, withTimeout } from "../../utils/startup-error.js";
import { createRedisClient, type Redis } from "../redis.js";
import { type BullmqNames, bullmqNames, CANCELED_EVENT, cancelFlagValue } from "./bullmq-keys.js";
import { startBullmqWorker } from "./bullmq-worker.js";
import { CANCELED_REASON, QueueUnavailableError } from "./errors.js";
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
import { scheduleClock } from "./schedule-timer.js";

export interface BullmqJobQueueOptions {
  redisUrl: string;
  /** Prefix of every key (`config.namespace`), so deployments and test runs never share a queue. */
  namespace: string;
  /** Queue within the namespace; a separate queue keeps slow jobs from delaying quick ones. Default "jobs". */
  queueName?: string;
  /** Tries per job unless `enqueue` says otherwise. Default 3. */
  defaultAttempts?: number;
  /** First retry delay unless `enqueue` says otherwise; doubles per retry. Default 1000. */
  defaultBackoffMs?: number;
  /** How long finished jobs are kept for `getJob` and idempotency keys. Default 7 days. */
  retentionMs?: number;
  /** At most this many completed (and as many failed) jobs are kept. Default 10 000. */
  maxFinishedJobs?: number;
  /**
   * A worker that stops renewing a job's lock for this long (it crashed, or its event loop is
   * stuck) loses the job to another worker. Default 30 s.
   */
  lockDurationMs?: number;
  /**
   * How often workers look for jobs whose lock expired. Default 30 s. All workers of a queue
   * should agree: BullMQ runs one check per interval across them, timed by whoever ran last.
   */
  stalledIntervalMs?: number;
  /** Lock expiries a job survives before it fails; they do not use up attempts. Default 1. */
  maxStalledCount?: number;
  /** How often running jobs re-check their cancel flag, covering lost pub/sub messages. Default 5 s. */
  cancelPollMs?: number;
  /**
   * Longest any producer call (enqueue, getJob, cancel, watch, counts, schedule) may wait for
   * Redis before it fails with QueueUnavailableError. Default 2000 ms.
   */
  operationTimeoutMs?: number;
  /** Passed to the Redis client: how long a silent connection is tolerated (see redis.ts). */
  commandTimeoutMs?: number;
  /** Errors nobody awaits: connection trouble, a failing watcher. */
  onError?: (error: unknown, context: string) => void;
}

/** BullMQ's events plus the one this adapter adds to the stream. */
interface GantryQueueEvents extends QueueEventsListener {
  [CANCELED_EVENT]: (args: { jobId: string }, id: string) => void;
}

const MAX_EVENTS = 10_000;
/** What a caller refused by an unreachable queue is told to wait before trying again. */
const RETRY_AFTER_MS = 2000;

/** The job queue on Redis: durable, shared by every API and worker process of one namespace. */
export class BullmqJobQueue<P extends object = JobPayloads> implements JobQueue<P> {
  private readonly names: BullmqNames;
  private readonly redis: Redis;
  private readonly queue: Queue<unknown, unknown, string>;
  private readonly retentionMs: number;
  private readonly onError: (error: unknown, context: string) => void;
  private readonly watchers = new Map<string, Set<(event: JobEvent) => void>>();
  private events: Promise<QueueEvents> | undefined;
  private worker: Promise<JobWorker> | undefined;
  private closing: Promise<void> | undefined;

  constructor(private readonly options: BullmqJobQueueOptions) {
    this.names = bullmqNames(options.namespace, options.queueName ?? "jobs");
    this.retentionMs = options.retentionMs ?? 7 * 24 * 3600_000;
    this.onError = options.onError ?? (() => {});
    // Shared by the Queue and our own commands (cancel flags, reads); BullMQ leaves a
    // connection it was handed open, and duplicates it where it needs a blocking one.
    this.redis = createRedisClient(options.redisUrl, {
      name: `${this.names.prefix}:queue`,
      purpose: "queue",
      commandTimeoutMs: options.commandTimeoutMs,
    });
    this.redis.on("error", (error: unknown) => this.onError(error, "queue connection"));
    const keep = { age: Math.ceil(this.retentionMs / 1000), count: options.maxFinishedJobs ?? 10_000 };
    this.queue = new Queue<unknown, unknown, string>(this.names.queueName, {
      connection: this.redis,
      prefix: this.names.prefix,
      defaultJobOptions: {
        attempts: options.defaultAttempts ?? 3,
        backoff: { type: "exponential", delay: options.defaultBackoffMs ?? 1000 },
        removeOnComplete: keep,
        removeOnFail: keep,
      },
      streams: { events: { maxLen: MAX_EVENTS } },
    });
    this.queue.on("error", (error) => this.onError(error, "queue"));
  }

  /**
   * For start-up: resolves once Redis answers, or fails with a one-line StartupError naming
   * REDIS_URL. Without it, commands wait for Redis to come back (the queue's connection never
   * fails fast, so a Redis restart heals by itself).
   */
  async connect(): Promise<void> {
    await connecting("REDIS_URL", "Redis", async () => {
      await withTimeout(this.queue.waitUntilReady(), 3000, "Redis connection");
      await withTimeout(this.redis.ping(), 2000, "Redis ping");
    });
  }

  enqueue<N extends JobName<P>>(name: N, data: P[N], options: EnqueueOptions = {}): Promise<EnqueueResult> {
    return this.bounded("enqueue", () => this.enqueueNow(name, data, options));
  }

  cancel(jobId: string): Promise<boolean> {
    return this.bounded("cancel", () => this.cancelNow(jobId));
  }

  getJob(jobId: string): Promise<JobSnapshot<P> | undefined> {
    return this.bounded("getJob", () => this.getJobNow(jobId));
  }

  async watch(jobId: string, listener: (event: JobEvent) => void): Promise<() => void> {
    // Only the wait for the events reader is bounded: a listener is registered after it, or never.
    await this.bounded("watch", () => this.queueEvents());
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

  counts(): Promise<QueueCounts> {
    return this.bounded("counts", () => this.countsNow());
  }

  async schedule<N extends JobName<P>>(
    schedulerId: string,
    spec: ScheduleSpec,
    job: { name: N; data: P[N]; attempts?: number; backoffMs?: number },
  ): Promise<void> {
    scheduleClock(spec); // same validation as the in-process adapter, before any Redis call
    return this.bounded("schedule", () => this.scheduleNow(schedulerId, spec, job));
  }

  unschedule(schedulerId: string): Promise<boolean> {
    return this.bounded("unschedule", () => this.queue.removeJobScheduler(schedulerId));
  }

  /**
   * Every producer call has a deadline: the queue's connection waits for Redis to come back
   * (BullMQ needs that), but a request must not wait with it. A call that gives up may still
   * land later; ids are deterministic where that matters (idempotency keys), so it is harmless.
   */
  private bounded<T>(operation: string, call: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new QueueUnavailableError(operation, RETRY_AFTER_MS)),
        this.options.operationTimeoutMs ?? 2000,
      );
    });
    // `race` keeps listening to the abandoned call, so its late rejection is never unhandled.
    return Promise.race([call(), deadline]).finally(() => clearTimeout(timer));
  }

  private async enqueueNow<N extends JobName<P>>(name: N, data: P[N], options: EnqueueOptions): Promise<EnqueueResult> {
    if (this.closing) throw new Error("job queue is closed");
    const key = options.idempotencyKey;
    const id = key === undefined ? randomJobId() : jobIdFor(name, key);
    const timestamp = Date.now();
    const jobOptions: JobsOptions = { jobId: id, timestamp };
    if (options.delayMs && options.delayMs > 0) jobOptions.delay = options.delayMs;
    if (options.attempts !== undefined) jobOptions.attempts = Math.max(1, options.attempts);
    if (options.backoffMs !== undefined) jobOptions.backoff = { type: "exponential", delay: options.backoffMs };
    // Adding an existing job id is a no-op in BullMQ that looks like success; the stored
    // timestamp tells whether this call created the job.
    await this.queue.add(name, data, jobOptions);
    if (key === undefined) return { id, deduplicated: false };
    const stored = await this.redis.hget(this.queue.toKey(id), "timestamp");
    return { id, deduplicated: stored !== null && Number(stored) !== timestamp };
  }

  private async cancelNow(jobId: string): Promise<boolean> {
    const job = await this.queue.getJob(jobId);
    if (!job) return false;
    const state = await job.getState();
    if (state === "completed" || state === "failed" || state === "unknown") return false;
    const flagKey = this.names.cancelFlag(jobId);
    const flag = cancelFlagValue(job.timestamp);
    // A queued job with a flag already counts as canceled (see getJob): nothing more to do.
    if (state !== "active" && (await this.redis.get(flagKey)) === flag) return false;
    await this.redis.set(flagKey, flag, "PX", this.retentionMs);
    await this.redis.publish(this.names.cancelChannel, jobId);
    if (state !== "active") {
      // A queued job is dropped by the first worker that takes it (the flag is checked before
      // the handler). Promote a delayed one so that happens soon rather than at its run time.
      if (state === "delayed") await job.promote().catch(() => {});
      await this.queue.getBackend().publishEvent({ event: CANCELED_EVENT, jobId }, MAX_EVENTS);
    }
    return true;
  }

  private async getJobNow(jobId: string): Promise<JobSnapshot<P> | undefined> {
    let job = await this.queue.getJob(jobId);
    if (!job) return undefined;
    const [rawState, flag] = await Promise.all([job.getState(), this.redis.get(this.names.cancelFlag(jobId))]);
    if (rawState === "unknown") return undefined;
    // The job may have finished between the two reads; its fields are written in the same
    // step as its state, so read them again rather than pair "failed" with an unfinished job.
    if ((rawState === "completed" || rawState === "failed") && !job.finishedOn) {
      job = await this.queue.getJob(jobId);
      if (!job) return undefined;
    }
    const cancelRequested = flag === cancelFlagValue(job.timestamp);
    let state: JobState;
    if (rawState === "completed" || rawState === "active") state = rawState;
    else if (rawState === "failed") state = job.failedReason === CANCELED_REASON ? "canceled" : "failed";
    else if (cancelRequested) state = "canceled";
    else state = rawState === "delayed" ? "delayed" : "waiting";
    const snapshot = {
      id: jobId,
      name: job.name,
      data: job.data,
      state,
      progress: asProgress(job.progress),
      attemptsMade: job.attemptsMade,
      maxAttempts: job.opts.attempts ?? 1,
      cancelRequested,
      result: job.returnvalue ?? undefined,
      failedReason: job.failedReason || undefined,
      createdAt: new Date(job.timestamp),
      finishedAt: job.finishedOn ? new Date(job.finishedOn) : undefined,
    };
    // The name/data pairing was checked by `enqueue`'s types when the job went in.
    return snapshot as JobSnapshot<P>;
  }

  private async countsNow(): Promise<QueueCounts> {
    const c = await this.queue.getJobCounts(
      "waiting",
      "prioritized",
      "waiting-children",
      "delayed",
      "active",
      "completed",
      "failed",
    );
    const n = (key: string) => c[key] ?? 0;
    return {
      waiting: n("waiting") + n("prioritized") + n("waiting-children"),
      delayed: n("delayed"),
      active: n("active"),
      completed: n("completed"),
      failed: n("failed"),
    };
  }

  private async scheduleNow<N extends JobName<P>>(
    schedulerId: string,
    spec: ScheduleSpec,
    job: { name: N; data: P[N]; attempts?: number; backoffMs?: number },
  ): Promise<void> {
    const opts: JobsOptions = {};
    if (job.attempts !== undefined) opts.attempts = Math.max(1, job.attempts);
    if (job.backoffMs !== undefined) opts.backoff = { type: "exponential", delay: job.backoffMs };
    await this.queue.upsertJobScheduler(
      schedulerId,
      "cron" in spec ? { pattern: spec.cron, tz: "UTC" } : { every: spec.everyMs },
      { name: job.name, data: job.data, opts },
    );
  }

  process(handlers: JobHandlers<P>, options: ProcessOptions = {}): Promise<JobWorker> {
    if (this.worker) return Promise.reject(new Error("this job queue already has a worker; call process() once"));
    if (this.closing) return Promise.reject(new Error("job queue is closed"));
    const worker = startBullmqWorker({
      redisUrl: this.options.redisUrl,
      names: this.names,
      handlers: handlers as Record<string, JobHandler<unknown> | undefined>,
      concurrency: Math.max(1, options.concurrency ?? 1),
      lockDurationMs: this.options.lockDurationMs ?? 30_000,
      stalledIntervalMs: this.options.stalledIntervalMs ?? 30_000,
      maxStalledCount: this.options.maxStalledCount ?? 1,
      cancelPollMs: this.options.cancelPollMs ?? 5000,
      commandTimeoutMs: this.options.commandTimeoutMs,
      onError: this.onError,
    });
    // A worker that failed to start (Redis unreachable) must not block a later attempt.
    this.worker = worker.catch((error: unknown) => {
      this.worker = undefined;
      throw error;
    });
    return this.worker;
  }

  close(options: CloseOptions = {}): Promise<void> {
    this.closing ??= (async () => {
      const worker = await this.worker?.catch(() => undefined);
      await worker?.close(options);
      const events = await this.events?.catch(() => undefined);
      await events?.close().catch((error: unknown) => this.onError(error, "queue events close"));
      await this.queue.close().catch((error: unknown) => this.onError(error, "queue close"));
      await this.redis.quit().catch(() => this.redis.disconnect());
      this.watchers.clear();
    })();
    return this.closing;
  }

  /**
   * One events reader per queue instance, started on the first `watch` so worker-only processes
   * do not hold its blocking connection. It reads from the stream's current end, fetched before
   * it starts, so nothing that happens after `watch` resolves can slip past it.
   */
  private queueEvents(): Promise<QueueEvents> {
    this.events ??= (async () => {
      const last = await this.redis.xrevrange(this.queue.keys.events ?? "", "+", "-", "COUNT", 1);
      const events = new QueueEvents(this.names.queueName, {
        connection: this.redis,
        prefix: this.names.prefix,
        lastEventId: last[0]?.[0] ?? "0-0",
      });
      events.on("error", (error) => this.onError(error, "queue events"));
      events.on("active", ({ jobId }) => this.dispatch(jobId, { type: "active" }));
      events.on("progress", ({ jobId, data }) =>
        this.dispatch(jobId, { type: "progress", progress: asProgress(data) }),
      );
      events.on("completed", ({ jobId, returnvalue }) =>
        this.dispatch(jobId, { type: "completed", result: returnvalue ?? undefined }),
      );
      events.on("failed", ({ jobId, failedReason }) =>
        this.dispatch(
          jobId,
          failedReason === CANCELED_REASON ? { type: "canceled" } : { type: "failed", failedReason },
        ),
      );
      events.on<GantryQueueEvents, typeof CANCELED_EVENT>(CANCELED_EVENT, ({ jobId }) =>
        this.dispatch(jobId, { type: "canceled" }),
      );
      await events.waitUntilReady();
      return events;
    })();
    // A reader that failed to start (Redis away) must not fail every later watch.
    const starting = this.events;
    starting.catch(() => {
      if (this.events === starting) this.events = undefined;
    });
    return this.events;
  }

  private dispatch(jobId: string, event: JobEvent): void {
    for (const listener of this.watchers.get(jobId) ?? []) {
      try {
        listener(event);
      } catch (error) {
        this.onError(error, `watcher of job ${jobId}`);
      }
    }
  }
}

/** BullMQ allows strings and booleans as progress; the port does not. */
function asProgress(value: unknown): JobProgress {
  if (typeof value === "number") return value;
  if (typeof value === "object" && value !== null) return value as { [key: string]: unknown };
  return 0;
}
