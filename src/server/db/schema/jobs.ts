import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

/**
 * Job outbox: work that must happen later is written in the same transaction as the state
 * that needs it, and the dispatcher hands committed rows to the job queue (BullMQ or the
 * in-process queue) whenever it can reach it. `job_key` makes the queue's job id, so a row
 * dispatched twice (a crash between enqueue and stamp, two dispatchers) still makes one job.
 */
export const jobOutbox = pgTable(
  "job_outbox",
  {
    id: uuid("id").primaryKey(),
    /** The job name (`JobPayloads` key). */
    name: text("name").notNull(),
    payload: jsonb("payload").notNull(),
    /** The job's idempotency key: the caller's, or the row id when it gave none. */
    jobKey: text("job_key").notNull(),
    /** The job may not run before this (created_at plus the requested delay). */
    runAt: timestamp("run_at", { withTimezone: true }).notNull(),
    /** Job tries and first retry delay; null means the queue's defaults. */
    maxAttempts: integer("max_attempts"),
    backoffMs: integer("backoff_ms"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    dispatchedAt: timestamp("dispatched_at", { withTimezone: true }),
    /** Failed hand-overs to the queue, and the last reason (the queue was unreachable, mostly). */
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
  },
  (table) => [
    index("job_outbox_pending_idx").on(table.createdAt).where(sql`dispatched_at is null`),
    // One pending row per job: a repeated `addJob` with the same key (a client retrying a run
    // call) adds nothing while the first row waits (`on conflict do nothing` in addJob). Once
    // dispatched, the queue's job id dedupes, and the row ages out with the retention.
    uniqueIndex("job_outbox_pending_key_idx").on(table.name, table.jobKey).where(sql`dispatched_at is null`),
  ],
);
