import { z } from "zod";
import { PASSWORD_MAX, PASSWORD_MIN, userListFields } from "../constants.js";
import { roles } from "../permissions.js";
import { listQuerySchema } from "./list.js";
import { text } from "./text.js";

export { PASSWORD_MAX, PASSWORD_MIN, userListFields } from "../constants.js";

const emailSchema = text().trim().toLowerCase().max(254).pipe(z.email("Enter a valid email address"));
const newPasswordSchema = text()
  .min(PASSWORD_MIN, `Use at least ${PASSWORD_MIN} characters`)
  .max(PASSWORD_MAX, `Use at most ${PASSWORD_MAX} characters`);
const nameSchema = text().trim().min(1, "Enter your name").max(100, "Use at most 100 characters");
const roleSchema = z.enum(roles);

export const signupInput = z.object({ email: emailSchema, password: newPasswordSchema, name: nameSchema });
// Login takes any non-empty password: the policy applies to new passwords only. Passwords
// are only ever hashed, never stored, so an old one with odd characters still signs in.
export const loginInput = z.object({
  email: emailSchema,
  password: z.string().min(1, "Enter your password").max(1024),
});
export const changePasswordInput = z.object({
  currentPassword: z.string().min(1, "Enter your current password").max(1024),
  newPassword: newPasswordSchema,
});
export const requestPasswordResetInput = z.object({ email: emailSchema });
const RESET_LINK_BROKEN = "This reset link is incomplete. Open the link from the email again, or ask for a new one.";
export const resetPasswordInput = z.object({
  token: text().min(20, RESET_LINK_BROKEN).max(200, RESET_LINK_BROKEN),
  newPassword: newPasswordSchema,
});
export const updateProfileInput = z.object({ name: nameSchema });
export const revokeSessionInput = z.object({ sessionId: z.uuid() });

export const publicUserSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string(),
  role: roleSchema,
  disabled: z.boolean(),
  /** The current email was proven by a mailed link (services/account). */
  emailVerified: z.boolean(),
  /** Deleted: email and name are a pseudonym now. */
  deleted: z.boolean(),
  createdAt: z.date(),
});
export type PublicUser = z.infer<typeof publicUserSchema>;

export interface AuthResult {
  user: PublicUser;
  accessToken: string;
  expiresAt: Date;
}

export interface SessionInfo {
  id: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  ip: string | null;
  userAgent: string | null;
  current: boolean;
}

export const userListInput = listQuerySchema(userListFields, {
  email: "text",
  name: "text",
  role: roles,
  createdAt: "date",
});
export const setRoleInput = z.object({ userId: z.uuid(), role: roleSchema });
export const setDisabledInput = z.object({ userId: z.uuid(), disabled: z.boolean() });
export const userByIdInput = z.object({ id: z.uuid() });
