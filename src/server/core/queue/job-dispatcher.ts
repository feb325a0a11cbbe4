import { and, asc, inArray, isNotNull, isNull, lt, sql } from "drizzle-orm";
import type { DatabaseHandle, Executor } from "../../db/client.js";
import { jobOutbox } from "../../db/schema/jobs.js";
import type { Logger } from "../logger.js";
import { listenForJobOutbox } from "./job-outbox.js";
import type { EnqueueOptions, JobName, JobQueue } from "./port.js";

export interface JobDispatcherOptions {
  /** Rows handed to the queue per round. */
  batchSize: number;
  /** Safety-net poll for rows whose NOTIFY was missed (or written while the queue was away). */
  pollIntervalMs: number;
  /** First pause after a failed round; doubles on each further failure... */
  backoffInitialMs: number;
  /** ...up to this cap, so a returning Redis is noticed soon. */
  backoffMaxMs: number;
  /** Dispatched rows are kept this long (to answer "was it handed over, when?"), then deleted. */
  retentionMs: number;
}

export const defaultDispatcherOptions: JobDispatcherOptions = {
  batchSize: 100,
  pollIntervalMs: 1000,
  backoffInitialMs: 250,
  backoffMaxMs: 5000,
  retentionMs: 24 * 3600_000,
};

/** Purge old rows once in this many rounds: cheap, and no separate timer to manage. */
const PURGE_EVERY_ROUNDS = 600;

interface RoundResult {
  dispatched: number;
  failed: number;
}

/**
 * Moves committed job-outbox rows to the job queue, in the shape of the event outbox relay
 * (core/events/outbox-relay.ts): a row is stamped `dispatched_at` only after the queue accepted
 * the job; while the queue is unreachable (each enqueue has its deadline) rows stay pending with
 * the attempt recorded, and the dispatcher backs off. The job id comes from the row's key, so a
 * row handed over twice (a crash before the stamp, a retry after a timed-out enqueue that did
 * land) still makes one job. Runs in every process that writes jobs (API and workers); with
 * PostgreSQL, SKIP LOCKED keeps two dispatchers off the same rows.
 */
export class JobDispatcher {
  private readonly options: JobDispatcherOptions;
  private loop: Promise<void> | undefined;
  private stopped = true;
  private failures = 0;
  private rounds = 0;
  private wakeRequested = false;
  private wakeSleeper: (() => void) | undefined;
  private stopListening: (() => Promise<void>) | undefined;

  constructor(
    private readonly handle: DatabaseHandle,
    private readonly queue: Pick<JobQueue, "enqueue">,
    private readonly logger: Logger,
    options: Partial<JobDispatcherOptions> = {},
  ) {
    this.options = { ...defaultDispatcherOptions, ...options };
  }

  /** Listens for commits that wrote jobs, and starts the loop (which first sends what is pending). */
  async start(): Promise<void> {
    if (this.loop) return;
    this.stopped = false;
    try {
      this.stopListening = await listenForJobOutbox(this.handle, () => this.wake());
    } catch (error) {
      this.logger.warn({ err: error }, "no job outbox notifications; the dispatcher falls back to polling");
    }
    this.loop = this.run();
  }

  /** Finishes the round in progress (so no accepted job is left unstamped), then stops. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.stopListening?.().catch(() => {});
    this.stopListening = undefined;
    this.wakeSleeper?.();
    await this.loop;
    this.loop = undefined;
  }

  /** New rows committed: dispatch now rather than at the next poll. Ignored while backing off. */
  wake(): void {
    if (this.failures > 0) return;
    this.wakeRequested = true;
    this.wakeSleeper?.();
  }

