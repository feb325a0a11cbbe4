import { setTimeout as sleep } from "node:timers/promises";
import { DelayedError, type Job, UnrecoverableError, WaitingError, Worker } from "bullmq";
import { waitsOutOutage } from "../outage.js";
import { createRedisClient } from "../redis.js";
import { type BullmqNames, cancelFlagValue } from "./bullmq-keys.js";
import {
  CANCELED_REASON,
  errorMessage,
  JobCanceledError,
  JobInterruptedError,
  UnrecoverableJobError,
} from "./errors.js";
import type { CloseOptions, JobHandler, JobProgress, JobWorker } from "./port.js";

/** How long a job that failed for a dependency's outage waits before it runs again. */
const OUTAGE_RETRY_DELAY_MS = 2000;

export interface BullmqWorkerSettings {
  redisUrl: string;
  names: BullmqNames;
  handlers: Record<string, JobHandler<unknown> | undefined>;
  concurrency: number;
  lockDurationMs: number;
  stalledIntervalMs: number;
  maxStalledCount: number;
  cancelPollMs: number;
  /** For the silence watchdog of the worker's own connections (see redis.ts). */
  commandTimeoutMs?: number | undefined;
  onError: (error: unknown, context: string) => void;
}

const DEFAULT_CLOSE_TIMEOUT_MS = 10_000;
/** After aborting signals at shutdown, how long handlers get to notice before we cut the connections. */
const ABORT_GRACE_MS = 1000;

