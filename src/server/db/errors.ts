/** Errors the database itself raised, recognised the same way on postgres.js and PGlite. */
import { DomainError } from "../utils/domain-error.js";

/** Both drivers put the SQLSTATE on `code` (five characters). */
export function hasSqlState(error: unknown): error is Error & { code: string; where?: string } {
  if (!(error instanceof Error)) return false;
  const code: unknown = (error as { code?: unknown }).code;
  return typeof code === "string" && /^[0-9A-Z]{5}$/.test(code);
}

/**
 * The database's own error behind a failed query: Drizzle wraps driver errors in one whose
 * message holds the whole statement, which must never reach a user.
 */
export function databaseError(error: unknown): (Error & { code: string; where?: string }) | undefined {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    if (hasSqlState(current)) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** A unique index refused the write (SQLSTATE 23505): someone else got there first. */
export function isUniqueViolation(error: unknown): boolean {
  return databaseError(error)?.code === "23505";
}

/**
 * Text the database cannot take (SQLSTATE 22021 invalid byte sequence, 22P05 untranslatable
 * character, e.g. NUL in jsonb): the user's input, not our fault. Input schemas refuse such
 * text first; this is the last line of defence.
 */
function isUnstorableText(error: unknown): boolean {
  const code = databaseError(error)?.code;
  return code === "22021" || code === "22P05";
}

/** SQLSTATEs of a server that cannot take us now: too many clients, shutting down, starting up. */
const UNAVAILABLE_STATES = new Set(["53300", "57P01", "57P02", "57P03"]);
/** Socket errors, and postgres.js's own codes for a connection it lost or never made. */
const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "CONNECTION_CLOSED",
  "CONNECTION_DESTROYED",
  "CONNECTION_ENDED",
  "CONNECT_TIMEOUT",
]);
const UNAVAILABLE_MESSAGES = /^(PGlite is closed|Connection terminated)/i;

/**
 * The database could not be reached or dropped the connection: nothing about the request was
 * wrong, and the same call may well work in a moment. Looks through Drizzle's wrapping and
 * AggregateErrors (a refused connection to a host with several addresses).
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== "object" || depth > 5) return false;
  const { code, message, cause, errors } = error as {
    code?: unknown;
    message?: unknown;
    cause?: unknown;
    errors?: unknown;
  };
  if (typeof code === "string") {
    if (UNAVAILABLE_CODES.has(code)) return true;
    if (/^[0-9A-Z]{5}$/.test(code)) return UNAVAILABLE_STATES.has(code) || code.startsWith("08");
  }
  if (typeof message === "string" && UNAVAILABLE_MESSAGES.test(message)) return true;
  if (Array.isArray(errors) && errors.some((inner) => isDatabaseUnavailable(inner, depth + 1))) return true;
  return isDatabaseUnavailable(cause, depth + 1);
}

/** How long a caller should wait before trying again when the database is unreachable. */
const DATABASE_RETRY_AFTER_MS = 1000;

/**
 * What a database failure means to the caller when it is not a bug: unstorable text is their
 * mistake (400), an unreachable database is a moment's outage to retry (503).
 */
export function expectedFailureOf(error: unknown): DomainError | undefined {
  if (isUnstorableText(error)) {
    const message = "Remove control characters and invalid Unicode";
    return new DomainError("BAD_REQUEST", message, { fieldErrors: { "": [message] } });
  }
  if (isDatabaseUnavailable(error)) {
    return new DomainError("SERVICE_UNAVAILABLE", "The service is briefly unavailable. Please try again.", {
      retryAfterMs: DATABASE_RETRY_AFTER_MS,
    });
  }
  return undefined;
}
