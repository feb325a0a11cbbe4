import { isDatabaseUnavailable } from "../db/errors.js";
import { DomainError } from "../utils/domain-error.js";

/**
 * Work failed because a dependency is away (the database unreachable, a service answering "try
 * again later"), not because of the work itself. Such a failure does not use up one of an
 * event's or a job's attempts: it is retried at a steady pace for as long as the outage lasts,
 * so an outage longer than the attempts allow never dead-letters an event or fails a job.
 */
export function isOutage(error: unknown): boolean {
  return isDatabaseUnavailable(error) || (error instanceof DomainError && error.code === "SERVICE_UNAVAILABLE");
}
