import type { JobQueue } from "../core/queue/port.js";

/** Waits until no job is waiting, delayed or running: the side effects of queued work are visible. */
export async function drainJobs(queue: JobQueue, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const counts = await queue.counts();
    if (counts.waiting + counts.active + counts.delayed === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`jobs still pending after ${timeoutMs} ms`);
}
