import { setTimeout as sleep } from "node:timers/promises";
import { type JobPayloads, type JobQueue, type JobSnapshot, TERMINAL_STATES } from "./port.js";

class JobWaitTimeoutError extends Error {
  override name = "JobWaitTimeoutError";
}

/**
 * Resolves with the job's final snapshot (completed, failed or canceled). Events only wake it up;
 * the snapshot decides, and a slow poll covers events lost while a connection was down.
 * Rejects when the job does not exist or has not finished within `timeoutMs`.
 */
export async function waitForJobEnd<P extends object = JobPayloads>(
  queue: JobQueue<P>,
  jobId: string,
  options: { timeoutMs?: number; pollMs?: number } = {},
): Promise<JobSnapshot<P>> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  const pollMs = options.pollMs ?? 1000;
  let wake = () => {};
  const stopWatching = await queue.watch(jobId, (event) => {
    if (event.type !== "active" && event.type !== "progress") wake();
  });
  const idle = new AbortController();
  try {
    for (;;) {
      const woken = new Promise<void>((resolve) => {
        wake = resolve;
      });
      const snapshot = await queue.getJob(jobId);
      if (!snapshot) throw new Error(`job ${jobId} does not exist`);
      if (TERMINAL_STATES.has(snapshot.state)) return snapshot;
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        throw new JobWaitTimeoutError(`job ${jobId} is still ${snapshot.state} after waiting`);
      }
      await Promise.race([
        woken,
        sleep(Math.min(pollMs, remaining), undefined, { signal: idle.signal }).catch(() => {}),
      ]);
    }
  } finally {
    idle.abort();
    stopWatching();
  }
}
