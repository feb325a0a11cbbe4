import type { JobQueue } from "../core/queue/port.js";

/**
 * Waits until no job is waiting or running: the side effects of queued work are visible.
 * Delayed jobs are not waited for: repeatable schedules always keep one.
 */
export async function drainJobs(queue: JobQueue, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const counts = await queue.counts();
    if (counts.waiting + counts.active === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`jobs still pending after ${timeoutMs} ms`);
}