  /** Committed jobs not yet handed to the queue (a metric, and a health signal). */
  async backlog(): Promise<number> {
    const [row] = await this.handle.db
      .select({ count: sql<number>`count(*)::int` })
      .from(jobOutbox)
      .where(isNull(jobOutbox.dispatchedAt));
    return row?.count ?? 0;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      this.wakeRequested = false;
      let delay = this.options.pollIntervalMs;
      try {
        const result = await this.round();
        if (result.failed > 0) {
          delay = this.backoff();
        } else {
          this.failures = 0;
          // A full batch means more are probably waiting: go again straight away.
          if (result.dispatched >= this.options.batchSize) delay = 0;
        }
        if (++this.rounds % PURGE_EVERY_ROUNDS === 0) await this.purge();
      } catch (error) {
        this.logger.warn({ err: error }, "job dispatcher round failed");
        delay = this.backoff();
      }
      if (this.stopped) break;
      if (delay > 0 && !(this.wakeRequested && this.failures === 0)) await this.sleep(delay);
    }
  }

  private backoff(): number {
    this.failures += 1;
    return Math.min(this.options.backoffMaxMs, this.options.backoffInitialMs * 2 ** (this.failures - 1));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeSleeper = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeSleeper = done;
    });
  }

  private async round(): Promise<RoundResult> {
    if (this.handle.kind === "postgres") {
      // Row locks last as long as the transaction; the enqueues inside it are bounded by the
      // queue's own deadline, so a silent Redis holds them for seconds at most.
      return this.handle.db.transaction((tx) => this.dispatchBatch(tx, true));
    }
    // PGlite is one process with one dispatcher; a transaction there would only block writers.
    return this.dispatchBatch(this.handle.db, false);
  }

  private async dispatchBatch(executor: Executor, lock: boolean): Promise<RoundResult> {
    const query = executor
      .select({
        id: jobOutbox.id,
        name: jobOutbox.name,
        payload: jobOutbox.payload,
        jobKey: jobOutbox.jobKey,
        maxAttempts: jobOutbox.maxAttempts,
        backoffMs: jobOutbox.backoffMs,
        // Measured by the database's clock, as run_at was written.
        delayMs: sql<number>`greatest(0, ceil(extract(epoch from (${jobOutbox.runAt} - now())) * 1000))::int`,
      })
      .from(jobOutbox)
      .where(isNull(jobOutbox.dispatchedAt))
      .orderBy(asc(jobOutbox.createdAt), asc(jobOutbox.id))
      // While the queue is failing, one row probes it: enqueues that gave up still wait in the
      // queue connection's offline buffer, and a long outage must not pile up a batch per round.
      .limit(this.failures > 0 ? 1 : this.options.batchSize);
    const rows = lock ? await query.for("update", { skipLocked: true }) : await query;
    if (rows.length === 0) return { dispatched: 0, failed: 0 };

    const results = await Promise.allSettled(
      rows.map((row) => {
        const options: EnqueueOptions = { idempotencyKey: row.jobKey };
        if (row.delayMs > 0) options.delayMs = row.delayMs;
        if (row.maxAttempts !== null) options.attempts = row.maxAttempts;
        if (row.backoffMs !== null) options.backoffMs = row.backoffMs;
        // The payload was typed by `addJob` when the row was written.
        return this.queue.enqueue(row.name as JobName, row.payload as never, options);
      }),
    );

    const dispatched = rows.filter((_, index) => results[index]?.status === "fulfilled").map((row) => row.id);
    if (dispatched.length > 0) {
      await executor.update(jobOutbox).set({ dispatchedAt: sql`now()` }).where(inArray(jobOutbox.id, dispatched));
    }
    const failed = rows.filter((_, index) => results[index]?.status === "rejected").map((row) => row.id);
    if (failed.length > 0) {
      const firstFailure = results.find((result) => result.status === "rejected");
      const reason = firstFailure?.status === "rejected" ? failureReason(firstFailure.reason) : "unknown";
      await executor
        .update(jobOutbox)
        .set({ attempts: sql`${jobOutbox.attempts} + 1`, lastError: reason })
        .where(inArray(jobOutbox.id, failed));
      // One line per failed round, not per row: during an outage this repeats at the backoff pace.
      this.logger.warn(
        { pending: failed.length, reason },
        "job dispatcher could not reach the queue; jobs stay pending",
      );
    }
    return { dispatched: dispatched.length, failed: failed.length };
  }

  private async purge(): Promise<void> {
    const before = new Date(Date.now() - this.options.retentionMs);
    await this.handle.db
      .delete(jobOutbox)
      .where(and(isNotNull(jobOutbox.dispatchedAt), lt(jobOutbox.dispatchedAt, before)));
  }
}

function failureReason(error: unknown): string {
  return (error instanceof Error ? error.message || error.name : String(error)).slice(0, 500);
}
