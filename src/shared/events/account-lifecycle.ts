import { z } from "zod";

/**
 * Email verification and leaving (issue 13). No event here carries an email address: the
 * audit log keeps events for ever, and a deleted account's address must not outlive it.
 */
export const accountLifecycleEvents = {
  /** A verification link was issued (sign-up, resend, email change); the token itself is never published. */
  "user.email_verification_sent": z.object({ userId: z.uuid(), reason: z.enum(["signup", "resend", "email_changed"]) }),
  "user.email_verified": z.object({ userId: z.uuid() }),
  /** The address changed; the new one waits for verification, the old one was told by mail. */
  "user.email_changed": z.object({ userId: z.uuid() }),
  /** Someone downloaded the account's data (the user, or an administrator: see the actor). */
  "account.data_exported": z.object({ userId: z.uuid() }),
  /**
   * The account was deleted: sessions ended, email and name erased, and from here on the
   * account is known as `pseudonym`. Its data sets and pipelines are dropped by a job.
   */
  "account.deleted": z.object({
    userId: z.uuid(),
    pseudonym: z.string(),
    by: z.enum(["self", "admin"]),
    revokedSessionIds: z.array(z.uuid()),
  }),
  /** The deletion job dropped the account's data sets (and their tables) and pipelines. */
  "account.data_purged": z.object({
    userId: z.uuid(),
    datasets: z.number().int(),
    pipelines: z.number().int(),
    /** Data sets left in place because another account's pipeline reads them. */
    keptDatasetIds: z.array(z.uuid()),
  }),
} as const;
