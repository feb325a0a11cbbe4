import { can, type Permission } from "../../shared/permissions.js";
import { forbidden } from "../services/errors.js";
import type { Context, SessionUser } from "./context.js";
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
): Promise<SessionUser | null> {
  if (!ctx.token) return null;
  const caller = await ctx.deps.auth.authenticate(ctx.token).catch(() => null);
  if (!caller || (permission !== undefined && !can(caller.role, permission))) return null;
  return caller;
}

/**
 * Passes a service's live stream on while the caller is `stillAllowed` to see it: checked before
 * every update. When their role has changed since the stream began, `stillVisible` asks the
 * service again (an admin made a plain user no longer sees other people's things).
 */
export async function* whileAllowed<T>(
  ctx: Pick<Context, "deps" | "token"> & { user: SessionUser },
  permission: Permission,
  stream: AsyncIterable<T>,
  options: { ended: string; stillVisible: (caller: SessionUser) => Promise<unknown>; signal?: AbortSignal | undefined },
): AsyncGenerator<T> {
  try {
    for await (const value of stream) {
      const caller = await stillAllowed(ctx, permission);
      if (!caller) throw forbidden(options.ended);
      if (caller.role !== ctx.user.role) await options.stillVisible(caller);
      yield value;
    }
  } catch (error) {
    if (options.signal?.aborted) return;
    // Errors thrown while streaming bypass the middleware that maps them: map here.
    const domain = domainErrorOf(error);
    throw domain ? fromDomainError(domain) : error;
  }
}
