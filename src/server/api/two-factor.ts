import { completeLoginInput, confirmTwoFactorInput, disableTwoFactorInput } from "../../shared/schemas/two-factor.js";
import type { Context } from "../trpc/context.js";
import { router } from "../trpc/init.js";
import { authedProcedure, publicProcedure } from "../trpc/procedures.js";

/**
 * `auth.twoFactor.*`: an authenticator app as a second factor. Any signed-in user may protect
 * their own account (guests too: it changes nothing but how they sign in); every procedure
 * acts on the caller only.
 */
export const twoFactorRouter = router({
  status: authedProcedure.query(({ ctx }) => ctx.deps.auth.twoFactorStatus(ctx.user)),

  /** A new secret as a QR code and a typed key; nothing changes for sign-in until `confirm`. */
  begin: authedProcedure.mutation(({ ctx }) => ctx.deps.auth.beginTwoFactor(ctx.user)),

  /** The app's first code turns two-factor on; answers the ten recovery codes, shown once. */
  confirm: authedProcedure
    .input(confirmTwoFactorInput)
    .mutation(({ ctx, input }) => ctx.deps.auth.confirmTwoFactor(ctx.user, input.code)),

  disable: authedProcedure.input(disableTwoFactorInput).mutation(async ({ ctx, input }) => {
    await ctx.deps.auth.disableTwoFactor(ctx.user, input, ctx.ip);
    return { ok: true as const };
  }),

  /** The second step of `auth.login` when it answered `secondFactorRequired`. */
  completeLogin: publicProcedure.input(completeLoginInput).mutation(async ({ ctx, input }) => {
    const result = await ctx.deps.auth.completeLogin(input, { ip: ctx.ip, userAgent: ctx.userAgent });
    signedIn(ctx, result);
    return result;
  }),
});

/**
 * A browser that completed a sign-in gets its session cookie, and a fresh device cookie: it
 * has shown it knows the password (see `device-cookies.ts`).
 */
export function signedIn(ctx: Context, result: { user: { id: string }; accessToken: string; expiresAt: Date }): void {
  ctx.deviceCookie?.set(ctx.deps.auth.issueDeviceCookie(result.user.id));
  ctx.sessionCookie?.set(result.accessToken, result.expiresAt);
}
