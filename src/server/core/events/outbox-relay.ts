import { asc, inArray, isNull, sql } from "drizzle-orm";
import type { EventEnvelope } from "../../../shared/events.js";
import type { DatabaseHandle } from "../../db/client.js";
import type { Executor } from "../../db/database.js";
import { outbox } from "../../db/schema/events.js";
import { withTimeout } from "../../utils/startup-error.js";
import type { Logger } from "../logger.js";
import type { EventTransport } from "./transport.js";

export interface OutboxRelayOptions {
  /** Rows published per round. */
  batchSize: number;
  /** Safety-net poll for rows whose NOTIFY was missed. */
  pollIntervalMs: number;
  /** First pause after a failed round; doubles on each further failure... */
  backoffInitialMs: number;
  /** ...up to this cap, so a returning broker is noticed soon. */
  backoffMaxMs: number;
  /** A publish (and its confirm) not settled within this counts as failed, whatever the transport. */
  publishTimeoutMs: number;
  /**
   * A whole round (select, publish, stamp) not settled within this is abandoned and retried.
   * The round's transaction also tells PostgreSQL to end it if it sits idle this long, so an
   * abandoned round's row locks do not outlive it.
   */
  roundTimeoutMs: number;
  /** How often the watchdog checks that the loop still turns and how old the oldest pending event is. */
  watchdogIntervalMs: number;
  /** Pending events older than this make the relay warn (and health report the events as degraded). */
  staleAfterMs: number;
}

export const defaultRelayOptions: OutboxRelayOptions = {
  batchSize: 100,
  pollIntervalMs: 1000,
  backoffInitialMs: 250,
  backoffMaxMs: 15_000,
  publishTimeoutMs: 10_000,
  roundTimeoutMs: 30_000,
  watchdogIntervalMs: 5000,
  staleAfterMs: 60_000,
};

/** Queries the relay makes outside a round (metrics, health, watchdog) give up after this. */
const QUERY_TIMEOUT_MS = 2000;

interface RoundResult {
  published: number;
  failed: number;
}

/**
 * Moves committed outbox rows to the transport. A row is stamped `published_at` only after the
 * transport confirmed it; when the transport is away the row stays pending (attempts and the
 * last error recorded) and the relay backs off, so nothing is lost and nothing hot-loops.
 * A crash between confirm and stamp republishes the row; consumers are idempotent by event id.
 *
 * The loop must never stop while the process lives: every await in a round has a deadline, an
 * exception only backs off, and a watchdog replaces a loop that stopped turning anyway (a
 * driver hang we did not foresee). The same watchdog warns while events wait too long.
 */
export class OutboxRelay {
  private readonly options: OutboxRelayOptions;
  private loop: Promise<void> | undefined;
  /** Bumped to retire a loop: an old loop that wakes up later sees it and exits. */
  private generation = 0;
  /** When the current loop last finished a round or a sleep: what the watchdog checks. */
  private heartbeatAt = 0;
  private watchdog: NodeJS.Timeout | undefined;
  private lastStaleWarningAt = 0;
  /** The last age the watchdog measured, for health checks that must not query. */
  private lastOldestPendingMs = 0;
  private stopped = true;
  private failures = 0;
  private wakeRequested = false;
  private wakeSleeper: (() => void) | undefined;

  constructor(
    private readonly handle: DatabaseHandle,
    private readonly transport: EventTransport,
    private readonly logger: Logger,
    options: Partial<OutboxRelayOptions> = {},
  ) {
    this.options = { ...defaultRelayOptions, ...options };
  }

  start(): void {
    if (this.loop) return;
    this.stopped = false;
    this.startLoop();
    this.watchdog = setInterval(() => void this.checkOnLoop(), this.options.watchdogIntervalMs);
    this.watchdog.unref();
  }

  /** Finishes the round in progress (so no confirmed row is left unstamped), then stops. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.watchdog);
    this.wakeSleeper?.();
    // A round is bounded by its deadline; a loop wedged past it is not worth waiting for.
    await withTimeout(this.loop ?? Promise.resolve(), this.options.roundTimeoutMs, "outbox relay stop").catch(
      (error: unknown) => this.logger.warn({ err: error }, "outbox relay did not stop in time"),
    );
    this.loop = undefined;
  }

  /** New rows committed: publish now rather than at the next poll. Ignored while backing off. */
  wake(): void {
    if (this.failures > 0) return;
    this.wakeRequested = true;
    this.wakeSleeper?.();
  }

  /** Committed events not yet handed to the transport (a metric, and a health signal). */
  async backlog(): Promise<number> {
    const query = this.handle.db
      .select({ count: sql<number>`count(*)::int` })
      .from(outbox)
      .where(isNull(outbox.publishedAt));
    const [row] = await withTimeout(Promise.resolve(query), QUERY_TIMEOUT_MS, "outbox backlog");
    return row?.count ?? 0;
  }

  /** Age of the oldest event not yet published, in ms (0 when none): how late events are. */
  async oldestPendingAgeMs(): Promise<number> {
    const query = this.handle.db
      .select({ ageMs: sql<number | null>`(extract(epoch from now() - min(${outbox.createdAt})) * 1000)::float8` })
      .from(outbox)
      .where(isNull(outbox.publishedAt));
    const [row] = await withTimeout(Promise.resolve(query), QUERY_TIMEOUT_MS, "outbox age");
    this.lastOldestPendingMs = Math.max(0, Number(row?.ageMs ?? 0));
    return this.lastOldestPendingMs;
  }

