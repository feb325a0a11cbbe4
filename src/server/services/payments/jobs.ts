import { UnrecoverableJobError } from "../../core/queue/errors.js";
import type { JobHandlers, JobQueue } from "../../core/queue/port.js";
import type { PaymentsService } from "./payments-service.js";
import { SandboxProvider } from "./providers/sandbox.js";

declare module "../../core/queue/port.js" {
  interface JobPayloads {
    /** Deletes idempotency keys past their 24 h retention. */
    "payments.purge-idempotency-keys": { reason: "schedule" };
  }
}

const IDEMPOTENCY_PURGE_EVERY_MS = 60 * 60 * 1000;

/** Creates (or keeps) the hourly purge; the same scheduler id always means one schedule. */
export function schedulePaymentJobs(queue: JobQueue): Promise<void> {
  return queue.schedule(
    "payments.purge-idempotency-keys",
    { everyMs: IDEMPOTENCY_PURGE_EVERY_MS },
    { name: "payments.purge-idempotency-keys", data: { reason: "schedule" } },
  );
}

type PaymentJobName = "payments.sandbox-settle" | "payments.purge-idempotency-keys";

/** Spread next to the built-in handlers: `queue.process({ ...builtinJobHandlers, ...paymentJobHandlers(payments) })`. */
export function paymentJobHandlers(payments: PaymentsService): Pick<JobHandlers, PaymentJobName> {
  return {
    // The sandbox "processor" settles: it sends its signed webhook through the same receiver
    // as HTTP. A failure throws, and the queue retries, as a real provider retries webhooks.
    "payments.sandbox-settle": async (job) => {
      const sandbox = payments.provider("sandbox");
      if (!(sandbox instanceof SandboxProvider)) throw new UnrecoverableJobError("the sandbox provider is not enabled");
      const outcome = await payments.receiveWebhook("sandbox", sandbox.webhookFor(job.data, new Date()));
      return { outcome };
    },
    "payments.purge-idempotency-keys": async () => ({ purged: await payments.purgeIdempotencyKeys() }),
  };
}
