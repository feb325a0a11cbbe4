import type { JobHandlers } from "./port.js";

/**
 * Handlers for the jobs the queue itself declares in `JobPayloads`. The worker composition
 * spreads them next to the features' handlers: `queue.process({ ...builtinJobHandlers, ... })`.
 */
export const builtinJobHandlers: Pick<JobHandlers, "queue.ping"> = {
  "queue.ping": async (job) => {
    await job.reportProgress(100);
    return { pong: job.data.message, attempt: job.attempt };
  },
};
