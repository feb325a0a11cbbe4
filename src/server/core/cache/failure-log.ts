import type { Logger } from "../logger.js";

/** The part of a pino logger the cache uses, so tests can pass a spy. */
export type CacheLogger = Pick<Logger, "warn">;

/**
 * Warns about each kind of cache failure at most once per interval. When Redis is down every
 * request fails over to the source; one line per request would bury the rest of the log.
 */
export class FailureLog {
  private readonly seen = new Map<string, { lastAt: number; suppressed: number }>();

  constructor(
    private readonly logger: CacheLogger | undefined,
    private readonly intervalMs = 10_000,
  ) {}

  warn(message: string, error: unknown, context: Record<string, unknown> = {}): void {
    const now = Date.now();
    const state = this.seen.get(message);
    if (state && now - state.lastAt < this.intervalMs) {
      state.suppressed += 1;
      return;
    }
    this.logger?.warn({ ...context, err: error, suppressedSinceLast: state?.suppressed ?? 0 }, message);
    this.seen.set(message, { lastAt: now, suppressed: 0 });
  }
}