  /** Whether the oldest pending event is older than `staleAfterMs` (as last measured). */
  get stale(): boolean {
    return this.lastOldestPendingMs > this.options.staleAfterMs;
  }

  get staleAfterMs(): number {
    return this.options.staleAfterMs;
  }

  private startLoop(): void {
    const generation = ++this.generation;
    this.heartbeatAt = Date.now();
    const loop = this.run(generation).catch((error: unknown) => {
      // run() catches round failures itself; reaching here is a bug, and the relay must go on.
      this.logger.error({ err: error }, "outbox relay loop failed; restarting it");
      if (!this.stopped && generation === this.generation) this.startLoop();
    });
    this.loop = loop;
  }

  /** The watchdog: restarts a loop that stopped turning, and warns while events wait too long. */
  private async checkOnLoop(): Promise<void> {
    if (this.stopped) return;
    // Longest legitimate gap between heartbeats: a round at its deadline plus the longest pause.
    const allowance = this.options.roundTimeoutMs + this.options.backoffMaxMs + this.options.pollIntervalMs + 1000;
    const silentFor = Date.now() - this.heartbeatAt;
    if (silentFor > allowance) {
      this.logger.error({ silentForMs: silentFor }, "outbox relay loop stopped turning; starting a new one");
      this.wakeSleeper?.();
      this.startLoop();
    }
    try {
      const ageMs = await this.oldestPendingAgeMs();
      const now = Date.now();
      // One line per minute at most: enough to be seen, not enough to drown the log.
      if (ageMs > this.options.staleAfterMs && now - this.lastStaleWarningAt >= 60_000) {
        this.lastStaleWarningAt = now;
        this.logger.warn(
          { oldestPendingMs: Math.round(ageMs), staleAfterMs: this.options.staleAfterMs },
          "outbox events are waiting longer than they should; check the relay and the broker",
        );
      }
    } catch (error) {
      this.logger.debug({ err: error }, "outbox age check failed");
    }
  }

  private async run(generation: number): Promise<void> {
    const current = () => !this.stopped && generation === this.generation;
    while (current()) {
      this.wakeRequested = false;
      this.heartbeatAt = Date.now();
      let delay = this.options.pollIntervalMs;
      try {
        const result = await withTimeout(this.round(), this.options.roundTimeoutMs, "outbox relay round");
        if (result.failed > 0) {
          delay = this.backoff();
        } else {
          this.failures = 0;
          // A full batch means more are probably waiting: go again straight away.
          if (result.published >= this.options.batchSize) delay = 0;
        }
      } catch (error) {
        this.logger.warn({ err: error }, "outbox relay round failed");
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
      // The row locks live as long as the transaction, and SKIP LOCKED makes a second relay
      // (another process) take other rows, so no row is sent twice by two relays at once.
      return this.handle.db.transaction(async (tx) => {
        // If this round is abandoned at its deadline (a wedged connection), the server ends the
        // transaction by itself and releases the row locks, so another round can take the rows.
        await tx.execute(
          sql.raw(`set local idle_in_transaction_session_timeout = ${Math.ceil(this.options.roundTimeoutMs)}`),
        );
        await tx.execute(sql.raw(`set local statement_timeout = ${Math.ceil(this.options.roundTimeoutMs)}`));
        return this.publishBatch(tx, true);
      });
    }
    // PGlite is one process with one relay; a transaction there would only block the consumers.
    return this.publishBatch(this.handle.db, false);
  }

  private async publishBatch(executor: Executor, lock: boolean): Promise<RoundResult> {
    const query = executor
      .select({ id: outbox.id, envelope: outbox.envelope })
      .from(outbox)
      .where(isNull(outbox.publishedAt))
      .orderBy(asc(outbox.createdAt), asc(outbox.id))
      .limit(this.options.batchSize);
    const rows = lock ? await query.for("update", { skipLocked: true }) : await query;
    if (rows.length === 0) return { published: 0, failed: 0 };

    // The envelope was validated when it was written; the relay forwards it untouched so that a
    // row the catalogue no longer accepts ends in a consumer's dead-letter queue, not stuck here.
    // Publishing the whole batch before awaiting keeps it in order on the channel and costs one
    // round trip for the confirms instead of one per row.
    const results = await Promise.allSettled(
      rows.map((row) =>
        withTimeout(
          this.transport.publish(row.envelope as EventEnvelope),
          this.options.publishTimeoutMs,
          "outbox publish",
        ),
      ),
    );

    const published = rows.filter((_, index) => results[index]?.status === "fulfilled").map((row) => row.id);
    if (published.length > 0) {
      await executor.update(outbox).set({ publishedAt: sql`now()` }).where(inArray(outbox.id, published));
    }
    const failed = rows.filter((_, index) => results[index]?.status === "rejected").map((row) => row.id);
    if (failed.length > 0) {
      const firstFailure = results.find((result) => result.status === "rejected");
      const reason = firstFailure?.status === "rejected" ? failureReason(firstFailure.reason) : "unknown";
      await executor
        .update(outbox)
        .set({ attempts: sql`${outbox.attempts} + 1`, lastError: reason })
        .where(inArray(outbox.id, failed));
      // One line per failed round, not per row: during an outage this repeats at the backoff pace.
      this.logger.warn({ pending: failed.length, reason }, "outbox relay could not publish; events stay pending");
    }
    return { published: published.length, failed: failed.length };
  }
}

function failureReason(error: unknown): string {
  return (error instanceof Error ? error.message || error.name : String(error)).slice(0, 500);
}
