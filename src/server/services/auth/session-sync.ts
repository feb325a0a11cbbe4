import type { EventBus } from "../../core/events/index.js";
import type { SessionService } from "./sessions.js";

export const SESSION_SYNC_CONSUMER = "session-sync";

/**
 * Request paths drop live session copies right away, but if Redis was unreachable at that
 * moment a stale copy could outlive a revocation. This consumer repeats the drop from the
 * committed event, retried a few times. It is not the last line: when its retries run out
 * first, every process stops believing the store until it has purged it after Redis came
 * back (see LiveTrust), and no copy is believed longer than LIVE_SESSION_TTL_MS anyway.
 */
export function registerSessionSync(events: EventBus, sessions: SessionService): void {
  events.subscribe(
    SESSION_SYNC_CONSUMER,
    ["user.logged_out", "user.password_changed", "user.password_reset", "user.disabled", "user.role_changed"],
    async (envelope, tx) => {
      const payload = envelope.payload;
      const ids =
        "sessionIds" in payload
          ? payload.sessionIds
          : "revokedSessionIds" in payload
            ? payload.revokedSessionIds
            : await sessions.activeIds(tx, payload.userId);
      await sessions.dropLive(ids);
    },
  );
}
