import { and, eq, gt, type InferSelectModel, isNull } from "drizzle-orm";
import type { Executor } from "../db/database.js";
import { emailVerifications } from "../db/schema/index.js";
import { BaseRepository } from "./base.js";

export type EmailVerificationRow = InferSelectModel<typeof emailVerifications>;

/** Verification links, kept as password-resets.ts keeps reset links: by hash, single use. */
export class EmailVerificationsRepository extends BaseRepository<typeof emailVerifications, "createdAt"> {
  constructor() {
    super(emailVerifications, { createdAt: emailVerifications.createdAt });
  }

  /** Marks an unused, unexpired link as used and returns it, in one statement (two clicks: one wins). */
  async consume(db: Executor, tokenHash: string, now: Date): Promise<EmailVerificationRow | undefined> {
    const rows = await db
      .update(emailVerifications)
      .set({ usedAt: now })
      .where(
        and(
          eq(emailVerifications.tokenHash, tokenHash),
          isNull(emailVerifications.usedAt),
          gt(emailVerifications.expiresAt, now),
        ),
      )
      .returning();
    return rows[0];
  }

  /** A new link (or a new address) makes earlier unused links worthless. */
  async invalidateForUser(db: Executor, userId: string, now: Date): Promise<void> {
    await db
      .update(emailVerifications)
      .set({ usedAt: now })
      .where(and(eq(emailVerifications.userId, userId), isNull(emailVerifications.usedAt)));
  }

  async deleteForUser(db: Executor, userId: string): Promise<void> {
    await db.delete(emailVerifications).where(eq(emailVerifications.userId, userId));
  }
}
