/**
 * Statements whose shape a user decides (pipeline previews, runs, exports) run with these
 * settings: a time limit, so that cancel and timeouts work and one user cannot hold a backend
 * for ever, and no JIT, whose compilation of a large expression can neither be cancelled nor
 * bounded in memory. `set local` lasts until the end of the current transaction; a session
 * that is not in a transaction uses `userStatementSessionSettings` on a connection of its own.
 */
export function userStatementSettings(timeoutMs: number): string[] {
  return [`set local statement_timeout = ${wholeMs(timeoutMs)}`, "set local jit = off"];
}

/** The same limits for a dedicated connection that runs one statement outside a transaction. */
export function userStatementSessionSettings(timeoutMs: number): string[] {
  return [`set statement_timeout = ${wholeMs(timeoutMs)}`, "set jit = off"];
}

function wholeMs(timeoutMs: number): number {
  return Math.max(1, Math.trunc(timeoutMs));
}
