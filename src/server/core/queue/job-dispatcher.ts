import { and, asc, gte, inArray, isNotNull, isNull, lt, sql } from "drizzle-orm";
import type { DatabaseHandle } from "../../db/client.js";
import type { Executor } from "../../db/database.js";
import { jobOutbox } from "../../db/schema/jobs.js";
import { withTimeout } from "../../utils/startup-error.js";
import type { Logger } from "../logger.js";
import { QueueUnavailableError } from "./errors.js";
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
  /**
   * A whole round (select, enqueue, stamp) not settled within this is abandoned and retried.
   * The round's transaction also tells PostgreSQL to end it if it sits idle this long, so an
   * abandoned round's row locks do not outlive it.
   */
  roundTimeoutMs: number;
  /** How often the watchdog checks that the loop still turns. */
  watchdogIntervalMs: number;
  /**
   * A row the queue refused this many times is parked: no longer selected, so the rows behind it
   * flow. Only refusals while the queue was accepting other rows count up to it (see `recordFailures`);
   * during an outage a row's attempts stop one short, so an outage parks nothing.
   */
  parkAfterAttempts: number;
}

const defaultDispatcherOptions: JobDispatcherOptions = {
  batchSize: 100,
  pollIntervalMs: 1000,
  backoffInitialMs: 250,
  backoffMaxMs: 5000,
  retentionMs: 24 * 3600_000,
  roundTimeoutMs: 30_000,
  watchdogIntervalMs: 5000,
  parkAfterAttempts: 10,
};

/** Queries the dispatcher makes outside a round (metrics, health) give up after this. */
const QUERY_TIMEOUT_MS = 2000;

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
 *
 * The loop must never stop while the process lives (payments, imports and runs wait on it), with
 * the event relay's hardening: every round has a deadline, an exception only backs off, a watchdog
 * replaces a loop that stopped turning, and `stop()` is bounded. Mirrored from OutboxRelay rather
 * than shared: there the loop lives in private methods entangled with its staleness checks.
 * A row the queue keeps refusing while it accepts others is parked (logged once at error level,
 * counted by `parked()`), so one bad row cannot hold back the rows behind it.
 */
