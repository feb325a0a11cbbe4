import { z } from "zod";
import { ssoFailureReasons } from "../sso.js";

/** Single sign-on with an OpenID Connect provider (see services/auth/single-sign-on.ts). */
export const ssoEvents = {
  /** An identity at the provider now signs in as this account (at sign-up through SSO, or linked from the profile). */
  "auth.sso_linked": z.object({
    userId: z.uuid(),
    identityId: z.uuid(),
    issuer: z.string(),
    subject: z.string(),
    /** "signup": the account was opened by this sign-in; "profile": a signed-in user linked it. */
    via: z.enum(["signup", "profile"]),
  }),
  "auth.sso_unlinked": z.object({ userId: z.uuid(), identityId: z.uuid(), issuer: z.string(), subject: z.string() }),
  /** A callback that opened no session and linked nothing, and why. */
  "auth.sso_failed": z.object({
    reason: z.enum(ssoFailureReasons),
    issuer: z.string(),
    /** The account concerned, when one is known (the signed-in user of a link, an identity's owner). */
    userId: z.uuid().optional(),
  }),
} as const;
