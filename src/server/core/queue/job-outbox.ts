import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { DatabaseHandle } from "../../db/client.js";
import { listenForCommits, signalCommit } from "../../db/commit-signal.js";
import type { Database, Executor } from "../../db/database.js";
import { jobOutbox } from "../../db/schema/jobs.js";
import { jobIdFor } from "./job-id.js";
import type { EnqueueOptions, EnqueueResult, JobName, JobPayloads } from "./port.js";

/**
 * Job outbox, the writing side. A service that needs work done later writes the job in its own
 * transaction (`addJob`), next to the state that needs it: the job exists if and only if that
 * state committed, and writing it never waits for Redis. The JobDispatcher hands committed rows
 * to the queue after the commit (woken by NOTIFY, and by its poll), retrying while Redis is away.
 */
const CHANNEL = "gantry_job_outbox";

/**
 * Writes a job to the outbox in the caller's transaction; returns the id the job will have in
 * the queue (deterministic: the caller's idempotency key, or the row id), so it can be found
 * or canceled later. The same key twice makes one job.
 */
export async function addJob<N extends JobName>(
  tx: Executor,
  name: N,
  data: JobPayloads[N],
  options: EnqueueOptions = {},
): Promise<string> {
  const id = randomUUID();
  const jobKey = options.idempotencyKey ?? id;
  const delayMs = Math.max(0, options.delayMs ?? 0);
  await tx
    .insert(jobOutbox)
    .values({
      id,
      name,
      payload: data,
      jobKey,
      // The database's clock, like created_at: the delay counts from the commit's point of view.
      runAt: sql`now() + ${`${delayMs} milliseconds`}::interval`,
      maxAttempts: options.attempts ?? null,
      backoffMs: options.backoffMs ?? null,
    })
    // A row for this job is already waiting: it makes the same job (same id), so adding another
    // would only grow the table (a client repeating a run call adds one per call otherwise).
    .onConflictDoNothing({ target: [jobOutbox.name, jobOutbox.jobKey], where: sql`dispatched_at is null` });
  // Delivered only when the transaction commits: exactly "the row is visible now".
  await signalCommit(tx, CHANNEL);
  return jobIdFor(name, jobKey);
}

/**
 * `addJob` in a transaction of its own, shaped like `JobQueue.enqueue`: for callers whose job
 * does not belong to a state change of ours (the sandbox provider's settlement webhook plays an
 * outside processor). It answers once the row is committed, whatever Redis is doing.
 */
export class JobOutbox {
  constructor(private readonly db: Database) {}

  async enqueue<N extends JobName>(
    name: N,
    data: JobPayloads[N],
    options: EnqueueOptions = {},
  ): Promise<EnqueueResult> {
    const id = await this.db.transaction((tx) => addJob(tx, name, data, options));
    // Whether a job with this key already exists is the queue's to know, later.
    return { id, deduplicated: false };
  }
}

/** Calls `onSignal` after every commit that wrote to the job outbox (db/commit-signal.ts). */
export function listenForJobOutbox(handle: DatabaseHandle, onSignal: () => void): Promise<() => Promise<void>> {
  return listenForCommits(handle, CHANNEL, onSignal);
}
