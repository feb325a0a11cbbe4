/**
 * A dependency named by a configuration variable could not be used at start-up.
 * main.ts prints `message` as one line and exits non-zero; no stack trace reaches the user.
 */
export class StartupError extends Error {
  override name = "StartupError";
  constructor(
    readonly variable: string,
    detail: string,
  ) {
    super(`${variable}: ${detail}`);
  }
}

/** Runs a connection attempt, turning any failure into a StartupError naming the variable. */
export async function connecting<T>(variable: string, what: string, attempt: () => Promise<T>): Promise<T> {
  try {
    return await attempt();
  } catch (error) {
    const reason = error instanceof Error ? error.message || error.name : String(error);
    throw new StartupError(variable, `cannot reach ${what} (${reason.split("\n")[0]})`);
  }
}

/** Rejects when `promise` has not settled within `ms`; the message says what timed out. */
/** What `withTimeout` rejects with, so callers can tell "too slow" from "refused". */
export class TimeoutError extends Error {
  override name = "TimeoutError";
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
