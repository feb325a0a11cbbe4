import { asc, inArray, isNull, sql } from "drizzle-orm";
import type { EventEnvelope } from "../../../shared/events.js";
import type { DatabaseHandle, Executor } from "../../db/client.js";
import { outbox } from "../../db/schema/events.js";
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
}

export const defaultRelayOptions: OutboxRelayOptions = {
  batchSize: 100,
  pollIntervalMs: 1000,
  backoffInitialMs: 250,
  backoffMaxMs: 15_000,
};

interface RoundResult {
  published: number;
  failed: number;
}

/**
 * Moves committed outbox rows to the transport. A row is stamped `published_at` only after the
 * transport confirmed it; when the transport is away the row stays pending (attempts and the
 * last error recorded) and the relay backs off, so nothing is lost and nothing hot-loops.
 * A crash between confirm and stamp republishes the row; consumers are idempotent by event id.
 */
export class OutboxRelay {
  private readonly options: OutboxRelayOptions;
  private loop: Promise<void> | undefined;
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
    this.loop = this.run();
  }

  /** Finishes the round in progress (so no confirmed row is left unstamped), then stops. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeSleeper?.();
    await this.loop;
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
    const [row] = await this.handle.db
      .select({ count: sql<number>`count(*)::int` })
      .from(outbox)
      .where(isNull(outbox.publishedAt));
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
          if (result.published >= this.options.batchSize) delay = 0;
        }
      } catch (error) {
        this.logger.warn({ err: error }, "outbox relay round failed");
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
      // The row locks live as long as the transaction, and SKIP LOCKED makes a second relay
      // (another process) take other rows, so no row is sent twice by two relays at once.
      return this.handle.db.transaction((tx) => this.publishBatch(tx, true));
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
    const results = await Promise.allSettled(rows.map((row) => this.transport.publish(row.envelope as EventEnvelope)));

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
