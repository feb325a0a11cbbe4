import { isTRPCClientError } from "@trpc/client";
import type { AppRouter } from "../../../server/trpc/router.js";
import { isWorthRetrying } from "./apiError";

/**
 * When the client asks again by itself. SERVICE_UNAVAILABLE (503: the database is briefly
 * out of reach) is an outage to wait out: queries retry it a few times, backing off and never
 * sooner than the server's `retryAfterMs`. Mutations retry it only when they carry an
 * idempotency key, so a retry can never do the thing twice.
 */

/** Tries after the first, for a 503; other server errors get fewer (they are more likely bugs). */
export const UNAVAILABLE_RETRIES = 4;
const OTHER_RETRIES = 2;
const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 10_000;

function isServiceUnavailable(error: unknown): boolean {
  return isTRPCClientError<AppRouter>(error) && error.data?.code === "SERVICE_UNAVAILABLE";
}

/** For React Query's `queries.retry`: `failureCount` failures so far. */
export function shouldRetryQuery(failureCount: number, error: unknown): boolean {
  if (isServiceUnavailable(error)) return failureCount < UNAVAILABLE_RETRIES;
  return failureCount < OTHER_RETRIES && isWorthRetrying(error);
}

/** For a mutation that carries an idempotency key: the server replays, never repeats, it. */
export function shouldRetryIdempotentMutation(failureCount: number, error: unknown): boolean {
  return isServiceUnavailable(error) && failureCount < UNAVAILABLE_RETRIES;
}

/** Exponential backoff (0.5 s, 1 s, 2 s … up to 10 s), but never sooner than the server asked. */
export function retryDelayMs(failureCount: number, error: unknown): number {
  const backoff = Math.min(BASE_DELAY_MS * 2 ** Math.max(0, failureCount - 1), MAX_DELAY_MS);
  const asked = isTRPCClientError<AppRouter>(error) ? (error.data?.retryAfterMs ?? 0) : 0;
  return Math.max(backoff, Math.min(asked, MAX_DELAY_MS * 3));
}
