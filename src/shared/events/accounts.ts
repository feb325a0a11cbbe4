import { z } from "zod";
import { roles } from "../permissions.js";

/** Account events (sign-up, sessions, passwords, roles). */
export const accountEvents = {
  "user.registered": z.object({ userId: z.uuid(), email: z.string() }),
  "user.logged_in": z.object({
    userId: z.uuid(),
    sessionId: z.uuid(),
    /** How the user proved who they are; absent on events from before it was recorded (password). */
    method: z.enum(["password", "passkey", "sso"]).optional(),
  }),
  "user.login_failed": z.object({
    /** The email tried (normalised); userId only when the account exists. */
    email: z.string(),
    userId: z.uuid().optional(),
    reason: z.enum(["bad_credentials", "disabled", "rate_limited", "bad_second_factor"]),
  }),
  "user.logged_out": z.object({ userId: z.uuid(), sessionIds: z.array(z.uuid()), everywhere: z.boolean() }),
  "user.password_changed": z.object({ userId: z.uuid(), revokedSessionIds: z.array(z.uuid()) }),
  "user.password_reset_requested": z.object({ userId: z.uuid() }),
  "user.password_reset": z.object({ userId: z.uuid(), revokedSessionIds: z.array(z.uuid()) }),
  "user.profile_updated": z.object({ userId: z.uuid(), fields: z.array(z.string()) }),
  "user.role_changed": z.object({ userId: z.uuid(), from: z.enum(roles), to: z.enum(roles) }),
  "user.disabled": z.object({ userId: z.uuid(), disabled: z.boolean(), revokedSessionIds: z.array(z.uuid()) }),
} as const;
