import { isDatabaseUnavailable } from "../../db/errors.js";
import { DomainError } from "../errors.js";

/**
 * A handler failed because a dependency is away (the database unreachable, a service answering
 * "try again later"), not because of the event. Such a failure does not use up one of the
 * event's attempts: it is retried at the usual pace for as long as the outage lasts, so an
 * outage longer than `maxAttempts` retries never dead-letters (and so never loses) an event.
 */
export function isOutage(error: unknown): boolean {
  return isDatabaseUnavailable(error) || (error instanceof DomainError && error.code === "SERVICE_UNAVAILABLE");
}
