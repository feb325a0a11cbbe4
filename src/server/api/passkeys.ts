import {
  passkeySignInInput,
  registerPasskeyInput,
  removePasskeyInput,
  renamePasskeyInput,
} from "../../shared/schemas/passkeys.js";
import type { Context } from "../trpc/context.js";
import { router } from "../trpc/init.js";
import { permissionProcedure, publicProcedure } from "../trpc/procedures.js";

const clientMeta = (ctx: Context) => ({ ip: ctx.ip, userAgent: ctx.userAgent });

/**
 * `auth.passkeys.*`: a user's passkeys (WebAuthn) on the profile, and the passwordless sign-in.
 * Each ceremony is two calls: options for the browser's WebAuthn call, then its answer.
 * Adding, renaming and removing one change the account's credentials, so they need
 * `profile:update` as a password change does.
 */
export const passkeysRouter = router({
  list: permissionProcedure("profile:read").query(({ ctx }) => ctx.deps.passkeys.list(ctx.user)),

  registrationOptions: permissionProcedure("profile:update").mutation(({ ctx }) =>
    ctx.deps.passkeys.registrationOptions(ctx.user),
  ),

  register: permissionProcedure("profile:update")
    .input(registerPasskeyInput)
    .mutation(({ ctx, input }) => ctx.deps.passkeys.register(ctx.user, input)),

  rename: permissionProcedure("profile:update")
    .input(renamePasskeyInput)
    .mutation(({ ctx, input }) => ctx.deps.passkeys.rename(ctx.user, input)),

  remove: permissionProcedure("profile:update")
    .input(removePasskeyInput)
    .mutation(async ({ ctx, input }) => {
      await ctx.deps.passkeys.remove(ctx.user, input);
      return { ok: true as const };
    }),

  signInOptions: publicProcedure.mutation(({ ctx }) => ctx.deps.passkeys.signInOptions(clientMeta(ctx))),

  /** Opens a session as `auth.login` does: the token in the answer and, for browsers, the cookie. */
  signIn: publicProcedure.input(passkeySignInInput).mutation(async ({ ctx, input }) => {
    const result = await ctx.deps.passkeys.signIn(input, clientMeta(ctx));
    ctx.sessionCookie?.set(result.accessToken, result.expiresAt);
    return result;
  }),
});
