/**
 * A worker process for bullmq-queue.int.test.ts to kill with SIGKILL in the middle of a job.
 * Usage: node --import tsx bullmq-crash-worker.fixture.ts <redisUrl> <namespace> <lockDurationMs> <stalledIntervalMs>
 * Prints "ready" once consuming, then "started <jobId>" when a job starts; the job never ends.
 */
import { BullmqJobQueue } from "./bullmq-queue.js";
import type { ContractJobs } from "./queue.contract.js";

const [redisUrl = "", namespace = "", lockDurationMs = "1000", stalledIntervalMs = "300"] = process.argv.slice(2);
// Workers of one queue share the stalled-check timing (BullMQ runs one check per interval
// across all of them), so this one must use the test's short interval too.
const queue = new BullmqJobQueue<ContractJobs>({
  redisUrl,
  namespace,
  lockDurationMs: Number(lockDurationMs),
  stalledIntervalMs: Number(stalledIntervalMs),
});
const forever = () => new Promise<never>(() => {});
await queue.process({
  echo: forever,
  work: async (job) => {
    process.stdout.write(`started ${job.id}\n`);
    return forever();
  },
});
process.stdout.write("ready\n");
