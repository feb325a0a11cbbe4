import { unlinkSsoInput } from "../../shared/sso.js";
import { router } from "../trpc/init.js";
import { authedProcedure, permissionProcedure, publicProcedure } from "../trpc/procedures.js";

/**
 * Single sign-on as procedures: what the sign-in page and the profile show, and unlinking.
 * Starting a flow and its callback are browser navigation (`http/sso-routes.ts`).
 */
export const ssoRouter = router({
  /** The provider's label for "Sign in with …", or null: no button. */
  provider: publicProcedure.query(({ ctx }) => {
    const name = ctx.deps.sso.providerName;
    return name ? { name } : null;
  }),

  /** The caller's linked identities, and whether they keep a password (so unlinking is safe). */
  account: authedProcedure.query(({ ctx }) => ctx.deps.sso.account(ctx.user)),

  unlink: permissionProcedure("profile:update")
    .input(unlinkSsoInput)
    .mutation(async ({ ctx, input }) => {
      await ctx.deps.sso.unlink(ctx.user, input.identityId);
      return { ok: true as const };
    }),
});
