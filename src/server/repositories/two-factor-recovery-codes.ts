import { and, count, eq, isNull } from "drizzle-orm";
import type { Executor } from "../db/database.js";
import { twoFactorRecoveryCodes } from "../db/schema/index.js";
import { BaseRepository } from "./base.js";

export class TwoFactorRecoveryCodesRepository extends BaseRepository<typeof twoFactorRecoveryCodes, "createdAt"> {
  constructor() {
    super(twoFactorRecoveryCodes, { createdAt: twoFactorRecoveryCodes.createdAt });
  }

  /** The user's codes become exactly these (hashes); earlier ones stop working. */
  async replaceForUser(db: Executor, userId: string, codeHashes: string[]): Promise<void> {
    await this.deleteForUser(db, userId);
    if (codeHashes.length > 0) {
      await db.insert(twoFactorRecoveryCodes).values(codeHashes.map((codeHash) => ({ userId, codeHash })));
    }
  }

  /** Marks an unused code as used, in one statement, so a code opens one sign-in only. */
  async consume(db: Executor, userId: string, codeHash: string, now: Date): Promise<boolean> {
    const rows = await db
      .update(twoFactorRecoveryCodes)
      .set({ usedAt: now })
      .where(
        and(
          eq(twoFactorRecoveryCodes.userId, userId),
          eq(twoFactorRecoveryCodes.codeHash, codeHash),
          isNull(twoFactorRecoveryCodes.usedAt),
        ),
      )
      .returning({ id: twoFactorRecoveryCodes.id });
    return rows.length > 0;
  }

  async countUnused(db: Executor, userId: string): Promise<number> {
    const [row] = await db
      .select({ n: count() })
      .from(twoFactorRecoveryCodes)
      .where(and(eq(twoFactorRecoveryCodes.userId, userId), isNull(twoFactorRecoveryCodes.usedAt)));
    return row?.n ?? 0;
  }

  async deleteForUser(db: Executor, userId: string): Promise<void> {
    await db.delete(twoFactorRecoveryCodes).where(eq(twoFactorRecoveryCodes.userId, userId));
  }
}
