import { can, type Permission } from "../../shared/permissions.js";
import type { SessionCaller } from "../services/auth/sessions.js";
import { forbidden } from "../services/errors.js";
import type { Context } from "./context.js";
import { domainErrorOf, fromDomainError } from "./errors.js";

/**
 * Subscriptions outlive the session check made when they began, so each one asks again before
 * every update it sends: the caller as their session stands now, if it is still valid and
 * (when given) still grants `permission`; otherwise null. A check that cannot be made counts as
 * ended (fail closed). The caller is returned, not a yes or no, because their role may have
 * changed: what they may see is then decided by the role they have now.
 */
export async function stillAllowed(
  ctx: Pick<Context, "deps" | "token">,
  permission?: Permission,
): Promise<SessionCaller | null> {
  if (!ctx.token) return null;
  const caller = await ctx.deps.auth.authenticate(ctx.token).catch(() => null);
  if (!caller || (permission !== undefined && !can(caller.role, permission))) return null;
  return caller;
}

export interface Live<T> {
  /** The values to send, read as the caller stood when the subscription began. */
  values: (caller: SessionCaller) => AsyncIterable<T>;
  /** Asked again before every value; without one, a valid session is enough. */
  permission?: Permission;
  /**
   * When the caller's role has changed since the subscription began, asks the service again as
   * they are now, and throws if they may no longer see it (an admin made a plain user no longer
   * sees other people's things).
   */
  stillVisible?: (caller: SessionCaller) => Promise<unknown>;
  /** Once the caller may no longer see it: FORBIDDEN with this message, or one last value, then the end. */
  ended: { forbidden: string } | { last: T };
  signal?: AbortSignal | undefined;
}

/**
 * The one way a subscription streams to its caller: every value of `values`, each sent only after
 * `stillAllowed` says the caller may still see it, so a sign-out, a revoked session or a lost
 * permission stops the stream at the next update. No caller at all ends it at once (public
 * subscriptions). Errors are mapped here, as values are sent after the middleware has returned.
 */
export async function* whileAllowed<T>(
  ctx: Pick<Context, "deps" | "token" | "user">,
  live: Live<T>,
): AsyncGenerator<T> {
  const started = ctx.user;
  try {
    if (!started) return yield* end(live.ended);
    for await (const value of live.values(started)) {
      const caller = await stillAllowed(ctx, live.permission);
      if (!caller) return yield* end(live.ended);
      if (caller.role !== started.role) await live.stillVisible?.(caller);
      yield value;
    }
  } catch (error) {
    if (live.signal?.aborted) return;
    const domain = domainErrorOf(error);
    throw domain ? fromDomainError(domain) : error;
  }
}

async function* end<T>(ended: Live<T>["ended"]): AsyncGenerator<T> {
  if ("forbidden" in ended) throw forbidden(ended.forbidden);
  yield ended.last;
}
