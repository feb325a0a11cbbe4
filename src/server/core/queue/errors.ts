import { DomainError } from "../../utils/domain-error.js";

/** Throw from a handler when retrying cannot help (bad payload, a permanent refusal): the job fails now. */
export class UnrecoverableJobError extends Error {
  override name = "UnrecoverableJobError";
}

/** The `signal.reason` of a job that was canceled. */
export class JobCanceledError extends Error {
  override name = "JobCanceledError";
  constructor(readonly jobId: string) {
    super(`job ${jobId} was canceled`);
  }
}

/**
 * The `signal.reason` when this worker stops running a job that is not finished: the worker is
 * shutting down, or it lost the job's lock. The job runs again (elsewhere or later) without
 * using up an attempt, so the handler should stop promptly to avoid overlapping with that run.
 */
export class JobInterruptedError extends Error {
  override name = "JobInterruptedError";
  constructor(
    readonly jobId: string,
    readonly reason: "shutdown" | "lock-lost",
  ) {
    super(`job ${jobId} was interrupted (${reason})`);
  }
}

/** Stored as `failedReason` of canceled jobs; both adapters map it back to the `canceled` state. */
export const CANCELED_REASON = "canceled";

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message || error.name : String(error);
}

/**
 * The queue's store (Redis) did not answer within its deadline. A typed "try again": callers
 * on a request path get SERVICE_UNAVAILABLE with a retry hint instead of a hang or a 500.
 * Work that must not be lost goes through the job outbox instead, which never waits for Redis.
 */
export class QueueUnavailableError extends DomainError {
  override name = "QueueUnavailableError";
  constructor(
    /** Which queue operation gave up, for logs. */
    readonly operation: string,
    retryAfterMs: number,
  ) {
    super("SERVICE_UNAVAILABLE", "Background jobs are unavailable right now. Please try again shortly.", {
      retryAfterMs,
    });
  }
}
