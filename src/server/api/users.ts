import {
  setDisabledInput,
  setRoleInput,
  updateProfileInput,
  userByIdInput,
  userListInput,
} from "../../shared/schemas/auth.js";
import { router } from "../trpc/init.js";
import { permissionProcedure } from "../trpc/procedures.js";

export const usersRouter = router({
  /** Oneself only: guests can read but not change their profile. */
  updateProfile: permissionProcedure("profile:update")
    .input(updateProfileInput)
    .mutation(({ ctx, input }) => ctx.deps.users.updateProfile(ctx.user.id, input)),

  list: permissionProcedure("users:manage")
    .input(userListInput)
    .query(({ ctx, input }) => ctx.deps.users.list(input)),

  byId: permissionProcedure("users:manage")
    .input(userByIdInput)
    .query(({ ctx, input }) => ctx.deps.users.byId(input.id)),

  setRole: permissionProcedure("users:manage")
    .input(setRoleInput)
    .mutation(({ ctx, input }) => ctx.deps.users.setRole(ctx.user.id, input.userId, input.role)),

  setDisabled: permissionProcedure("users:manage")
    .input(setDisabledInput)
    .mutation(({ ctx, input }) => ctx.deps.users.setDisabled(ctx.user.id, input.userId, input.disabled)),
});
