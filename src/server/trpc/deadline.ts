import { DomainError } from "../utils/domain-error.js";
import type { Context } from "./context.js";
import { fromDomainError } from "./errors.js";

/** How long a caller is told to wait before trying again after a call ran out of time. */
const RETRY_AFTER_MS = 2000;

/**
 * Every query and mutation answers within PROCEDURE_TIMEOUT_MS, whatever it waits for: each
 * dependency has its own deadline (a Redis reply, a database connection, a statement), but a
 * call that waits on several in a row could add them up. Past the deadline the caller gets a
 * typed, retryable 503 naming the setting; the work itself is not interrupted and finishes or
 * fails on its own deadlines (mutations that matter carry idempotency keys, so a retry is safe).
 * Subscriptions are long-lived by design and have their own limits.
 */
export async function withDeadline<R>(
  { ctx, type, path }: { ctx: Pick<Context, "deps" | "log">; type: string; path: string },
  next: () => Promise<R>,
): Promise<R> {
  if (type === "subscription") return next();
  const ms = ctx.deps.config.procedureTimeoutMs;
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      ctx.log.warn({ path, ms }, "procedure ran out of time");
      const seconds = ms / 1000;
      const message = `No answer within ${seconds} s (PROCEDURE_TIMEOUT_MS): a service Gantry depends on is slow or unavailable. Please try again.`;
      reject(fromDomainError(new DomainError("SERVICE_UNAVAILABLE", message, { retryAfterMs: RETRY_AFTER_MS })));
    }, ms);
  });
  try {
    return await Promise.race([next(), expired]);
  } finally {
    clearTimeout(timer);
  }
}
