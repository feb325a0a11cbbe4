import type { Cache } from "../../core/cache/index.js";
import type { EventBus } from "../../core/events/index.js";
import { userTag } from "./users-service.js";

export const USER_CACHE_CONSUMER = "user-cache";

/**
 * Drops cached users when their account changes. Services already drop the entry right after
 * commit; this consumer repeats it from the committed event and, because `invalidate` rejects
 * when Redis cannot confirm, retries until the cache really forgot.
 */
export function registerUserCacheInvalidation(events: EventBus, cache: Cache): void {
  events.subscribe(
    USER_CACHE_CONSUMER,
    [
      "user.profile_updated",
      "user.role_changed",
      "user.disabled",
      "user.password_changed",
      "user.password_reset",
      "user.email_verified",
      "user.email_changed",
      "account.deleted",
    ],
    async (envelope) => {
      await cache.invalidate([userTag(envelope.payload.userId)]);
    },
  );
}
