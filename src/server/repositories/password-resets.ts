import { and, eq, gt, type InferSelectModel, isNull } from "drizzle-orm";
import type { Executor } from "../db/database.js";
import { passwordResets } from "../db/schema/index.js";
import { BaseRepository } from "./base.js";

export type PasswordResetRow = InferSelectModel<typeof passwordResets>;

export class PasswordResetsRepository extends BaseRepository<typeof passwordResets, "createdAt"> {
  constructor() {
    super(passwordResets, { createdAt: passwordResets.createdAt });
  }

  /**
   * Marks an unused, unexpired token as used and returns it, in one statement, so two
   * concurrent resets with the same token cannot both succeed.
   */
  async consume(db: Executor, tokenHash: string, now: Date): Promise<PasswordResetRow | undefined> {
    const rows = await db
      .update(passwordResets)
      .set({ usedAt: now })
      .where(
        and(eq(passwordResets.tokenHash, tokenHash), isNull(passwordResets.usedAt), gt(passwordResets.expiresAt, now)),
      )
      .returning();
    return rows[0];
  }

  /** A new reset link makes earlier unused ones worthless. */
  async invalidateForUser(db: Executor, userId: string, now: Date): Promise<void> {
    await db
      .update(passwordResets)
      .set({ usedAt: now })
      .where(and(eq(passwordResets.userId, userId), isNull(passwordResets.usedAt)));
  }
}
