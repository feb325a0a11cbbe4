import { z } from "zod";

/** Two-factor authentication with an authenticator app (TOTP) and its recovery codes. */
export const twoFactorEvents = {
  "auth.two_factor_enabled": z.object({ userId: z.uuid() }),
  "auth.two_factor_disabled": z.object({ userId: z.uuid() }),
  /** A recovery code opened a sign-in; `remaining` unused codes are left. */
  "auth.two_factor_recovery_code_used": z.object({ userId: z.uuid(), remaining: z.number().int().min(0) }),
} as const;