/** Starts a BullMQ worker that runs `handlers`; resolves once cancel requests can reach it. */
export async function startBullmqWorker(settings: BullmqWorkerSettings): Promise<JobWorker> {
  const { names, onError } = settings;
  const running = new Map<string, { controller: AbortController; flag: string }>();
  const abort = (jobId: string, reason: Error) => {
    const controller = running.get(jobId)?.controller;
    if (controller && !controller.signal.aborted) controller.abort(reason);
  };

  // Its own connections: closing the worker must not touch the producer's, and BullMQ needs
  // a connection per blocking consumer anyway (it duplicates this one for its blocking fetch).
  const redis = { purpose: "queue", commandTimeoutMs: settings.commandTimeoutMs } as const;
  const connection = createRedisClient(settings.redisUrl, { name: `${names.prefix}:worker`, ...redis });
  const subscriber = createRedisClient(settings.redisUrl, { name: `${names.prefix}:cancel`, ...redis });
  connection.on("error", (error: unknown) => onError(error, "queue worker connection"));
  subscriber.on("error", (error: unknown) => onError(error, "queue cancel subscription"));
  subscriber.on("message", (_channel: string, jobId: string) => abort(jobId, new JobCanceledError(jobId)));
  try {
    await subscriber.subscribe(names.cancelChannel);
  } catch (error) {
    connection.disconnect();
    subscriber.disconnect();
    throw error;
  }

  // Two parameters on purpose: BullMQ only builds its own abort controllers for processors
  // declaring a third; ours comes from `running`, fed by cancel requests, lock loss and shutdown.
  const processor = async (job: Job<unknown, unknown, string>, token?: string): Promise<unknown> => {
    const jobId = job.id ?? "";
    const controller = new AbortController();
    const flag = cancelFlagValue(job.timestamp);
    running.set(jobId, { controller, flag });
    try {
      // Registered before this check, so a cancel request racing with the start is seen by one or the other.
      if ((await connection.get(names.cancelFlag(jobId))) === flag) throw new UnrecoverableError(CANCELED_REASON);
      const handler = settings.handlers[job.name];
      if (!handler) throw new UnrecoverableError(`no handler for job "${job.name}"`);
      try {
        return await handler({
          id: jobId,
          name: job.name,
          data: job.data,
          attempt: job.attemptsMade + 1,
          signal: controller.signal,
          reportProgress: (progress: JobProgress) => job.updateProgress(progress),
        });
      } catch (error) {
        throw await outcomeOfFailure(job, token, error, controller.signal);
      }
    } finally {
      running.delete(jobId);
    }
  };

  const worker = new Worker<unknown, unknown, string>(names.queueName, processor, {
    connection,
    prefix: names.prefix,
    concurrency: settings.concurrency,
    lockDuration: settings.lockDurationMs,
    stalledInterval: settings.stalledIntervalMs,
    maxStalledCount: settings.maxStalledCount,
    autorun: false,
  });
  worker.on("error", (error) => onError(error, "queue worker"));
  // BullMQ keeps running a handler whose lock is gone; stop it, another worker runs the job.
  worker.on("lockRenewalFailed", (jobIds) => {
    for (const jobId of jobIds) abort(jobId, new JobInterruptedError(jobId, "lock-lost"));
  });
  worker.run().catch((error: unknown) => onError(error, "queue worker loop"));
  await worker.waitUntilReady();

  // Pub/sub messages sent while the subscriber was reconnecting are lost; the flag is not.
  const poll = setInterval(() => {
    const jobs = [...running.entries()];
    if (jobs.length === 0) return;
    connection
      .mget(jobs.map(([jobId]) => names.cancelFlag(jobId)))
      .then((flags) => {
        flags.forEach((flag, i) => {
          const [jobId, job] = jobs[i] ?? [];
          if (jobId !== undefined && flag === job?.flag) abort(jobId, new JobCanceledError(jobId));
        });
      })
      .catch((error: unknown) => onError(error, "queue cancel poll"));
  }, settings.cancelPollMs);
  poll.unref();

  let closing: Promise<void> | undefined;
  const close = async (options: CloseOptions) => {
    clearInterval(poll);
    const closed = worker.close().then(
      () => true,
      (error: unknown) => {
        onError(error, "queue worker close");
        return true;
      },
    );
    const patience = new AbortController();
    const wait = (ms: number) => sleep(ms, false, { signal: patience.signal }).catch(() => false);
    if (!(await Promise.race([closed, wait(options.timeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS)]))) {
      for (const jobId of running.keys()) abort(jobId, new JobInterruptedError(jobId, "shutdown"));
      if (!(await Promise.race([closed, wait(ABORT_GRACE_MS)]))) {
        // A handler ignores its signal. Drop the connections: its lock expires and another
        // worker runs the job; this process is on its way out.
        await worker.disconnect().catch((error: unknown) => onError(error, "queue worker disconnect"));
      }
    }
    patience.abort();
    await Promise.all([connection.quit(), subscriber.quit()]).catch(() => {
      connection.disconnect();
      subscriber.disconnect();
    });
  };
  return {
    close(options = {}) {
      closing ??= close(options);
      return closing;
    },
  };
}

/**
 * What BullMQ should record when a handler throws. The abort reason wins over the thrown error:
 * a canceled job fails for good as "canceled"; an interrupted one goes back to the front of the
 * queue without using up an attempt; a lost lock is left to the worker that took the job over.
 * A dependency's outage (see core/outage.ts) delays the job without using up an attempt either.
 */
async function outcomeOfFailure(
  job: Job<unknown, unknown, string>,
  token: string | undefined,
  error: unknown,
  signal: AbortSignal,
): Promise<Error> {
  const reason: unknown = signal.aborted ? signal.reason : undefined;
  if (reason instanceof JobCanceledError) return new UnrecoverableError(CANCELED_REASON);
  if (reason instanceof JobInterruptedError && reason.reason === "shutdown" && token) {
    try {
      await job.moveToWait(token);
      return new WaitingError();
    } catch {
      // The lock is gone already; the stalled-job check will put the job back instead.
    }
  }
  if (error instanceof UnrecoverableJobError) return new UnrecoverableError(error.message);
  if (waitsOutOutage(error, job.timestamp) && token) {
    try {
      await job.moveToDelayed(Date.now() + OUTAGE_RETRY_DELAY_MS, token);
      return new DelayedError();
    } catch {
      // Redis is away too: the attempt counts, as it would have anyway.
    }
  }
  return error instanceof Error ? error : new Error(errorMessage(error));
}
