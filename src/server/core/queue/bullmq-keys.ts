/**
 * Redis names the BullMQ adapter adds next to BullMQ's own keys. BullMQ can only abort a job
 * running in the worker's own process (`worker.cancelJob`), while cancel requests come from API
 * processes, so cancellation travels through Redis: a flag that outlives the request (checked
 * when a job starts, and polled) and a pub/sub message that reaches a running job at once.
 */
export interface BullmqNames {
  /** BullMQ's `prefix`: every key of this queue starts with it. */
  prefix: string;
  queueName: string;
  cancelFlag(jobId: string): string;
  cancelChannel: string;
}

export function bullmqNames(namespace: string, queueName: string): BullmqNames {
  const prefix = `${namespace}:bull`;
  return {
    prefix,
    queueName,
    cancelFlag: (jobId) => `${prefix}:${queueName}:gantry-cancel:${jobId}`,
    cancelChannel: `${prefix}:${queueName}:gantry-cancel`,
  };
}

/**
 * What a cancel flag holds: the creation time of the job it cancels. Once a finished job is
 * evicted, its idempotency key can create a new job with the same id; a flag left over from
 * the old one must not cancel it.
 */
export function cancelFlagValue(jobTimestamp: number): string {
  return String(jobTimestamp);
}

/** A custom event on BullMQ's events stream: a queued job was canceled (no worker has to run for watchers to know). */
export const CANCELED_EVENT = "gantry:canceled";
