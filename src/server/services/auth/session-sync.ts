import type { EventBus } from "../../core/events/index.js";
import type { SessionService } from "./sessions.js";

export const SESSION_SYNC_CONSUMER = "session-sync";

/**
 * Request paths drop live session copies right away, but if Redis was unreachable at that
 * moment a stale copy could outlive a revocation. This consumer repeats the drop from the
 * committed event, retried until Redis takes it, so every revocation reaches the live store.
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
