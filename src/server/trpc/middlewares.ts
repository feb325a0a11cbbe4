import { TRPCError } from "@trpc/server";
import { getTRPCErrorFromUnknown } from "@trpc/server/unstable-core-do-not-import";
import { can, type Permission } from "../../shared/permissions.js";
import type { Logger } from "../core/logger.js";
import { type DomainError, tooManyAttempts } from "../services/errors.js";
import type { Context } from "./context.js";
import { withDeadline } from "./deadline.js";
import { domainErrorOf, fromDomainError } from "./errors.js";
import { t } from "./init.js";
import { limitSubscriptions } from "./subscription-limit.js";

/**
 * What every procedure runs first, as ONE level of tRPC's chain (each level copies the call's
 * options, and the context when one is passed, so levels cost CPU on every call). Outermost
 * first: `observe`, the subscription cap (it needs the context object the connection holds, so
 * before `identify` replaces it), the deadline, then `identify`. Order and outcomes are those
 * the four separate middlewares had.
 */
export const entry = t.middleware((opts) =>
  observe(opts, () =>
    limitSubscriptions(opts, () =>
      withDeadline(opts, async () => {
        const { user, authProblem } = await identify(opts.ctx);
        // tRPC merges these into the context: only what changes is passed.
        return opts.next({ ctx: { user, authProblem } });
      }),
    ),
  ),
);

type CallResult = { ok: true } | { ok: false; error: TRPCError };

/**
 * Counts and times every call, logs it, and reports unexpected failures as `error.occurred`.
 * Services throw DomainErrors; callers see the matching typed tRPC error, not a 500. So do
 * failures that are not bugs wherever they arise: an unreachable database (503, retryable).
 * What the steps inside throw counts as the failure it becomes (as tRPC makes it one).
 */
async function observe<R extends CallResult>(
  { ctx, path, type }: { ctx: Pick<Context, "deps" | "log" | "requestId">; path: string; type: string },
  run: () => Promise<R>,
): Promise<R> {
  const started = performance.now();
  let result: R | { ok: false; error: TRPCError; thrown: true };
  try {
    result = await run();
  } catch (cause) {
    result = { ok: false, error: getTRPCErrorFromUnknown(cause), thrown: true };
  }
  const mapped = result.ok ? undefined : typedDomainError(ctx, path, result.error.cause);
  const seconds = (performance.now() - started) / 1000;
  const code = result.ok ? "OK" : (mapped ?? result.error).code;
  ctx.deps.metrics.requests.inc({ path, type, code });
  ctx.deps.metrics.requestDuration.observe({ path, type }, seconds);
  if (!result.ok && !mapped && result.error.code === "INTERNAL_SERVER_ERROR") {
    ctx.deps.reportError(`procedure:${path}`, result.error.cause ?? result.error, ctx.requestId);
  } else {
    ctx.log.debug({ path, type, code, ms: Math.round(seconds * 1000) }, "procedure");
  }
  if (mapped) throw mapped;
  if ("thrown" in result) throw result.error;
  return result;
}

function typedDomainError(ctx: { log: Logger }, path: string, cause: unknown): TRPCError | undefined {
  const domain = domainErrorOf(cause);
  if (!domain) return undefined;
  // Not a bug, but an operator wants to see what failed (the caller only sees the code).
  if (domain !== cause) ctx.log.warn({ err: cause, path, code: domain.code }, "procedure failed: not a bug");
  return fromDomainError(domain);
}

/**
 * Checks the caller's session on every call (over WebSocket too, where one context serves
 * the whole connection), so revocations apply to the very next call. A token that fails
 * the check leaves the caller anonymous; protected procedures then explain why. Then spends
 * the caller's budget (user id when signed in, address otherwise), shared across instances
 * via Redis: both in one Redis round trip (see services/auth/call-admission.ts).
 */
async function identify(ctx: Pick<Context, "deps" | "token" | "ip">) {
  const { user, authProblem, decision } = await ctx.deps.auth.admit(ctx.token, ctx.ip, ctx.deps.apiRateLimiter);
  if (!decision.allowed) throw fromDomainError(tooManyAttempts(decision.retryAfterMs, "Too many requests"));
  return { user, authProblem };
}

function signInRequired(ctx: { authProblem: DomainError | undefined }): TRPCError {
  // A session check that could not be made is refused, and says so (fail closed).
  if (ctx.authProblem) return fromDomainError(ctx.authProblem);
  return new TRPCError({ code: "UNAUTHORIZED", message: "Please sign in." });
}

export const requireUser = t.middleware(({ ctx, next }) => {
  if (!ctx.user) throw signInRequired(ctx);
  return next({ ctx: { user: ctx.user } });
});

export function requirePermission(permission: Permission) {
  return t.middleware(({ ctx, next }) => {
    if (!ctx.user) throw signInRequired(ctx);
    if (!can(ctx.user.role, permission)) {
      throw new TRPCError({ code: "FORBIDDEN", message: "You do not have permission to do that." });
    }
    return next({ ctx: { user: ctx.user } });
  });
}