export class JobDispatcher {
  private readonly options: JobDispatcherOptions;
  private loop: Promise<void> | undefined;
  /** Bumped to retire a loop: an old loop that wakes up later sees it and exits. */
  private generation = 0;
  /** When the current loop last finished a round or a sleep: what the watchdog checks. */
  private heartbeatAt = 0;
  private watchdog: NodeJS.Timeout | undefined;
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
      this.stopListening = await withTimeout(
        listenForJobOutbox(this.handle, () => this.wake()),
        QUERY_TIMEOUT_MS,
        "job outbox listen",
      );
    } catch (error) {
      this.logger.warn({ err: error }, "no job outbox notifications; the dispatcher falls back to polling");
    }
    this.startLoop();
    this.watchdog = setInterval(() => this.checkOnLoop(), this.options.watchdogIntervalMs);
    this.watchdog.unref();
  }

  /** Finishes the round in progress (so no accepted job is left unstamped), then stops. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.watchdog);
    await withTimeout(this.stopListening?.() ?? Promise.resolve(), QUERY_TIMEOUT_MS, "job outbox unlisten").catch(
      () => {},
    );
    this.stopListening = undefined;
    this.wakeSleeper?.();
    // A round is bounded by its deadline; a loop wedged past it is not worth waiting for.
    await withTimeout(this.loop ?? Promise.resolve(), this.options.roundTimeoutMs, "job dispatcher stop").catch(
      (error: unknown) => this.logger.warn({ err: error }, "job dispatcher did not stop in time"),
    );
    this.loop = undefined;
  }

  /** New rows committed: dispatch now rather than at the next poll. Ignored while backing off. */
  wake(): void {
    if (this.failures > 0) return;
    this.wakeRequested = true;
    this.wakeSleeper?.();
  }

  /** Committed jobs not yet handed to the queue (a metric, and a health signal). */
  /** Parked rows count here too: they are committed jobs the queue never got. */
  async backlog(): Promise<number> {
    const query = this.handle.db
      .select({ count: sql<number>`count(*)::int` })
      .from(jobOutbox)
      .where(isNull(jobOutbox.dispatchedAt));
    const [row] = await withTimeout(Promise.resolve(query), QUERY_TIMEOUT_MS, "job outbox backlog");
    return row?.count ?? 0;
  }

  /**
   * Rows parked after the queue refused them `parkAfterAttempts` times (a metric; each was logged
   * at error level when parked). Fix the cause, then set `attempts = 0` to hand one over again.
   */
  async parked(): Promise<number> {
    const query = this.handle.db
      .select({ count: sql<number>`count(*)::int` })
      .from(jobOutbox)
      .where(and(isNull(jobOutbox.dispatchedAt), gte(jobOutbox.attempts, this.options.parkAfterAttempts)));
    const [row] = await withTimeout(Promise.resolve(query), QUERY_TIMEOUT_MS, "job outbox parked");
    return row?.count ?? 0;
  }

  private startLoop(): void {
    const generation = ++this.generation;
    this.heartbeatAt = Date.now();
    this.loop = this.run(generation).catch((error: unknown) => {
      // run() catches round failures itself; reaching here is a bug, and the dispatcher must go on.
      this.logger.error({ err: error }, "job dispatcher loop failed; restarting it");
      if (!this.stopped && generation === this.generation) this.startLoop();
    });
  }

  /** The watchdog: replaces a loop that stopped turning (a driver hang nobody foresaw). */
  private checkOnLoop(): void {
    if (this.stopped) return;
    // Longest legitimate gap between heartbeats: a round at its deadline plus the longest pause.
    const allowance = this.options.roundTimeoutMs + this.options.backoffMaxMs + this.options.pollIntervalMs + 1000;
    const silentFor = Date.now() - this.heartbeatAt;
    if (silentFor > allowance) {
      this.logger.error({ silentForMs: silentFor }, "job dispatcher loop stopped turning; starting a new one");
      this.wakeSleeper?.();
      this.startLoop();
    }
  }

  private async run(generation: number): Promise<void> {
    const current = () => !this.stopped && generation === this.generation;
    while (current()) {
      this.wakeRequested = false;
      this.heartbeatAt = Date.now();
      let delay = this.options.pollIntervalMs;
      try {
        const result = await withTimeout(this.round(), this.options.roundTimeoutMs, "job dispatcher round");
        if (result.failed > 0 && result.dispatched === 0) {
          delay = this.backoff();
        } else {
          // Some rows went through: the queue is up, and the rows it refused are that row's problem
          // (counted towards parking), not a reason to slow everyone down.
          this.failures = 0;
          // A full batch means more are probably waiting: go again straight away.
          if (result.failed === 0 && result.dispatched >= this.options.batchSize) delay = 0;
        }
        if (++this.rounds % PURGE_EVERY_ROUNDS === 0) {
          await withTimeout(this.purge(), this.options.roundTimeoutMs, "job outbox purge");
        }
      } catch (error) {
        this.logger.warn({ err: error }, "job dispatcher round failed");
        delay = this.backoff();
      }
      if (!current()) break;
      this.heartbeatAt = Date.now();
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
      return this.handle.db.transaction(async (tx) => {
        // If this round is abandoned at its deadline (a wedged connection), the server ends the
        // transaction by itself and releases the row locks, so another round can take the rows.
        const ms = Math.ceil(this.options.roundTimeoutMs);
        await tx.execute(sql.raw(`set local idle_in_transaction_session_timeout = ${ms}`));
        await tx.execute(sql.raw(`set local statement_timeout = ${ms}`));
        return this.dispatchBatch(tx, true);
      });
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
      .where(and(isNull(jobOutbox.dispatchedAt), lt(jobOutbox.attempts, this.options.parkAfterAttempts)))
      // While the queue is failing, one row probes it: enqueues that gave up still wait in the
      // queue connection's offline buffer, and a long outage must not pile up a batch per round.
      // The probe is the least-tried row, so a row the queue refuses (while accepting others)
      // does not stand in front of the rest: another row probes, succeeds, and a full batch follows.
      .orderBy(...(this.failures > 0 ? [asc(jobOutbox.attempts)] : []), asc(jobOutbox.createdAt), asc(jobOutbox.id))
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
    const failed = rows.flatMap((row, index) => {
      const result = results[index];
      if (result?.status !== "rejected") return [];
      // A timeout says nothing about the row (Redis was slow): it never counts towards parking.
      const rowsFault = !(result.reason instanceof QueueUnavailableError);
      return [{ id: row.id, reason: failureReason(result.reason), rowsFault }];
    });
    if (failed.length > 0) await this.recordFailures(executor, failed, dispatched.length > 0);
    return { dispatched: dispatched.length, failed: failed.length };
  }

  /**
   * Counts a failed hand-over on each row. When other rows of the round were accepted, the queue
   * is up and these rows are refused for themselves (unless the refusal was a timeout): their
   * attempts count freely, and a row reaching `parkAfterAttempts` is parked (never selected
   * again) and logged once. Otherwise it may be an outage: attempts stop one short of parking.
   */
  private async recordFailures(
    executor: Executor,
    failed: { id: string; reason: string; rowsFault: boolean }[],
    queueAccepted: boolean,
  ): Promise<void> {
    const limit = this.options.parkAfterAttempts;
    const counted = sql`${jobOutbox.attempts} + 1`;
    const capped = sql`greatest(${jobOutbox.attempts}, least(${jobOutbox.attempts} + 1, ${limit - 1}))`;
    // One update per distinct (reason, counts towards parking): usually one or two statements.
    const groups = new Map<string, { reason: string; counts: boolean; ids: string[] }>();
    for (const { id, reason, rowsFault } of failed) {
      const counts = queueAccepted && rowsFault;
      const key = `${counts}:${reason}`;
      const group = groups.get(key) ?? { reason, counts, ids: [] };
      group.ids.push(id);
      groups.set(key, group);
    }
    const parked: { id: string; name: string; jobKey: string; attempts: number; lastError: string | null }[] = [];
    for (const { reason, counts, ids } of groups.values()) {
      const updated = await executor
        .update(jobOutbox)
        .set({ attempts: counts ? counted : capped, lastError: reason })
        .where(inArray(jobOutbox.id, ids))
        .returning({
          id: jobOutbox.id,
          name: jobOutbox.name,
          jobKey: jobOutbox.jobKey,
          attempts: jobOutbox.attempts,
          lastError: jobOutbox.lastError,
        });
      // Only a round where the queue accepted others can take a row to the limit, and a parked
      // row is never selected again: so each parked row is logged here exactly once.
      if (counts) parked.push(...updated.filter((row) => row.attempts === limit));
    }
    for (const row of parked) {
      this.logger.error(
        { jobOutboxId: row.id, job: row.name, jobKey: row.jobKey, attempts: row.attempts, reason: row.lastError },
        "job outbox row parked: the queue keeps refusing it while accepting others; it is skipped until its attempts are reset",
      );
    }
    const reason = failed[0]?.reason ?? "unknown";
    if (queueAccepted) {
      this.logger.warn({ refused: failed.length, reason }, "the queue refused some jobs; they stay pending");
    } else {
      // One line per failed round, not per row: during an outage this repeats at the backoff pace.
      this.logger.warn(
        { pending: failed.length, reason },
        "job dispatcher could not reach the queue; jobs stay pending",
      );
    }
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
