import { isDatabaseUnavailable } from "../db/errors.js";
import { DomainError } from "../utils/domain-error.js";

/**
 * Work failed because a dependency is away (the database unreachable, a service answering "try
 * again later"), not because of the work itself. Such a failure does not use up one of an
 * event's or a job's attempts: it is retried at a steady pace while the outage lasts, so an
 * outage longer than the attempts allow never dead-letters an event or fails a job.
 */
export function isOutage(error: unknown): boolean {
  return isDatabaseUnavailable(error) || (error instanceof DomainError && error.code === "SERVICE_UNAVAILABLE");
}

/**
 * How long after work was first created an outage is waited out for free. Past it, an outage
 * failure counts as an attempt like any other, so work that cannot succeed (a dependency gone for
 * good, an error misread as an outage) ends in the dead-letter queue or as a failed job, where an
 * operator sees it, instead of retrying every second or two for ever.
 */
export const OUTAGE_RETRY_WINDOW_MS = 60 * 60_000;

/** True when this failure should be retried without using up an attempt. */
export function waitsOutOutage(
  error: unknown,
  createdAtMs: number,
  windowMs: number = OUTAGE_RETRY_WINDOW_MS,
  now: number = Date.now(),
): boolean {
  // An unreadable creation time counts as old: the bound must hold even for odd input.
  return isOutage(error) && Number.isFinite(createdAtMs) && now - createdAtMs < windowMs;
}
