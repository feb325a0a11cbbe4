import {
  changeEmailInput,
  deleteAccountInput,
  deleteUserInput,
  verifyEmailInput,
} from "../../shared/schemas/account.js";
import { router } from "../trpc/init.js";
import { authedProcedure, permissionProcedure, publicProcedure } from "../trpc/procedures.js";

/**
 * Email verification and leaving (services/account). Downloading one's data is a plain HTTP
 * route, `GET /api/account/export.json` (and `/api/users/:id/export.json` for administrators),
 * because its body is a stream.
 */
export const accountRouter = router({
  /** Whether the caller's email is verified, and what this server withholds until it is. */
  verification: authedProcedure.query(({ ctx }) => ctx.deps.account.verificationStatus(ctx.user)),

  /** A new link, at most 3 an hour (the password reset's limit); TOO_MANY_REQUESTS past that. */
  resendVerification: authedProcedure.mutation(({ ctx }) => ctx.deps.account.resendVerification(ctx.user)),

  /** The mailed link's token: public, since the link may be opened in a browser that is not signed in. */
  verifyEmail: publicProcedure
    .input(verifyEmailInput)
    .mutation(({ ctx, input }) => ctx.deps.account.verifyEmail(input.token)),

  /** Needs the password; the new address is verified again and the old one is told. */
  changeEmail: permissionProcedure("profile:update")
    .input(changeEmailInput)
    .mutation(({ ctx, input }) => ctx.deps.account.changeEmail(ctx.user, input)),

  /** Leaving: any signed-in account (guests too), confirmed with the password. Ends this session. */
  delete: authedProcedure.input(deleteAccountInput).mutation(async ({ ctx, input }) => {
    const result = await ctx.deps.account.deleteOwn(ctx.user, input.password);
    ctx.sessionCookie?.clear();
    return result;
  }),

  /** An administrator deletes any account but the last administrator, confirming with their own password. */
  deleteUser: permissionProcedure("users:manage")
    .input(deleteUserInput)
    .mutation(async ({ ctx, input }) => {
      const result = await ctx.deps.account.deleteUser(ctx.user, input.userId, input.password);
      if (input.userId === ctx.user.id) ctx.sessionCookie?.clear();
      return result;
    }),
});
