import type { AuthResult, PublicUser } from "../../shared/schemas/auth.js";
import {
  changePasswordInput,
  loginInput,
  requestPasswordResetInput,
  resetPasswordInput,
  revokeSessionInput,
  signupInput,
} from "../../shared/schemas/auth.js";
import { listen } from "../core/live.js";
import type { Context } from "../trpc/context.js";
import { router } from "../trpc/init.js";
import { whileAllowed } from "../trpc/live.js";
import { authedProcedure, permissionProcedure, publicProcedure } from "../trpc/procedures.js";
import { passkeysRouter } from "./passkeys.js";
import { signedIn, twoFactorRouter } from "./two-factor.js";

const clientMeta = (ctx: Context) => ({ ip: ctx.ip, userAgent: ctx.userAgent });

/** Browsers get the token as an httpOnly cookie; typed clients use the returned token as a bearer. */
function withCookie(ctx: Context, result: AuthResult): AuthResult {
  ctx.sessionCookie?.set(result.accessToken, result.expiresAt);
  return result;
}

export const authRouter = router({
  signup: publicProcedure
    .input(signupInput)
    .mutation(async ({ ctx, input }) => withCookie(ctx, await ctx.deps.auth.signup(input, clientMeta(ctx)))),

  login: publicProcedure.input(loginInput).mutation(async ({ ctx, input }) => {
    const result = await ctx.deps.auth.login(input, { ...clientMeta(ctx), deviceCookie: ctx.deviceCookie?.value });
    // Two-factor on: no session and no cookie yet; `auth.twoFactor.completeLogin` gives them.
    if ("secondFactorRequired" in result) return result;
    signedIn(ctx, result);
    return result;
  }),

  twoFactor: twoFactorRouter,

  /** The signed-in user, or null: never an error, so the client can ask on every page load. */
  me: publicProcedure.query(({ ctx }) => (ctx.user ? ctx.deps.users.find(ctx.user.id) : null)),

  logout: authedProcedure.mutation(async ({ ctx }) => {
    await ctx.deps.auth.logout(ctx.user);
    ctx.sessionCookie?.clear();
    return { ok: true as const };
  }),

  logoutAll: authedProcedure.mutation(async ({ ctx }) => {
    const ended = await ctx.deps.auth.logoutAll(ctx.user);
    ctx.sessionCookie?.clear();
    return { ended };
  }),

  changePassword: permissionProcedure("profile:update")
    .input(changePasswordInput)
    .mutation(async ({ ctx, input }) =>
      withCookie(ctx, await ctx.deps.auth.changePassword(ctx.user, input, clientMeta(ctx))),
    ),

  /**
   * The caller's account as it changes (role, disabled, signed out elsewhere): yields the
   * fresh user, or null once the session has ended, so a browser loses a right at once.
   */
  onAccount: publicProcedure.subscription(
    ({ ctx, signal }): AsyncGenerator<PublicUser | null> =>
      whileAllowed(ctx, {
        values: async function* (caller) {
          for await (const _ of listen<void>((wake) => ctx.deps.auth.onAccountChange(caller.id, wake), signal)) {
            // Uncached: the event may arrive before the cache has dropped the old entry.
            yield await ctx.deps.users.load(caller.id);
          }
        },
        ended: { last: null },
        signal,
      }),
  ),

  sessions: authedProcedure.query(({ ctx }) => ctx.deps.auth.listSessions(ctx.user)),

  revokeSession: authedProcedure.input(revokeSessionInput).mutation(async ({ ctx, input }) => {
    await ctx.deps.auth.revokeSession(ctx.user, input.sessionId);
    return { ok: true as const };
  }),

  /** Answers the same whether or not the email has an account. */
  requestPasswordReset: publicProcedure.input(requestPasswordResetInput).mutation(async ({ ctx, input }) => {
    await ctx.deps.auth.requestPasswordReset(input.email);
    return { ok: true as const };
  }),

  resetPassword: publicProcedure.input(resetPasswordInput).mutation(async ({ ctx, input }) => {
    await ctx.deps.auth.resetPassword(input);
    return { ok: true as const };
  }),

  passkeys: passkeysRouter,
});
