import { z } from "zod";

/** Passkeys (WebAuthn credentials) added to or removed from an account. Sign-ins are `user.logged_in`. */
export const passkeyEvents = {
  "auth.passkey_added": z.object({ userId: z.uuid(), passkeyId: z.uuid(), name: z.string() }),
  "auth.passkey_removed": z.object({ userId: z.uuid(), passkeyId: z.uuid(), name: z.string() }),
} as const;
