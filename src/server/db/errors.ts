/** Errors the database itself raised, recognised the same way on postgres.js and PGlite. */

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
