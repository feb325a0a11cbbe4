import type { Logger } from "../../core/logger.js";
import type { LiveSessionStore } from "./live-sessions.js";

/**
 * Whether this process may believe the live session store. Once the store may have missed a
 * write (its connection dropped, a drop of revoked sessions failed), a revocation committed
 * in PostgreSQL meanwhile may still sit there as a valid-looking copy, whatever order the
 * services come back in. So from that moment nothing in the store is believed (every check
 * reads PostgreSQL) until the whole store has been purged; a fresh process starts the same
 * way, as it cannot know what an earlier one failed to drop.
 */
export class LiveTrust {
  private trusted = false;
  /**
   * Bumped on every possible loss: a purge that started before the latest one proves nothing,
   * and neither does a read sent out before it.
   */
  private lossCount = 0;
  private healing = false;
  private stopped = false;

  constructor(
    private readonly live: LiveSessionStore,
    private readonly logger: Logger,
    private readonly retryMs = 500,
  ) {
    live.watch({ lost: () => this.lost(), closed: () => this.stop() });
    this.lost();
  }

  /** True when every write since the last possible loss reached the store. */
  get ok(): boolean {
    return this.trusted;
  }

  /** How many possible losses so far: unchanged between two moments, none happened in between. */
  get losses(): number {
    return this.lossCount;
  }

  /** The store may have missed a write: stop believing it until it has been purged. */
  lost(): void {
    this.lossCount += 1;
    this.trusted = false;
    void this.heal();
  }

  stop(): void {
    this.stopped = true;
  }

  private async heal(): Promise<void> {
    if (this.healing) return;
    this.healing = true;
    try {
      while (!this.trusted && !this.stopped) {
        const losses = this.lossCount;
        try {
          await this.live.purge();
          if (losses === this.lossCount) this.trusted = true;
        } catch (error) {
          this.logger.debug({ err: error }, "live session store not purged yet; sessions are checked in the database");
          await new Promise((resolve) => setTimeout(resolve, this.retryMs).unref());
        }
      }
    } finally {
      this.healing = false;
    }
  }
}
