import { z } from "zod";
import { text } from "./text.js";

/** What an operator may put behind a verified email (REQUIRE_VERIFIED_EMAIL). */
export const verifiedEmailFeatures = ["payments", "imports"] as const;
export type VerifiedEmailFeature = (typeof verifiedEmailFeatures)[number];

const emailSchema = text().trim().toLowerCase().max(254).pipe(z.email("Enter a valid email address"));
const passwordSchema = z.string().min(1, "Enter your password").max(1024);

export const verifyEmailInput = z.object({ token: text().min(20).max(200) });
export const changeEmailInput = z.object({ newEmail: emailSchema, password: passwordSchema });
export const deleteAccountInput = z.object({ password: passwordSchema });
/** An administrator deletes someone else's account, confirming with their own password. */
export const deleteUserInput = z.object({ userId: z.uuid(), password: passwordSchema });

/** The signed-in user's verification state, for the banner. */
export interface VerificationStatus {
  verified: boolean;
  /** What this server refuses until the email is verified (REQUIRE_VERIFIED_EMAIL). */
  requiredFor: VerifiedEmailFeature[];
}
